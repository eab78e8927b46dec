"""A webhook URL cannot make dsar reach what it must not: only https to public addresses, every
address a name resolves to checked, and the connection made to the address that was checked."""

from __future__ import annotations

import socket

import pytest
from pytest_httpserver import HTTPServer

from dsar.webhooks import outbox, transport
from dsar.webhooks.models import Delivery, OutboxStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict(settings):
    settings.DSAR_WEBHOOK_ALLOW_HTTP_LOOPBACK = False
    settings.DSAR_WEBHOOK_ALLOW_PRIVATE = False


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",  # plain http, and loopback
        "https://127.0.0.1/hook",
        "https://127.1.2.3/hook",
        "https://10.0.0.5/hook",
        "https://10.255.255.255/hook",
        "https://172.16.0.1/hook",
        "https://192.168.1.20/hook",
        "https://169.254.169.254/latest/meta-data/",  # cloud metadata
        "https://100.64.0.1/hook",  # shared address space
        "https://0.0.0.0/hook",
        "https://[::1]/hook",
        "https://[fe80::1]/hook",
        "https://[fd00::1]/hook",
        "https://[::ffff:10.0.0.1]/hook",  # IPv4 mapped into IPv6
        "https://localhost/hook",  # a name that resolves to loopback
        "https://user:secret@example.org/hook",  # credentials in the URL
        "ftp://example.org/hook",
        "file:///etc/passwd",
    ],
)
def test_refused_without_the_installation_allowing_it(strict, url):
    with pytest.raises(transport.RefusedURL):
        transport.resolve(url)


def test_private_addresses_pass_where_the_installation_allows_them(strict, settings):
    settings.DSAR_WEBHOOK_ALLOW_PRIVATE = True
    target = transport.resolve("https://10.0.0.5:8443/hook?x=1")
    assert target.addresses == ("10.0.0.5",)
    assert (target.host, target.port, target.path) == ("10.0.0.5", 8443, "/hook?x=1")
    # Plain http stays for loopback only, and only with its own setting.
    with pytest.raises(transport.RefusedURL):
        transport.resolve("http://10.0.0.5/hook")


def test_http_to_loopback_only_with_its_setting(settings):
    settings.DSAR_WEBHOOK_ALLOW_HTTP_LOOPBACK = True
    assert transport.resolve("http://127.0.0.1:9/hook").addresses == ("127.0.0.1",)
    with pytest.raises(transport.RefusedURL):
        transport.resolve("http://192.168.1.1/hook")


def fake_dns(monkeypatch, answers: dict[str, list[str]]) -> list[str]:
    """Make these names resolve to these addresses; other names resolve as usual. Returns the
    log of names asked."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):
        asked.append(host)
        if host in answers:
            return [
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 443))
                for address in answers[host]
            ]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def test_one_private_address_among_public_ones_refuses_the_name(strict, monkeypatch):
    fake_dns(monkeypatch, {"hooks.example": ["93.184.216.34", "10.0.0.7"]})
    with pytest.raises(transport.RefusedURL, match=r"10\.0\.0\.7"):
        transport.resolve("https://hooks.example/hook")


def test_the_connection_goes_to_the_checked_address_whatever_the_name_resolves_to_later(
    monkeypatch, settings, receiver: HTTPServer
):
    """DNS rebinding: the name passes the check as a loopback address (allowed here for http),
    then would resolve to a private one; the POST still goes to the address checked, with the
    name kept in the Host header."""
    settings.DSAR_WEBHOOK_ALLOW_HTTP_LOOPBACK = True
    answers = {"rebind.example": ["127.0.0.1"]}
    fake_dns(monkeypatch, answers)
    receiver.expect_request("/hook").respond_with_data("ok")
    target = transport.resolve(f"http://rebind.example:{receiver.port}/hook")
    answers["rebind.example"] = ["10.0.0.9"]  # the attacker's DNS answers differently now

    answer = transport.post(target, b"{}", {}, timeout=1)

    assert answer.status == 200
    ((request, _response),) = receiver.log
    assert request.headers["Host"] == f"rebind.example:{receiver.port}"


def test_a_delivery_to_a_refused_address_fails_without_a_connection(
    strict, subscribe, log, monkeypatch
):
    subscribe(url="https://10.1.2.3/hook")
    log()
    connected: list[object] = []
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: connected.append(a))

    outbox.deliver_pending()

    delivery = Delivery.objects.get()
    assert delivery.status == OutboxStatus.PENDING and delivery.attempts == 1
    (attempt,) = delivery.tries.all()
    assert attempt.error.startswith("refused:") and "10.1.2.3" in attempt.error
    assert connected == []


def test_a_redirect_is_not_followed(subscribe, log, receiver):
    subscribe()
    receiver.expect_request("/hook").respond_with_data(
        "", status=302, headers={"Location": "http://169.254.169.254/"}
    )
    log()
    outbox.deliver_pending()
    delivery = Delivery.objects.get()
    assert delivery.last_status_code == 302 and delivery.status == OutboxStatus.PENDING
    assert len(receiver.log) == 1
