"""Data packages: what each system holds, as JSON and CSV in a ZIP with the cover letter,
released through a signed link that expires (layout: docs/data-package.md)."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import zipfile
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from dsar.letters import jobs, tokens
from dsar.letters.context import LetterNotApplicable
from dsar.letters.models import DataPackage, ImmutableError, LetterDelivery
from dsar.letters.packages import records_to_csv
from dsar.letters.services import data_item_add, letter_issue, package_build, package_release

from .conftest import TODAY

pytestmark = pytest.mark.django_db

CONTACTS = [
    {"email": "dana@example.org", "phone": "+1 541 555 0100", "since": "2021-04-01"},
    {"email": "dana.o@example.net", "phone": '=HYPERLINK("http://evil")', "tags": ["a", "b"]},
]


@pytest.fixture
def portability(make_request: Any, olivia: Any) -> Any:
    request = make_request("img", "portability")
    data_item_add(
        request=request, actor=olivia, system="Zoho CRM", category="Contact Data", records=CONTACTS
    )
    data_item_add(
        request=request,
        actor=olivia,
        system="Zoho CRM",
        category="Contact Data",
        records=[{"email": "third@example.org"}],
    )
    data_item_add(
        request=request,
        actor=olivia,
        system="Helpdesk",
        category="Profile Data",
        content=b"ticket 1: hello\n",
        original_name="../../tickets.txt",
        content_type="text/plain",
    )
    letter = letter_issue(request=request, kind="portability", actor=olivia)
    return request, letter


def _zip(content: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(content))


def test_the_package_follows_the_documented_layout(portability: Any, olivia: Any) -> None:
    request, letter = portability

    package = package_build(request=request, cover_letter=letter, actor=olivia)

    archive = _zip(package.file.read())
    root = request.reference
    assert sorted(archive.namelist()) == sorted(
        f"{root}/{name}"
        for name in [
            "README.txt",
            "manifest.json",
            "cover-letter.pdf",
            "data/zoho-crm/contact-data.json",
            "data/zoho-crm/contact-data.csv",
            "files/helpdesk/profile-data/tickets.txt",
        ]
    )
    assert archive.read(f"{root}/cover-letter.pdf") == letter.read()
    records = json.loads(archive.read(f"{root}/data/zoho-crm/contact-data.json"))
    assert records == [*CONTACTS, {"email": "third@example.org"}]
    assert archive.read(f"{root}/files/helpdesk/profile-data/tickets.txt") == b"ticket 1: hello\n"
    manifest = json.loads(archive.read(f"{root}/manifest.json"))
    assert manifest["format"] == "dsar-data-package" and manifest["format_version"] == 1
    assert manifest["reference"] == request.reference
    assert manifest["cover_letter"]["sha256"] == letter.sha256
    for item in manifest["items"]:
        for entry in item["files"].values():
            content = archive.read(f"{root}/{entry['path']}")
            assert hashlib.sha256(content).hexdigest() == entry["sha256"]
    assert "Your personal data: request" in archive.read(f"{root}/README.txt").decode()
    with package.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == package.sha256
    assert package.item_count == 3


def test_the_csv_has_every_field_and_defuses_formulas(portability: Any, olivia: Any) -> None:
    request, letter = portability
    package = package_build(request=request, cover_letter=letter, actor=olivia)

    archive = _zip(package.file.read())
    text = archive.read(f"{request.reference}/data/zoho-crm/contact-data.csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))

    assert rows[0] == ["email", "phone", "since", "tags"]
    assert rows[1] == ["dana@example.org", "+1 541 555 0100", "2021-04-01", ""]
    assert rows[2][1] == '\'=HYPERLINK("http://evil")'
    assert rows[2][3] == '["a", "b"]'
    assert rows[3] == ["third@example.org", "", "", ""]


def test_records_to_csv_keeps_plain_values() -> None:
    out = records_to_csv([{"n": 1, "x": None, "s": "-5", "f": "-2+cmd|' /C calc'!A0"}])

    assert out.decode("utf-8-sig").splitlines() == ["n,x,s,f", "1,,-5,'-2+cmd|' /C calc'!A0"]


def test_a_built_package_is_immutable(portability: Any, olivia: Any) -> None:
    request, letter = portability
    package = package_build(request=request, cover_letter=letter, actor=olivia)

    package.sha256 = "0" * 64
    with pytest.raises(ImmutableError):
        package.save()
    with pytest.raises(ImmutableError):
        DataPackage.objects.filter(pk=package.pk).delete()


def test_only_an_access_or_portability_letter_can_cover_a_package(
    portability: Any, olivia: Any
) -> None:
    request, _letter = portability
    acknowledgement = letter_issue(request=request, kind="acknowledgement", actor=olivia)

    with pytest.raises(LetterNotApplicable):
        package_build(request=request, cover_letter=acknowledgement, actor=olivia)


def test_a_package_needs_data(make_request: Any, olivia: Any) -> None:
    request = make_request("img", "access")
    letter = letter_issue(request=request, kind="access", actor=olivia)

    with pytest.raises(LetterNotApplicable, match="Attach the data"):
        package_build(request=request, cover_letter=letter, actor=olivia)


def test_releasing_emails_a_signed_link_that_expires(
    portability: Any,
    olivia: Any,
    client: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.DSAR_DATA_PACKAGE_LINK_DAYS = 14
    request, letter = portability
    package = package_build(request=request, cover_letter=letter, actor=olivia)

    url = package_release(package=package, actor=olivia)

    package.refresh_from_db()
    assert package.link_expires_at == TODAY + datetime.timedelta(days=14)
    delivery = LetterDelivery.objects.get(package=package)
    assert jobs.deliver(delivery.pk) == "sent"
    assert url in mail.outbox[0].body
    assert "ZIP" in mail.outbox[0].body
    path = url.removeprefix("https://dsar.example.org")

    response = client.get(path)
    assert response.status_code == 200
    assert response.content == package.file.read()
    assert response["Content-Type"] == "application/zip"
    package.refresh_from_db()
    assert package.download_count == 1
    downloaded = [
        e
        for e in request.events.all()
        if e.data.get("letter", {}).get("event") == "package_downloaded"
    ]
    assert downloaded[0].actor_label == "requester"

    with time_machine.travel(TODAY + datetime.timedelta(days=14, seconds=1), tick=False):
        assert client.get(path).status_code == 404
    assert client.get(path[:-3] + "abc/").status_code == 404


def test_releasing_again_invalidates_the_older_link(
    portability: Any, olivia: Any, client: Any
) -> None:
    request, letter = portability
    package = package_build(request=request, cover_letter=letter, actor=olivia)
    first = package_release(package=package, actor=olivia, send_email=False)

    with time_machine.travel(TODAY + datetime.timedelta(days=1), tick=False):
        second = package_release(package=package, actor=olivia, send_email=False)
        assert client.get(first.removeprefix("https://dsar.example.org")).status_code == 404
        assert client.get(second.removeprefix("https://dsar.example.org")).status_code == 200


def test_an_unreleased_package_has_no_link(portability: Any, olivia: Any) -> None:
    request, letter = portability
    package = package_build(request=request, cover_letter=letter, actor=olivia)

    with pytest.raises(AssertionError):
        tokens.package_token(package)


class TestStaffViews:
    def test_staff_attach_build_release_and_download(
        self, client: Any, olivia: Any, portability: Any
    ) -> None:
        request, letter = portability
        client.force_login(olivia)

        response = client.post(
            reverse("letters:data_item_add", args=[request.pk]),
            {"system": "Billing", "category": "Financial Data", "records": '{"card": "**** 4242"}'},
        )
        assert response.status_code == 302
        assert request.data_items.count() == 4
        client.post(
            reverse("letters:package_build", args=[request.pk]), {"cover_letter": letter.pk}
        )
        package = DataPackage.objects.get()
        assert package.item_count == 4
        client.post(reverse("letters:package_release", args=[package.pk]))
        package.refresh_from_db()
        assert package.released_at is not None
        response = client.get(reverse("letters:package_download", args=[package.pk]))
        assert response.status_code == 200
        assert response.content == package.file.read()

    def test_a_member_of_another_organization_gets_404(
        self, client: Any, olivia: Any, charlie: Any, portability: Any
    ) -> None:
        request, letter = portability
        package = package_build(request=request, cover_letter=letter, actor=olivia)
        client.force_login(charlie)

        assert (
            client.post(
                reverse("letters:data_item_add", args=[request.pk]),
                {"system": "X", "category": "Y", "records": "[]"},
            ).status_code
            == 404
        )
        assert (
            client.post(
                reverse("letters:package_build", args=[request.pk]), {"cover_letter": letter.pk}
            ).status_code
            == 404
        )
        assert client.post(reverse("letters:package_release", args=[package.pk])).status_code == 404
        assert client.get(reverse("letters:package_download", args=[package.pk])).status_code == 404

    def test_bad_records_are_refused(self, client: Any, olivia: Any, portability: Any) -> None:
        request, _letter = portability
        client.force_login(olivia)

        client.post(
            reverse("letters:data_item_add", args=[request.pk]),
            {"system": "X", "category": "Y", "records": "[1, 2"},
        )

        assert request.data_items.count() == 3

    @pytest.mark.parametrize(
        ("records", "message"),
        [
            ("[" * 50_000 + "]" * 50_000, "The JSON is nested more than 32 levels deep."),
            ('[{"name": "Dana\\u0000"}]', "The JSON holds a NUL character"),
        ],
        ids=["nested-too-deep", "nul"],
    )
    def test_records_nested_too_deep_or_holding_nul_are_a_form_error(
        self, client: Any, olivia: Any, portability: Any, records: str, message: str
    ) -> None:
        request, _letter = portability
        client.force_login(olivia)

        response = client.post(
            reverse("letters:data_item_add", args=[request.pk]),
            {"system": "X", "category": "Y", "records": records},
            follow=True,
        )

        assert response.status_code == 200
        assert message in response.content.decode()
        assert request.data_items.count() == 3

    @pytest.mark.parametrize("value", ["abc", "", "1e3"])
    def test_a_cover_letter_that_is_no_id_is_a_form_error(
        self, client: Any, olivia: Any, portability: Any, value: str
    ) -> None:
        request, _letter = portability
        client.force_login(olivia)

        response = client.post(
            reverse("letters:package_build", args=[request.pk]),
            {"cover_letter": value},
            follow=True,
        )

        assert response.status_code == 200
        assert "Choose the letter that covers the package." in response.content.decode()
        assert not DataPackage.objects.exists()

    def test_a_letter_of_another_request_cannot_cover_the_package(
        self, client: Any, olivia: Any, portability: Any, make_request: Any
    ) -> None:
        request, _letter = portability
        other = make_request("img", "portability")
        other_letter = letter_issue(request=other, kind="portability", actor=olivia)
        client.force_login(olivia)

        response = client.post(
            reverse("letters:package_build", args=[request.pk]), {"cover_letter": other_letter.pk}
        )

        assert response.status_code == 404
        assert not DataPackage.objects.exists()
