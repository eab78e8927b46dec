"""The public form's rate limits behind a proxy: whose address a request comes from.

A forwarded header is read only from a proxy trusted by DSAR_TRUSTED_PROXIES (a number of
proxies, or their networks); a client talking to dsar directly, or prepending hops of its own,
cannot choose its bucket.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory

from dsar.intake import throttle
from dsar.requests.models import PrivacyRequest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PROXY = "10.0.0.1"


def ip(*, remote: str, **headers: str) -> str:
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)
    return throttle.client_ip(request)


# -- Whose address: the rules ----------------------------------------------------------------------


def test_without_trusted_proxies_no_forwarded_header_is_read(settings):
    settings.DSAR_TRUSTED_PROXIES = []
    settings.DSAR_INTAKE_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"

    assert ip(remote="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1") == ("203.0.113.7")


def test_one_proxy_the_address_it_appended_is_the_client(settings):
    settings.DSAR_TRUSTED_PROXIES = 1

    assert ip(remote=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1") == "198.51.100.1"
    assert ip(remote=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.2") == "198.51.100.2"


def test_a_hop_the_client_prepended_is_ignored_with_a_count(settings):
    settings.DSAR_TRUSTED_PROXIES = 2  # a load balancer, then nginx
    forged = "6.6.6.6, 198.51.100.1, 10.0.0.5"  # client's own, then what each proxy appended

    assert ip(remote=PROXY, HTTP_X_FORWARDED_FOR=forged) == "198.51.100.1"


def test_fewer_hops_than_proxies_is_not_the_route_configured(settings):
    settings.DSAR_TRUSTED_PROXIES = 2

    assert ip(remote=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1") == PROXY


def test_with_networks_a_direct_client_forging_the_header_is_ignored(settings):
    settings.DSAR_TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.DSAR_INTAKE_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"

    assert ip(remote="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1") == ("203.0.113.7")


def test_with_networks_the_first_untrusted_address_from_the_right_is_the_client(settings):
    settings.DSAR_TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8:ffff::/48"]
    forged = "6.6.6.6, 198.51.100.1, 10.1.2.3, 2001:db8:ffff::7"

    assert ip(remote=PROXY, HTTP_X_FORWARDED_FOR=forged) == "198.51.100.1"


def test_with_networks_ports_brackets_and_mapped_addresses_are_read(settings):
    settings.DSAR_TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert ip(remote=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1:4711") == "198.51.100.1"
    assert ip(remote=PROXY, HTTP_X_FORWARDED_FOR="[2001:db8::1]:443") == "2001:db8::1"
    assert ip(remote="::ffff:10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1") == ("198.51.100.1")


def test_with_networks_garbage_stops_the_walk_at_the_last_trusted_proxy(settings):
    settings.DSAR_TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert ip(remote=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1, junk") == PROXY


def test_a_one_address_header_is_read_from_a_trusted_proxy_only(settings):
    settings.DSAR_TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.DSAR_INTAKE_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"

    assert ip(remote=PROXY, HTTP_X_REAL_IP="198.51.100.1") == "198.51.100.1"
    assert ip(remote="203.0.113.7", HTTP_X_REAL_IP="198.51.100.1") == "203.0.113.7"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "[]"),
        ("1", "1"),
        ("0", "0"),
        ("10.0.0.0/8, 192.0.2.7", "['10.0.0.0/8', '192.0.2.7/32']"),
    ],
)
def test_the_setting_is_read_from_the_environment(value, expected):
    shown = _settings_value(value)

    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == expected


def test_a_setting_that_cannot_be_read_stops_the_start():
    shown = _settings_value("ten.0.0.0/8")

    assert shown.returncode != 0
    assert "DSAR_TRUSTED_PROXIES must be a number of proxies" in shown.stderr


def _settings_value(value: str) -> subprocess.CompletedProcess[str]:
    env = {"DEBUG": "true", "DSAR_TRUSTED_PROXIES": value, "PATH": ""}
    return subprocess.run(
        [sys.executable, "-c", "import dsar.settings as s; print(s.DSAR_TRUSTED_PROXIES)"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )


# -- The form's buckets ----------------------------------------------------------------------------


@pytest.fixture
def one_an_hour(settings):
    settings.DSAR_INTAKE_RATE_LIMITS = {"submit_ip": (1, 3600), "submit_email": (100, 3600)}


def test_behind_one_proxy_distinct_clients_get_distinct_buckets(img, submit, settings, one_an_hour):
    settings.DSAR_TRUSTED_PROXIES = 1
    first = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    second = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.2")

    assert submit(img, client_=first).status_code == 302
    assert submit(img, client_=second, email="b@example.org").status_code == 302
    assert submit(img, client_=first, email="c@example.org").status_code == 429
    assert PrivacyRequest.objects.count() == 2


def test_a_direct_client_forging_x_forwarded_for_stays_in_its_bucket(
    img, submit, settings, one_an_hour
):
    settings.DSAR_TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.DSAR_INTAKE_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    first = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1")
    forged = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.2")

    assert submit(img, client_=first).status_code == 302
    assert submit(img, client_=forged, email="b@example.org").status_code == 429


def test_a_spoofed_hop_prepended_by_the_client_does_not_give_a_new_bucket(
    img, submit, settings, one_an_hour
):
    settings.DSAR_TRUSTED_PROXIES = 1
    first = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.1, 198.51.100.1")
    spoofed = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.2, 198.51.100.1")
    other = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.1, 198.51.100.2")

    assert submit(img, client_=first).status_code == 302
    assert submit(img, client_=spoofed, email="b@example.org").status_code == 429
    assert submit(img, client_=other, email="c@example.org").status_code == 302


def test_check_deploy_warns_of_a_header_without_trusted_proxies(settings):
    from dsar.core.checks import check_client_ip_header

    settings.DSAR_INTAKE_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    settings.DSAR_TRUSTED_PROXIES = []
    assert [message.id for message in check_client_ip_header()] == ["dsar.W002"]

    settings.DSAR_TRUSTED_PROXIES = 1
    assert check_client_ip_header() == []


def test_the_production_profile_trusts_its_one_proxy():
    profile = (ROOT / "docs" / "production.env.example").read_text()

    assert "\nDSAR_TRUSTED_PROXIES=1\n" in profile
