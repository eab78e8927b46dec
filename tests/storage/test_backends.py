"""The private storage itself, on a local folder and in a bucket of a real S3-compatible server.

Each test runs twice (``backend``): once on PRIVATE_STORAGE_ROOT, once against moto in server
mode, which boto3 talks to over HTTP as it would to AWS S3 or MinIO.
"""

from __future__ import annotations

import hashlib
import threading
import urllib.error
import urllib.request
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile

from dsar.letters.storage import TamperedFileError, is_local, private_storage
from dsar.settings import private_storage_backend
from tests.storage.fixtures import Backend

NAME = "letters/img/IMG-2026-00001/L001-acknowledgement-0123abcd.pdf"


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def test_a_file_is_written_once_and_read_back_checked(backend: Backend) -> None:
    storage = private_storage()

    assert storage.save_once(NAME, b"%PDF-first") == NAME
    with pytest.raises(FileExistsError):
        storage.save_once(NAME, b"%PDF-second")

    assert storage.read_verified(NAME, sha(b"%PDF-first")) == b"%PDF-first"
    assert backend.names() == {NAME}
    assert is_local() is (backend.kind == "local")


def test_generic_saves_never_overwrite_either(backend: Backend) -> None:
    storage = private_storage()
    storage.save_once(NAME, b"%PDF-first")

    other = storage.save(NAME, ContentFile(b"%PDF-second"))  # Storage.save picks a free name

    assert other != NAME
    assert storage.read_verified(NAME, sha(b"%PDF-first")) == b"%PDF-first"


def test_no_file_opens_for_writing(backend: Backend) -> None:
    storage = private_storage()
    storage.save_once(NAME, b"%PDF-first")

    for mode in ("wb", "ab", "r+b"):
        with pytest.raises(PermissionError):
            storage.open(NAME, mode)


def test_of_writers_racing_for_one_name_exactly_one_wins(backend: Backend) -> None:
    """Eight threads write the same name at once: one succeeds, seven are refused, and the
    stored bytes are the winner's. On S3 the store's conditional PUT decides: atomic on AWS S3
    and MinIO; moto checks and then writes, so there a near-tie could let two through, and the
    test asks only that what is stored is a winner's."""
    storage = private_storage()
    barrier = threading.Barrier(8)
    outcomes: dict[int, str] = {}

    def write(n: int) -> None:
        barrier.wait(timeout=10)
        try:
            storage.save_once(NAME, f"%PDF-writer-{n}".encode())
            outcomes[n] = "written"
        except FileExistsError:
            outcomes[n] = "refused"

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    winners = [n for n, outcome in outcomes.items() if outcome == "written"]
    assert len(outcomes) == 8 and winners
    if backend.kind == "local":
        assert len(winners) == 1
    stored = storage.read_verified(NAME, storage.sha256_of(NAME))
    assert stored in {f"%PDF-writer-{n}".encode() for n in winners}


def test_an_altered_file_is_refused_and_logged(backend: Backend, caplog: Any) -> None:
    storage = private_storage()
    storage.save_once(NAME, b"%PDF-as-issued")
    backend.overwrite(NAME, b"%PDF-forged")

    with pytest.raises(TamperedFileError):
        storage.read_verified(NAME, sha(b"%PDF-as-issued"), what="letter 7")
    with pytest.raises(TamperedFileError):
        storage.open_verified(NAME, sha(b"%PDF-as-issued"))

    assert "letter 7" in caplog.text and "fails its SHA-256" in caplog.text


def test_a_missing_file_is_not_found(backend: Backend) -> None:
    with pytest.raises(FileNotFoundError):
        private_storage().read_verified(NAME, sha(b""))


def test_nothing_has_a_url(backend: Backend) -> None:
    storage = private_storage()
    storage.save_once(NAME, b"%PDF-first")

    with pytest.raises(ValueError, match="not accessible via a URL"):
        storage.url(NAME)


def test_walk_lists_a_folder_with_write_times(backend: Backend) -> None:
    storage = private_storage()
    storage.save_once("intake/pending/a.pdf", b"%PDF-a")
    storage.save_once("intake/pending/sub/b.pdf", b"%PDF-b")
    storage.save_once("letters/c.pdf", b"%PDF-c")

    found = dict(storage.walk("intake/pending"))

    assert set(found) == {"intake/pending/a.pdf", "intake/pending/sub/b.pdf"}
    assert all(when.tzinfo is not None for when in found.values())
    assert list(storage.walk("nothing/here")) == []


def test_a_bucket_object_is_private(moto: Any, settings: Any) -> None:
    """No ACL is set on an object (the bucket's private default holds): the owner alone has a
    grant, and an unsigned request is refused."""
    bucket = moto.new_bucket()
    settings.STORAGES = {**settings.STORAGES, "private": moto.storage_options(bucket, "dsar")}
    private_storage().save_once(NAME, b"%PDF-first")

    grants = moto.client().get_object_acl(Bucket=bucket, Key=f"dsar/{NAME}")["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all(grant["Grantee"]["Type"] == "CanonicalUser" for grant in grants)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{moto.endpoint}/{bucket}/dsar/{NAME}", timeout=5)  # noqa: S310
    assert refused.value.code == 403


def test_a_store_without_conditional_writes_gets_a_check_first(moto: Any, settings: Any) -> None:
    bucket = moto.new_bucket()
    options = moto.storage_options(bucket)
    options["OPTIONS"]["conditional_writes"] = False
    settings.STORAGES = {**settings.STORAGES, "private": options}
    storage = private_storage()
    storage.save_once(NAME, b"%PDF-first")

    with pytest.raises(FileExistsError):
        storage.save_once(NAME, b"%PDF-second")
    assert storage.read_verified(NAME, sha(b"%PDF-first")) == b"%PDF-first"


@pytest.mark.parametrize(
    ("url", "options"),
    [
        ("", None),
        (
            "s3://dsar-private",
            {"bucket_name": "dsar-private", "location": "", "endpoint_url": None},
        ),
        (
            "s3://files/dsar/prod?endpoint=https://s3.example.org:9000&region=eu-west-1"
            "&addressing=path&conditional_writes=false",
            {
                "bucket_name": "files",
                "location": "dsar/prod",
                "endpoint_url": "https://s3.example.org:9000",
                "region_name": "eu-west-1",
                "addressing_style": "path",
                "conditional_writes": False,
            },
        ),
    ],
)
def test_private_storage_url_chooses_the_backend(url: str, options: Any) -> None:
    backend = private_storage_backend(url)

    if options is None:
        assert backend == {"BACKEND": "dsar.letters.storage.PrivateStorage"}
    else:
        assert backend["BACKEND"] == "dsar.letters.storage_s3.PrivateS3Storage"
        assert options.items() <= backend["OPTIONS"].items()


@pytest.mark.parametrize(
    "url",
    [
        "https://bucket",
        "s3://key:secret@bucket",
        "s3://bucket?endpoint=x&acl=public-read",
        "s3://bucket?verify=maybe",
        "s3://",
    ],
)
def test_a_bad_private_storage_url_is_refused(url: str) -> None:
    with pytest.raises(ImproperlyConfigured):
        private_storage_backend(url)
