"""Single sign-on for staff with OpenID Connect (authorization code flow, with PKCE).

Built on mozilla-django-oidc, with what dsar needs on top:

- **Configured by the issuer alone.** The endpoints come from the provider's discovery document
  (``{DSAR_OIDC_ISSUER}/.well-known/openid-configuration``), read when someone signs in and kept
  for an hour, never at startup: an identity provider that is down stops single sign-on, not
  dsar (local accounts keep working).
- **The ID token is checked in full.** mozilla-django-oidc checks its signature (RS256, with the
  provider's JWKS), its expiry and its nonce; dsar also checks its issuer and its audience (our
  client id), which the library leaves out, so that a token the same provider issued to another
  application cannot sign anyone in here.
- **Accounts are matched on (issuer, subject)** (``OidcIdentity``), never on an email address.
- **The groups claim decides memberships** of the organizations ``DSAR_OIDC_GROUP_MAP`` names, at
  every login (``dsar.accounts.groups``); a person whose groups give no role anywhere is not let
  in. Each change is written to the admin's log.

Off unless ``DSAR_OIDC_ISSUER`` is set; then the staff login page offers it beside the password
form (``templates/accounts/login.html``).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from typing import Any

import requests
from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from dsar.accounts import groups as group_map
from dsar.accounts.models import OidcIdentity
from dsar.organizations.models import Membership, Organization

logger = logging.getLogger(__name__)

#: Seconds to wait on the identity provider (discovery, token, keys, user info).
TIMEOUT = 10
#: Seconds a discovery document is kept.
DISCOVERY_TTL = 3600
#: The only signing algorithm accepted for ID tokens: what providers use by default.
SIGN_ALGO = "RS256"


class DiscoveryError(ImproperlyConfigured):
    """The provider's discovery document could not be read or does not fit."""


def enabled() -> bool:
    return bool(settings.DSAR_OIDC_ISSUER)


def issuer() -> str:
    return str(settings.DSAR_OIDC_ISSUER).rstrip("/")


_cache: dict[str, tuple[float, dict[str, Any]]] = {}
_lock = threading.Lock()


def discovery() -> dict[str, Any]:
    """The provider's discovery document (OpenID Connect Discovery 1.0), kept for an hour. Its
    ``issuer`` must be the configured one: a document that names another is refused."""
    url = issuer() + "/.well-known/openid-configuration"
    with _lock:
        found = _cache.get(url)
    if found is not None and time.monotonic() - found[0] < DISCOVERY_TTL:
        return found[1]
    try:
        response = requests.get(url, timeout=TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise DiscoveryError(f"OpenID Connect discovery failed: {type(error).__name__}") from None
    if str(document.get("issuer", "")).rstrip("/") != issuer():
        raise DiscoveryError("The discovery document names another issuer.")
    missing = [
        key
        for key in ("authorization_endpoint", "token_endpoint", "jwks_uri")
        if not document.get(key)
    ]
    if missing:
        raise DiscoveryError(f"The discovery document lacks {', '.join(missing)}.")
    with _lock:
        _cache[url] = (time.monotonic(), document)
    return document


def forget_discovery() -> None:
    """Drop the kept documents (tests; a provider that moved its endpoints)."""
    with _lock:
        _cache.clear()


#: mozilla-django-oidc's settings, answered from dsar's own (each declared once, in
#: dsar/settings.py) and from discovery, so that the library needs none of its own.
def setting(attr: str, *default: Any) -> Any:
    fixed: dict[str, Any] = {
        "OIDC_RP_CLIENT_ID": lambda: settings.DSAR_OIDC_CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": lambda: settings.DSAR_OIDC_CLIENT_SECRET,
        "OIDC_RP_SCOPES": lambda: settings.DSAR_OIDC_SCOPES,
        "OIDC_RP_SIGN_ALGO": lambda: SIGN_ALGO,
        "OIDC_RP_IDP_SIGN_KEY": lambda: None,
        "OIDC_USE_PKCE": lambda: True,
        "OIDC_USE_NONCE": lambda: True,
        "OIDC_TIMEOUT": lambda: TIMEOUT,
        "OIDC_CREATE_USER": lambda: True,
        "OIDC_STORE_ID_TOKEN": lambda: False,
        "OIDC_AUTHENTICATION_CALLBACK_URL": lambda: "accounts:oidc_callback",
        "LOGIN_REDIRECT_URL": lambda: reverse("admin:index"),
        "LOGIN_REDIRECT_URL_FAILURE": lambda: reverse("admin:login") + "?sso=failed",
        "OIDC_OP_AUTHORIZATION_ENDPOINT": lambda: discovery()["authorization_endpoint"],
        "OIDC_OP_TOKEN_ENDPOINT": lambda: discovery()["token_endpoint"],
        "OIDC_OP_USER_ENDPOINT": lambda: discovery().get("userinfo_endpoint", ""),
        "OIDC_OP_JWKS_ENDPOINT": lambda: discovery()["jwks_uri"],
    }
    if attr in fixed:
        return fixed[attr]()
    return import_from_settings(attr, *default)


def grants() -> list[group_map.Grant]:
    return group_map.parse(settings.DSAR_OIDC_GROUP_MAP)


def _groups_of(claims: dict[str, Any]) -> list[str]:
    value = claims.get(settings.DSAR_OIDC_GROUPS_CLAIM, [])
    if isinstance(value, str):
        value = [value]
    return [str(g) for g in value] if isinstance(value, list) else []


class OidcBackend(OIDCAuthenticationBackend):
    """Signs staff in from the provider's ID token; see the module's docstring."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django builds a backend for every request of a signed-in user (get_user): nothing is
        # read from the provider here, only when someone signs in.
        ModelBackend.__init__(self, *args, **kwargs)
        self.UserModel = get_user_model()

    get_settings = staticmethod(setting)

    # The library reads these as attributes; each is asked for when it is used.
    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: setting("OIDC_OP_TOKEN_ENDPOINT"))
    OIDC_OP_USER_ENDPOINT = property(lambda self: setting("OIDC_OP_USER_ENDPOINT"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: setting("OIDC_OP_JWKS_ENDPOINT"))
    OIDC_RP_CLIENT_ID = property(lambda self: setting("OIDC_RP_CLIENT_ID"))
    OIDC_RP_CLIENT_SECRET = property(lambda self: setting("OIDC_RP_CLIENT_SECRET"))
    OIDC_RP_SIGN_ALGO = SIGN_ALGO
    OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if not enabled() or request is None or "code" not in request.GET:
            return None  # a password login, or single sign-on switched off
        try:
            return super().authenticate(request, **kwargs)
        except (DiscoveryError, requests.RequestException) as error:
            logger.warning("single sign-on failed: %s", type(error).__name__)
            return None
        except SuspiciousOperation as error:
            # A token that fails a check is a failed sign-in, said so on the login page.
            logger.warning("single sign-on refused a token: %s", error)
            return None

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The library's checks (signature, algorithm, expiry, nonce), then issuer and
        audience, which it does not check."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        if str(payload.get("iss", "")).rstrip("/") != issuer():
            raise SuspiciousOperation("The ID token was issued by another provider.")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.DSAR_OIDC_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was issued to another application.")
        if "exp" not in payload or not payload.get("sub"):
            raise SuspiciousOperation("The ID token lacks exp or sub.")
        return payload

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        """The ID token's claims, completed by the user info endpoint where there is one; the
        subject must be the same in both (OpenID Connect Core §5.3.2)."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = super().get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("The user info is another subject's.")
            claims.update(userinfo)
        return claims

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        """Let in only someone the groups map gives a role somewhere."""
        return bool(group_map.roles_for(_groups_of(claims), grants()))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        return self.UserModel.objects.filter(
            oidc_identities__issuer=issuer(), oidc_identities__subject=claims["sub"]
        )

    def _username(self, claims: dict[str, Any]) -> str:
        wanted = str(claims.get("preferred_username") or "").strip()[:150]
        if wanted and not self.UserModel.objects.filter(username__iexact=wanted).exists():
            return wanted
        # Taken by a local account, or none given: a name of its own, never the local one.
        digest = hashlib.sha256(f"{issuer()}|{claims['sub']}".encode()).hexdigest()[:12]
        return f"sso-{digest}"

    @transaction.atomic
    def create_user(self, claims: dict[str, Any]) -> Any:
        user = self.UserModel.objects.create_user(
            self._username(claims), email=str(claims.get("email") or "")[:254]
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        OidcIdentity.objects.create(user=user, issuer=issuer(), subject=claims["sub"])
        return self.update_user(user, claims)

    @transaction.atomic
    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        """Bring the account in line with the provider: name, email, memberships, staff flag."""
        user.email = str(claims.get("email") or user.email)[:254]
        user.first_name = str(claims.get("given_name") or user.first_name)[:150]
        user.last_name = str(claims.get("family_name") or user.last_name)[:150]
        groups = _groups_of(claims)
        sync_memberships(user, group_map.roles_for(groups, grants()))
        user.is_staff = user.is_superuser or Membership.objects.filter(user=user).exists()
        user.save(update_fields=["email", "first_name", "last_name", "is_staff"])
        OidcIdentity.objects.filter(user=user, issuer=issuer(), subject=claims["sub"]).update(
            last_login_at=timezone.now(), groups=groups
        )
        return user

    def get_user(self, user_id: Any) -> Any:
        return ModelBackend.get_user(self, user_id)


def sync_memberships(user: Any, roles: dict[str, Any]) -> None:
    """Make ``user``'s memberships of the organizations the map names what ``roles`` says:
    create, change or remove each, and write each change to the admin's log. Memberships of
    other organizations stay as staff set them."""
    from dsar.organizations.admin import sync_role_groups

    managed = group_map.managed_organizations(grants())
    organizations = {o.slug: o for o in Organization.objects.filter(slug__in=managed)}
    current = {
        m.organization.slug: m
        for m in Membership.objects.filter(
            user=user, organization__slug__in=managed
        ).select_related("organization")
    }
    for slug in managed:
        role = roles.get(slug)
        membership = current.get(slug)
        if role is None and membership is not None:
            _log(user, membership, DELETION, "Removed by single sign-on: no group gives a role.")
            membership.delete()
        elif role is not None and membership is None and slug in organizations:
            membership = Membership.objects.create(
                user=user, organization=organizations[slug], role=role
            )
            _log(user, membership, ADDITION, f"Added by single sign-on as {role}.")
        elif role is not None and membership is not None and membership.role != role:
            old = membership.role
            membership.role = role
            membership.save(update_fields=["role"])
            _log(user, membership, CHANGE, f"Changed by single sign-on from {old} to {role}.")
    sync_role_groups(user)
    # The roles are read once per user object (member_roles): this one has changed.
    if hasattr(user, "_dsar_member_roles"):
        del user._dsar_member_roles


def _log(user: Any, membership: Membership, flag: int, message: str) -> None:
    LogEntry.objects.log_actions(
        user_id=user.pk, queryset=[membership], action_flag=flag, change_message=message
    )


# -- Views -----------------------------------------------------------------------------------------


class LoginView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider (``/sso/login/?next=…``)."""

    get_settings = staticmethod(setting)

    def __init__(self, **kwargs: Any) -> None:
        View.__init__(self, **kwargs)  # the endpoints are read when asked, not here

    def get(self, request: HttpRequest) -> HttpResponse:
        if not enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except DiscoveryError as error:
            logger.warning("single sign-on unavailable: %s", error)
            return HttpResponseRedirect(reverse("admin:login") + "?sso=unavailable")
        self.OIDC_RP_CLIENT_ID = setting("OIDC_RP_CLIENT_ID")
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back with the code."""

    get_settings = staticmethod(setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not enabled():
            raise Http404
        return super().get(request)
