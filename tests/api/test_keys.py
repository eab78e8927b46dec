"""Keys: a Bearer key of the organization, with a scope, an expiry, a revocation and a last use;
made by a privacy officer in the staff pages (shown once) or by ``create_api_key``."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.core.management import call_command

from dsar.api import keys
from dsar.api.models import ApiKey
from tests.api.conftest import make_key
from tests.workspace.conftest import NOW, make_member

pytestmark = pytest.mark.django_db

REQUESTS = "/api/v1/requests/"


def _problem(response: Any, status: int, kind: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == f"urn:dsar:problem:{kind}" and body["status"] == status
    assert body["title"] and body["detail"]
    return body


def test_a_call_without_a_key_is_401_with_the_scheme(api: Any, img: Any) -> None:
    response = api("GET", REQUESTS, None)
    _problem(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("key", ["nonsense", "dsar_aaaaaaaaaa_" + "x" * 43, ""])
def test_an_unknown_key_is_401(api: Any, img_key: str, key: str) -> None:
    _problem(api("GET", REQUESTS, key), 401, "unauthenticated")


def test_a_wrong_secret_with_a_real_prefix_is_401(api: Any, img_key: str) -> None:
    forged = img_key[: len("dsar_") + keys.PREFIX_LENGTH + 1] + "y" * 43
    body = _problem(api("GET", REQUESTS, forged), 401, "unauthenticated")
    assert body["detail"] == "The API key is not valid."


def test_a_revoked_key_is_refused(api: Any, img_key: Any) -> None:
    assert api("GET", REQUESTS, img_key).status_code == 200
    assert keys.api_key_revoke(api_key=img_key.row)
    body = _problem(api("GET", REQUESTS, img_key), 401, "unauthenticated")
    assert body["detail"] == "The API key is revoked."
    assert not keys.api_key_revoke(api_key=img_key.row)


def test_an_expired_key_is_refused(api: Any, img: Any, time_machine: Any) -> None:
    key = make_key(img, "read", "short", expires_in_days=1)
    assert api("GET", REQUESTS, key).status_code == 200
    time_machine.move_to(NOW + dt.timedelta(days=1, seconds=1), tick=False)
    body = _problem(api("GET", REQUESTS, key), 401, "unauthenticated")
    assert body["detail"] == "The API key is expired."


def test_a_read_key_reads_and_cannot_write(api: Any, img_reader: str, log_request: Any) -> None:
    r = log_request()
    assert api("GET", f"{REQUESTS}{r.reference}/", img_reader).status_code == 200
    for path, body in [
        (REQUESTS, {"right_kind": "access", "requester_name": "A", "requester_email": "a@x.org"}),
        (f"{REQUESTS}{r.reference}/start/", {}),
        (f"{REQUESTS}{r.reference}/note/", {"text": "x"}),
        (f"{REQUESTS}{r.reference}/letters/", {"kind": "acknowledgement"}),
    ]:
        _problem(api("POST", path, img_reader, body), 403, "forbidden")
    assert r.events.count() == 1


def test_last_use_is_written_at_most_once_a_minute(
    api: Any, img_key: Any, time_machine: Any, django_assert_max_num_queries: Any
) -> None:
    api("GET", REQUESTS, img_key)
    row = ApiKey.objects.get(pk=img_key.row.pk)
    assert row.last_used_at == NOW
    time_machine.move_to(NOW + dt.timedelta(seconds=30), tick=False)
    # The key and its rate counter (one statement on PostgreSQL), the page: no UPDATE.
    with django_assert_max_num_queries(3):
        api("GET", REQUESTS, img_key)
    assert ApiKey.objects.get(pk=img_key.row.pk).last_used_at == NOW
    time_machine.move_to(NOW + dt.timedelta(seconds=61), tick=False)
    api("GET", REQUESTS, img_key)
    assert ApiKey.objects.get(pk=img_key.row.pk).last_used_at == NOW + dt.timedelta(seconds=61)


def test_only_the_hash_is_stored(img_key: Any) -> None:
    row = ApiKey.objects.get(pk=img_key.row.pk)
    assert row.key_hash == keys.hash_key(str(img_key)) and str(img_key) not in str(vars(row))
    assert str(img_key).startswith(f"dsar_{row.prefix}_")


def test_the_command_prints_the_key_once(api: Any, img: Any) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "create_api_key",
        "--organization=img",
        "--scope=write",
        "--expires=30",
        "--name=erp",
        stdout=out,
        stderr=err,
    )
    key = out.getvalue().strip()
    row = ApiKey.objects.get(name="erp")
    assert (row.scope, row.organization.slug) == ("write", "img")
    assert row.expires_at == NOW + dt.timedelta(days=30)
    assert key not in err.getvalue()
    assert api("GET", REQUESTS, key).status_code == 200


class TestStaffPages:
    ADD = "/staff/api/apikey/add/"
    LIST = "/staff/api/apikey/"

    def test_a_privacy_officer_makes_a_key_and_sees_it_once(
        self, login: Any, olivia: Any, img: Any, api: Any
    ) -> None:
        client = login(olivia)
        page = client.post(
            self.ADD,
            {"organization": img.pk, "name": "crm", "scope": "read", "expires_in_days": "90"},
        )
        assert page.status_code == 200
        assert "no-store" in page["Cache-Control"]
        key = re.search(r"dsar_[a-z0-9]{10}_[A-Za-z0-9_-]{43}", page.content.decode()).group(0)
        assert api("GET", REQUESTS, key).status_code == 200
        row = ApiKey.objects.get(name="crm")
        assert (row.created_by, row.expires_at) == (olivia, NOW + dt.timedelta(days=90))
        listed = client.get(self.LIST).content.decode()
        assert row.prefix in listed and key not in listed
        change = client.get(f"{self.LIST}{row.pk}/change/").content.decode()
        assert key not in change

    def test_a_privacy_officer_revokes_a_key(self, login: Any, olivia: Any, img_key: Any) -> None:
        client = login(olivia)
        client.post(
            self.LIST, {"action": "revoke", "_selected_action": [img_key.row.pk], "index": 0}
        )
        assert ApiKey.objects.get(pk=img_key.row.pk).revoked_by == olivia

    def test_handlers_and_auditors_see_no_keys(
        self, login: Any, alice: Any, audrey: Any, img_key: Any
    ) -> None:
        for user in (alice, audrey):
            client = login(user)
            assert client.get(self.LIST).status_code == 403
            assert client.get(f"{self.LIST}{img_key.row.pk}/change/").status_code in (403, 404)

    def test_another_organizations_officer_gets_404(
        self, login: Any, imt: Any, img_key: Any
    ) -> None:
        from dsar.organizations.models import Role

        officer = make_member("otto", imt, Role.PRIVACY_OFFICER)
        client = login(officer)
        assert client.get(self.LIST).status_code == 200
        assert img_key.row.prefix not in client.get(self.LIST).content.decode()
        assert client.get(f"{self.LIST}{img_key.row.pk}/change/").status_code == 404
        page = client.post(
            self.ADD, {"organization": img_key.row.organization_id, "name": "x", "scope": "write"}
        )
        assert page.status_code == 200 and not ApiKey.objects.filter(name="x").exists()
