"""Housekeeping of letters: after retention the PDFs, data files and ZIPs are deleted from
private storage and the delivery addresses blanked, the letter rows kept as the record; a data
package's ZIP goes when its link expires. Run through ``dsar.reminders.jobs.housekeeping``, the
daily job that calls the hooks, so a hook that is not wired up fails these tests."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from dsar.letters import jobs as letter_jobs
from dsar.letters import tokens
from dsar.letters.context import LetterNotApplicable
from dsar.letters.models import DataItem, DataPackage, ImmutableError, Letter, LetterDelivery
from dsar.letters.services import (
    data_item_add,
    letter_issue,
    letter_send,
    package_build,
    package_release,
)
from dsar.reminders import jobs as reminder_jobs
from dsar.requests.models import PrivacyRequest, Status

from .conftest import TODAY

pytestmark = pytest.mark.django_db

RETENTION_DAYS = 365


@pytest.fixture
def retention(settings: Any) -> None:
    settings.DSAR_PURGE_AFTER_DAYS = RETENTION_DAYS


@pytest.fixture
def released(make_request: Any, olivia: Any, retention: None) -> dict[str, Any]:
    """An IMG portability request answered in full: a letter emailed, a file and records
    attached, a package built and released; closed today."""
    request = make_request("img", "portability")
    item = data_item_add(
        request=request,
        actor=olivia,
        system="Helpdesk",
        category="Profile Data",
        content=b"ticket 1: Dana Ortiz, 742 Evergreen Terrace\n",
        original_name="dana-ortiz-tickets.txt",
        content_type="text/plain",
    )
    records = data_item_add(
        request=request,
        actor=olivia,
        system="Zoho CRM",
        category="Contact Data",
        records=[{"email": "dana@example.org"}],
    )
    letter = letter_issue(
        request=request, kind="portability", actor=olivia, parts={"note": "Dear Dana Ortiz"}
    )
    delivery = letter_send(letter=letter, actor=olivia, method="attachment")
    letter_jobs.deliver(delivery.pk)
    package = package_build(request=request, cover_letter=letter, actor=olivia)
    package_url = package_release(package=package, actor=olivia)
    letter_url = tokens.letter_url(letter)
    PrivacyRequest.objects.filter(pk=request.pk).update(status=Status.FULFILLED, closed_at=TODAY)
    return {
        "request": request,
        "letter": Letter.objects.get(pk=letter.pk),
        "item": item,
        "records": records,
        "package": DataPackage.objects.get(pk=package.pk),
        "letter_url": letter_url,
        "package_url": package_url,
    }


def stored(root: Path, field: Any) -> Path:
    return root / field.name


def housekeeping(days: int) -> dict[str, Any]:
    with time_machine.travel(TODAY + datetime.timedelta(days=days), tick=False):
        return reminder_jobs.housekeeping()


def path_of(url: str) -> str:
    return url.removeprefix("https://dsar.example.org")


def test_after_retention_the_files_go_and_the_record_stays(
    released: dict[str, Any], private_root: Path, client: Any, olivia: Any
) -> None:
    letter, item, package = released["letter"], released["item"], released["package"]
    files = [stored(private_root, f) for f in (letter.file, item.file, package.file)]
    assert all(path.is_file() for path in files)
    assert LetterDelivery.objects.get(letter=letter, package=None).to == "dana@example.org"

    result = housekeeping(RETENTION_DAYS + 1)

    assert result["purged"] == 1
    assert result["purge_errors"] == 0
    assert [path for path in files if path.exists()] == []
    assert set(LetterDelivery.objects.filter(letter=letter).values_list("to", flat=True)) == {""}
    kept = Letter.objects.get(pk=letter.pk)
    assert (kept.reference, kept.kind, kept.sha256, kept.size) == (
        letter.reference,
        "portability",
        letter.sha256,
        letter.size,
    )
    assert (kept.issued_at, kept.released_at) == (letter.issued_at, letter.released_at)
    assert kept.parts == {}
    assert kept.purged_at is not None
    item = DataItem.objects.get(pk=item.pk)
    assert (item.original_name, item.sha256) == ("", released["item"].sha256)
    assert DataItem.objects.get(pk=released["records"].pk).records == []
    package = DataPackage.objects.get(pk=package.pk)
    assert (package.sha256, package.file_deleted) == (released["package"].sha256, True)

    event = released["request"].events.get(data__letter__event="purged")
    assert event.summary == "Letters' personal data purged"
    assert event.data["letter"]["letters"] == 1
    assert event.data["letter"]["data_items"] == 2
    assert event.data["letter"]["packages"] == 1
    assert event.data["letter"]["delivery_addresses"] == 2
    assert "dana" not in str(event.data).lower() and "dana" not in event.summary.lower()

    # The requester's links no longer serve anything; staff are told the PDF was deleted.
    with time_machine.travel(TODAY + datetime.timedelta(days=RETENTION_DAYS + 1), tick=False):
        assert client.get(path_of(released["letter_url"])).status_code == 404
        assert client.get(path_of(released["package_url"])).status_code == 404
        client.force_login(olivia)
        assert client.get(reverse("letters:download", args=[letter.pk])).status_code == 410
        page = client.get(reverse("letters:request_letters", args=[released["request"].pk]))
        assert "PDF deleted" in page.content.decode()

    # Idempotent: a second run finds nothing to do and records nothing more.
    housekeeping(RETENTION_DAYS + 2)
    assert released["request"].events.filter(data__letter__event="purged").count() == 1


def test_nothing_is_touched_before_the_retention_period_ends(
    released: dict[str, Any], private_root: Path, client: Any
) -> None:
    letter, item, package = released["letter"], released["item"], released["package"]

    housekeeping(10)

    for field in (letter.file, item.file, package.file):
        assert stored(private_root, field).is_file()
    assert Letter.objects.get(pk=letter.pk).parts == letter.parts
    assert LetterDelivery.objects.get(letter=letter, package=None).to == "dana@example.org"
    assert DataItem.objects.get(pk=item.pk).original_name == "dana-ortiz-tickets.txt"
    with time_machine.travel(TODAY + datetime.timedelta(days=10), tick=False):
        assert client.get(path_of(released["letter_url"])).status_code == 200
        assert client.get(path_of(released["package_url"])).status_code == 200


def test_an_expired_package_loses_its_zip_and_keeps_its_row(
    released: dict[str, Any], private_root: Path, client: Any, olivia: Any
) -> None:
    package = released["package"]
    expires = package.link_expires_at
    assert expires is not None
    days = (expires - TODAY).days + 1

    result = housekeeping(days)

    assert result["expired"]["dsar.letters.housekeeping.delete_expired"]["packages_expired"] == 1
    assert not stored(private_root, package.file).exists()
    after = DataPackage.objects.get(pk=package.pk)
    assert after.file_deleted and (after.sha256, after.size) == (package.sha256, package.size)
    # Before retention: the letter itself stays.
    assert stored(private_root, released["letter"].file).is_file()
    with time_machine.travel(TODAY + datetime.timedelta(days=days), tick=False):
        client.force_login(olivia)
        assert client.get(reverse("letters:package_download", args=[package.pk])).status_code == (
            410
        )
        page = client.get(reverse("letters:request_letters", args=[released["request"].pk]))
        assert "expired: ZIP deleted" in page.content.decode()
        with pytest.raises(LetterNotApplicable):
            package_release(package=after, actor=olivia)


def test_requests_purged_before_the_letters_hook_existed_are_caught_up(
    released: dict[str, Any], private_root: Path
) -> None:
    """Their own fields are blank already, so only the letters' hook visits them again."""
    request = released["request"]
    PrivacyRequest.objects.filter(pk=request.pk).update(
        requester_name="", requester_email="", requester_address="", requester_phone=""
    )

    result = housekeeping(RETENTION_DAYS + 1)

    assert result["purged"] == 0
    assert result["expired"]["dsar.letters.housekeeping.delete_expired"]["requests_purged"] == 1
    assert not stored(private_root, released["letter"].file).exists()


def _raw_update(sql: str, params: list[Any]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_only_the_purge_may_change_an_issued_letter(released: dict[str, Any]) -> None:
    letter = released["letter"]
    with pytest.raises(ImmutableError):
        Letter.objects.filter(pk=letter.pk).update(parts={})
    # The database refuses too: parts change only to {} together with purged_at, once.
    with pytest.raises(DatabaseError):
        _raw_update("UPDATE letters_letter SET parts = %s WHERE id = %s", ["{}", letter.pk])
    housekeeping(RETENTION_DAYS + 1)
    with pytest.raises(DatabaseError):
        _raw_update("UPDATE letters_letter SET purged_at = NULL WHERE id = %s", [letter.pk])
    with pytest.raises(DatabaseError):
        _raw_update("UPDATE letters_letter SET sha256 = %s WHERE id = %s", ["0" * 64, letter.pk])
