"""An issued letter is archived once: its bytes, hash and template version never change."""

from __future__ import annotations

import hashlib
import stat
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from dsar.letters.models import ImmutableError, Letter
from dsar.letters.render import letter_template
from dsar.letters.services import letter_issue
from dsar.letters.storage import private_storage
from dsar.requests.models import EventKind

from .helpers import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter(shared_acknowledgement: int, olivia: Any) -> Letter:
    """Olivia's acknowledgement, issued once for the module (conftest)."""
    return Letter.objects.select_related("request").get(pk=shared_acknowledgement)


def test_issuing_twice_makes_two_letters(letter: Letter, olivia: Any) -> None:
    again = letter_issue(request=letter.request, kind="acknowledgement", actor=olivia)

    assert (letter.number, again.number) == (1, 2)
    assert letter.file.name != again.file.name
    assert Letter.objects.filter(request=letter.request).count() == 2
    assert f"{letter.request.reference}/L2" in pdf_text(again.read())


def test_the_stored_bytes_match_the_recorded_sha256(letter: Letter, private_root: Path) -> None:
    path = Path(letter.file.path)

    assert hashlib.sha256(path.read_bytes()).hexdigest() == letter.sha256
    assert letter.size == path.stat().st_size
    assert path.read_bytes().startswith(b"%PDF-")
    # Under the private root, read-only, with no URL.
    assert private_root.resolve() in path.resolve().parents
    assert stat.S_IMODE(path.stat().st_mode) == 0o440
    with pytest.raises(ValueError, match="not accessible via a URL"):
        private_storage().url(letter.file.name)


def test_it_records_the_template_and_its_version(letter: Letter) -> None:
    template = letter_template("acknowledgement", "en")

    assert letter.template == "letters/en/acknowledgement.html"
    assert letter.template_version == template.version
    assert len(letter.template_version) == 64
    assert letter_template("acknowledgement", "es").version != template.version


@pytest.mark.parametrize(
    "field, value",
    [
        ("sha256", "0" * 64),
        ("file", "letters/other.pdf"),
        ("template_version", "f" * 64),
        ("parts", {"note": "rewritten"}),
        ("kind", "refusal"),
        ("size", 1),
    ],
)
def test_the_model_refuses_to_change_an_issued_letter(
    letter: Letter, field: str, value: Any
) -> None:
    setattr(letter, field, value)

    with pytest.raises(ImmutableError):
        letter.save()
    with pytest.raises(ImmutableError):
        Letter.objects.filter(pk=letter.pk).update(**{field: value})


def test_the_model_refuses_to_delete_a_letter(letter: Letter) -> None:
    with pytest.raises(ImmutableError):
        letter.delete()
    with pytest.raises(ImmutableError):
        Letter.objects.filter(pk=letter.pk).delete()
    assert Letter.objects.filter(pk=letter.pk).exists()


@pytest.mark.parametrize("column, value", [("sha256", "0" * 64), ("file", "x.pdf"), ("size", 1)])
def test_the_database_refuses_raw_updates(letter: Letter, column: str, value: Any) -> None:
    # Bypasses the model entirely: only the trigger (migration 0002) stands in the way.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE letters_letter SET {column} = %s WHERE id = %s", [value, letter.pk])  # noqa: S608
    letter.refresh_from_db()
    assert letter.sha256 == hashlib.sha256(letter.read()).hexdigest()


def test_released_at_is_set_once(letter: Letter) -> None:
    from django.utils import timezone

    letter.released_at = timezone.now()
    letter.save(update_fields=["released_at"])
    letter.released_at = timezone.now() + timezone.timedelta(days=1)

    with pytest.raises(ImmutableError):
        letter.save(update_fields=["released_at"])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE letters_letter SET released_at = NULL WHERE id = %s", [letter.pk])


def test_the_file_is_written_once(letter: Letter) -> None:
    with pytest.raises(FileExistsError):
        private_storage().save_once(letter.file.name, b"%PDF-forged")
    assert hashlib.sha256(letter.read()).hexdigest() == letter.sha256


def test_a_correction_is_a_new_letter_that_names_the_old_one(letter: Letter, olivia: Any) -> None:
    original_bytes = letter.read()

    correction = letter_issue(
        request=letter.request,
        kind="acknowledgement",
        actor=olivia,
        corrects=letter,
        parts={"note": "Our first letter gave the wrong date."},
    )

    letter.refresh_from_db()
    assert correction.corrects == letter
    assert list(letter.corrections.all()) == [correction]
    assert letter.read() == original_bytes
    text = pdf_text(correction.read())
    assert f"This letter corrects and replaces our letter {letter.reference}" in text
    assert "Our first letter gave the wrong date." in text


def test_a_letter_cannot_correct_another_requests_letter(
    letter: Letter, make_request: Any, olivia: Any
) -> None:
    from dsar.letters.context import LetterNotApplicable

    other = make_request("img", "access", requester_email="someone@example.org")

    with pytest.raises(LetterNotApplicable):
        letter_issue(request=other, kind="acknowledgement", actor=olivia, corrects=letter)


def test_issuing_records_one_event_with_the_hash(letter: Letter) -> None:
    events = [e for e in letter.request.events.all() if "letter" in e.data]

    assert len(events) == 1
    event = events[0]
    assert event.kind == EventKind.LETTER_ISSUED
    assert event.actor.username == "olivia"
    assert event.data["letter"]["event"] == "letter_issued"
    assert event.data["letter"]["sha256"] == letter.sha256
    assert event.data["letter"]["id"] == letter.pk
    assert letter.reference in event.summary
    # Events never carry the requester's personal data.
    assert letter.request.requester_name not in str(event.data)


def test_a_bulk_task_that_runs_twice_issues_once(make_request: Any) -> None:
    request = make_request("img", "access")
    batch = uuid.uuid4()

    first = letter_issue(request=request, kind="acknowledgement", actor=None, batch=batch)
    second = letter_issue(request=request, kind="acknowledgement", actor=None, batch=batch)

    assert first.pk == second.pk
    assert request.letters.count() == 1


def test_a_failed_insert_leaves_no_file(
    make_request: Any, private_root: Path, monkeypatch: Any
) -> None:
    request = make_request("img", "access")

    def boom(*args: Any, **kwargs: Any) -> None:
        raise DatabaseError("disk full")

    monkeypatch.setattr(Letter.objects, "create", boom)
    before = set(private_root.rglob("*.pdf"))  # the module's other tests' letters
    with pytest.raises(DatabaseError):
        letter_issue(request=request, kind="acknowledgement", actor=None)

    assert set(private_root.rglob("*.pdf")) == before
