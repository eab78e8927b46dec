"""A small OpenID Connect provider for tests, on a real local HTTP server (pytest-httpserver).

It serves what a real provider serves, over HTTP: the discovery document, its JWKS (an RSA key
made for the test run), an authorization endpoint that sends the browser back with a code, a
token endpoint that checks the client's secret, the redirect URI and the PKCE verifier before it
returns an ID token signed with RS256, and a user info endpoint. The person who "signs in at the
provider" is whoever the test sets as ``user``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

CLIENT_ID = "dsar-staff"
CLIENT_SECRET = "client-secret-for-tests"


def _json(document: Any, status: int = 200) -> Response:
    return Response(json.dumps(document), status=status, content_type="application/json")


@dataclass
class Provider:
    server: HTTPServer
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    kid: str = "test-key-1"
    #: Claims of whoever signs in at the provider next.
    user: dict[str, Any] = field(default_factory=dict)
    #: What the next ID token says its audience is (another application's id, in a test).
    audience: str = CLIENT_ID
    #: A key to sign the next ID token with instead of the published one (a forgery).
    forger: rsa.RSAPrivateKey | None = None
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    access_tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    token_requests: list[dict[str, str]] = field(default_factory=list)

    @property
    def issuer(self) -> str:
        return self.server.url_for("").rstrip("/")

    def install(self) -> None:
        s = self.server
        s.expect_request("/.well-known/openid-configuration").respond_with_handler(self.discovery)
        s.expect_request("/jwks").respond_with_handler(self.jwks)
        s.expect_request("/authorize").respond_with_handler(self.authorize)
        s.expect_request("/token", method="POST").respond_with_handler(self.token)
        s.expect_request("/userinfo").respond_with_handler(self.userinfo)

    def discovery(self, request: Request) -> Response:
        base = self.issuer
        return _json(
            {
                "issuer": base,
                "authorization_endpoint": f"{base}/authorize",
                "token_endpoint": f"{base}/token",
                "userinfo_endpoint": f"{base}/userinfo",
                "jwks_uri": f"{base}/jwks",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
            }
        )

    def jwks(self, request: Request) -> Response:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        public.update({"kid": self.kid, "alg": "RS256", "use": "sig"})
        return _json({"keys": [public]})

    def authorize(self, request: Request) -> Response:
        args = request.args
        if args.get("client_id") != CLIENT_ID or args.get("response_type") != "code":
            return _json({"error": "unauthorized_client"}, 400)
        if "openid" not in args.get("scope", "").split():
            return _json({"error": "invalid_scope"}, 400)
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "redirect_uri": args["redirect_uri"],
            "nonce": args.get("nonce"),
            "challenge": args.get("code_challenge"),
            "method": args.get("code_challenge_method"),
            "user": dict(self.user),
        }
        query = urlencode({"code": code, "state": args["state"]})
        return Response(status=302, headers={"Location": f"{args['redirect_uri']}?{query}"})

    def token(self, request: Request) -> Response:
        form = request.form
        self.token_requests.append(dict(form))
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return _json({"error": "invalid_client"}, 401)
        grant = self.codes.pop(form.get("code", ""), None)  # a code works once
        if grant is None or form.get("redirect_uri") != grant["redirect_uri"]:
            return _json({"error": "invalid_grant"}, 400)
        verifier = form.get("code_verifier", "")
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        if grant["method"] != "S256" or challenge != grant["challenge"]:
            return _json({"error": "invalid_grant", "error_description": "PKCE"}, 400)
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.audience,
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
            **grant["user"],
        }
        id_token = jwt.encode(
            claims, self.forger or self.key, algorithm="RS256", headers={"kid": self.kid}
        )
        access_token = secrets.token_urlsafe(16)
        self.access_tokens[access_token] = grant["user"]
        return _json({"access_token": access_token, "token_type": "Bearer", "id_token": id_token})

    def userinfo(self, request: Request) -> Response:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        user = self.access_tokens.get(token) if scheme == "Bearer" else None
        if user is None:
            return _json({"error": "invalid_token"}, 401)
        return _json(user)
