"""Letters, data packages and uploads through the services and views, on both backends.

The same tests on a local folder and in a bucket of moto: what is issued is stored once with its
SHA-256 and downloads as issued; what was altered in storage is refused, never served; nothing
is left behind by a failed issue; a purge deletes the files. (``tests/letters`` runs whole on a
bucket too: ``pytest -p tests.storage.s3_plugin tests/letters``.)
"""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
import zipfile
from typing import Any

import pytest
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from dsar.intake import files
from dsar.intake import views as intake_views
from dsar.intake.jobs import prune_intake
from dsar.intake.services import release_file
from dsar.intake.tokens import make_download_token
from dsar.letters.models import Letter, TamperedFileError
from dsar.letters.services import data_item_add, letter_issue, package_build
from dsar.letters.storage import private_storage
from tests.storage.fixtures import Backend

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def test_an_issued_letter_is_stored_once_and_downloads_as_issued(
    backend: Backend, make_request: Any, olivia: Any, client: Any
) -> None:
    letter = letter_issue(request=make_request("img"), kind="acknowledgement", actor=olivia)

    assert backend.names() == {letter.file.name}
    assert letter.file.name.startswith(f"letters/img/{letter.request.reference}/L001-")
    client.force_login(olivia)
    response = client.get(reverse("letters:download", args=[letter.pk]))
    assert response.status_code == 200
    assert sha(response.content) == letter.sha256 and response.content.startswith(b"%PDF-")
    with pytest.raises(FileExistsError):
        private_storage().save_once(letter.file.name, b"%PDF-forged")


def test_an_altered_letter_is_never_served(
    backend: Backend, make_request: Any, olivia: Any, client: Any, caplog: Any
) -> None:
    letter = letter_issue(request=make_request("img"), kind="acknowledgement", actor=olivia)
    backend.overwrite(letter.file.name, b"%PDF-1.7 forged")
    client.force_login(olivia)
    client.raise_request_exception = False

    with caplog.at_level(logging.ERROR):
        response = client.get(reverse("letters:download", args=[letter.pk]))

    assert response.status_code == 500 and b"forged" not in response.content
    assert f"Letter {letter.pk}" in caplog.text and "fails its SHA-256" in caplog.text
    with pytest.raises(TamperedFileError):
        Letter.objects.get(pk=letter.pk).read()


def test_a_failed_issue_leaves_no_file(
    backend: Backend, make_request: Any, monkeypatch: Any
) -> None:
    request = make_request("img")

    def boom(*args: Any, **kwargs: Any) -> None:
        raise DatabaseError("disk full")

    monkeypatch.setattr(Letter.objects, "create", boom)
    with pytest.raises(DatabaseError):
        letter_issue(request=request, kind="acknowledgement", actor=None)

    assert backend.names() == set()


def test_a_package_is_built_from_checked_files_and_downloads(
    backend: Backend, make_request: Any, olivia: Any, client: Any
) -> None:
    request = make_request("img", "portability")
    item = data_item_add(
        request=request,
        actor=olivia,
        system="Helpdesk",
        category="Profile Data",
        content=b"ticket 1: hello\n",
        original_name="tickets.txt",
        content_type="text/plain",
    )
    letter = letter_issue(request=request, kind="portability", actor=olivia)

    package = package_build(request=request, cover_letter=letter, actor=olivia)

    assert backend.names() == {item.file.name, letter.file.name, package.file.name}
    client.force_login(olivia)
    response = client.get(reverse("letters:package_download", args=[package.pk]))
    assert sha(response.content) == package.sha256
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert any(name.endswith("tickets.txt") for name in archive.namelist())

    # A data file altered in storage is never packaged.
    backend.overwrite(item.file.name, b"ticket 1: rewritten\n")
    with pytest.raises(TamperedFileError):
        package_build(request=request, cover_letter=letter, actor=olivia)


def test_a_purge_deletes_the_files(backend: Backend, make_request: Any, olivia: Any) -> None:
    letter = letter_issue(request=make_request("img"), kind="acknowledgement", actor=olivia)

    Letter.objects.filter(pk=letter.pk).purge_personal_data(timezone.now())

    assert backend.names() == set()


# -- Uploads and released files (dsar.intake.files) ------------------------------------------------


def test_an_upload_is_stored_moved_and_checked(backend: Backend) -> None:
    stored = files.store(
        [PDF[:10], PDF[10:]], folder="intake/pending", content_type="application/pdf"
    )

    assert stored.sha256 == sha(PDF) and stored.size == len(PDF)
    assert stored.path.startswith("intake/pending/") and stored.path.endswith(".pdf")
    moved = files.move(stored.path, folder="intake/authorizations/1")
    assert backend.names() == {moved}
    assert not files.exists(stored.path) and files.exists(moved)
    with files.open_verified(moved, stored.sha256) as handle:
        assert handle.read() == PDF
    if backend.kind == "local":  # this account alone reads an upload on a shared host
        assert (backend.root / moved).stat().st_mode & 0o077 == 0  # type: ignore[operator]

    backend.overwrite(moved, b"%PDF-forged")
    with pytest.raises(files.TamperedFileError):
        files.open_verified(moved, stored.sha256)
    for bad in ("../outside.pdf", "/etc/passwd", "intake/../../x", ""):
        with pytest.raises(ValueError):
            files.open_verified(bad, stored.sha256)


def test_uploads_kept_for_a_day_are_pruned(backend: Backend) -> None:
    kept = files.store([PDF], folder="intake/pending", content_type="application/pdf")
    orphan = files.store([PDF], folder="intake/released/1", content_type="application/pdf")
    now = dict(files.walk("intake"))[orphan.path]  # the store's clock, not the tests' frozen one

    assert prune_intake(now)["files"] == 0  # younger than a day
    removed = prune_intake(now + datetime.timedelta(days=2))

    assert removed["files"] == 2
    assert not files.exists(kept.path) and not files.exists(orphan.path)


def test_a_released_file_downloads_only_as_released(
    backend: Backend, make_request: Any, img: Any, client: Any, monkeypatch: Any, caplog: Any
) -> None:
    request = make_request("img")
    released = release_file(
        request=request,
        title="Our answer",
        filename="answer.pdf",
        content=PDF,
        content_type="application/pdf",
        notify=False,
    )
    # The status link the token is checked against is intake's business (tests/intake).
    monkeypatch.setattr(intake_views, "_linked", lambda *args: True)
    url = f"/o/{img.slug}/download/{make_download_token('f', released.pk, 'x' * 16)}/"

    response = client.get(url, follow=True)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF

    backend.overwrite(released.path, b"%PDF-forged")
    with caplog.at_level(logging.ERROR):
        assert client.get(url, follow=True).status_code == 404
    assert f"released {released.pk}" in caplog.text
