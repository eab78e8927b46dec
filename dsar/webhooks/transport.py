"""One HTTP POST to a URL someone typed into dsar, without letting it reach what it must not.

A webhook URL (or a Data Rights Protocol status callback) is chosen by a privacy officer or an
agent, and dsar's task cluster sends to it from inside the installation's network: a URL naming
``http://10.0.0.5/admin`` or ``https://metadata.internal/`` would make dsar a proxy into that
network (server-side request forgery). So, as ``dsar.letters.render`` does for WeasyPrint, the
rules are checked before any byte is sent:

- https only; http only to a loopback address, and only where ``DSAR_WEBHOOK_ALLOW_HTTP_LOOPBACK``
  says so (tests, a receiver on the same machine);
- no user name or password in the URL;
- the host is resolved and **every** address it resolves to must be a public one (not private,
  loopback, link-local, shared, multicast, reserved, nor an IPv4 address mapped into IPv6),
  unless the installation allows private ones (``DSAR_WEBHOOK_ALLOW_PRIVATE``);
- the connection is then made to the checked address itself, with the host name kept for the
  ``Host`` header and for TLS (SNI and certificate check): a name that resolves to a public
  address when checked and to 127.0.0.1 a moment later (DNS rebinding) is never asked again;
- redirects are not followed (a 3xx is a failed try), and the answer is read up to a limit.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from dsar.webhooks.conf import WebhookSettings, webhook_settings

#: Bytes of the answer read (and at most this much kept, as text, by the caller).
READ_LIMIT = 16 * 1024
USER_AGENT = "dsar-webhooks/1"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class RefusedURL(ValueError):
    """The URL may not be sent to (scheme, credentials, or an address that is not public)."""


@dataclass(frozen=True)
class Target:
    """A URL checked for sending: where to connect (the checked addresses) and what to ask."""

    scheme: str
    host: str
    port: int
    path: str  # with the query string
    addresses: tuple[str, ...]


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def _effective(address: IPAddress) -> IPAddress:
    """An IPv4 address mapped or translated into IPv6 is judged as the IPv4 address it is."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.sixtofour is not None:
            return address.sixtofour
    return address


def is_public(address: IPAddress) -> bool:
    """A global unicast address: not private, loopback, link-local, shared (100.64/10),
    multicast, reserved or unspecified."""
    address = _effective(address)
    return address.is_global and not address.is_multicast


def is_loopback(address: IPAddress) -> bool:
    return _effective(address).is_loopback


def check_syntax(url: str, conf: WebhookSettings | None = None) -> tuple[str, str, int, str]:
    """The scheme, host, port and path of ``url`` if its form is acceptable (no DNS look-up):
    what a form can tell its user at once. Raises RefusedURL."""
    conf = conf or webhook_settings()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise RefusedURL(_("This is not a valid URL: %(error)s") % {"error": error}) from None
    scheme, host = parts.scheme.lower(), (parts.hostname or "")
    if scheme not in ("https", "http"):
        raise RefusedURL(_("Only https:// addresses are allowed."))
    if not host:
        raise RefusedURL(_("The URL has no host name."))
    if parts.username is not None or parts.password is not None:
        raise RefusedURL(_("A URL may not carry a user name or password."))
    if scheme == "http" and not conf.allow_http_loopback:
        raise RefusedURL(_("Only https:// addresses are allowed."))
    literal = _literal(host)
    if literal is not None:
        _check_address(literal, scheme, conf)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, host, port or (443 if scheme == "https" else 80), path


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _check_address(address: IPAddress, scheme: str, conf: WebhookSettings) -> None:
    if scheme == "http":
        # Plain http is allowed to this machine only, and only where the setting says so.
        if not is_loopback(address):
            raise RefusedURL(_("http:// is allowed to a loopback address only; use https://."))
        return
    if not is_public(address) and not conf.allow_private:
        raise RefusedURL(
            _("%(address)s is not a public address: private and loopback addresses are refused.")
            % {"address": address}
        )


def resolve(url: str, conf: WebhookSettings | None = None) -> Target:
    """Check ``url`` and resolve its host; every address it resolves to must pass (one bad
    address refuses the URL: which one a later look-up returns is not ours to choose)."""
    conf = conf or webhook_settings()
    scheme, host, port, path = check_syntax(url, conf)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise RefusedURL(
            _("The host name does not resolve: %(error)s") % {"error": error}
        ) from None
    addresses: list[str] = []
    for _family, _type, _proto, _name, sockaddr in found:
        text = str(sockaddr[0]).split("%", 1)[0]  # an IPv6 zone id is no part of the address
        _check_address(ipaddress.ip_address(text), scheme, conf)
        if text not in addresses:
            addresses.append(text)
    if not addresses:
        raise RefusedURL(_("The host name does not resolve."))
    return Target(scheme=scheme, host=host, port=port, path=path, addresses=tuple(addresses))


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to a checked address, whatever the host name resolves to now."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """TLS to a checked address, with the certificate checked against the host name."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]


def post(target: Target, body: bytes, headers: dict[str, str], *, timeout: float) -> Answer:
    """POST ``body`` to ``target``, connecting to its checked addresses in turn until one
    accepts the connection. Raises OSError (refused, timed out, TLS) or HTTPException."""
    started = time.monotonic()
    last_error: OSError | None = None
    for address in target.addresses:
        cls = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
        connection = cls(target.host, target.port, address, timeout)
        try:
            try:
                connection.connect()
            except OSError as error:
                if isinstance(error, TimeoutError | ssl.SSLError):
                    raise
                last_error = error  # refused: try the next checked address
                continue
            connection.request(
                "POST",
                target.path,
                body=body,
                headers={"User-Agent": USER_AGENT, "Content-Type": "application/json", **headers},
            )
            response = connection.getresponse()
            text = response.read(READ_LIMIT).decode("utf-8", errors="replace")
            return Answer(
                status=response.status,
                body=text,
                duration_ms=int((time.monotonic() - started) * 1000),
            )
        finally:
            connection.close()
    assert last_error is not None  # noqa: S101 - resolve() returns one address at least
    raise last_error
