"""Every stored private file checked against the SHA-256 recorded when it was written.

``manage.py verify_trail`` reads this after the chains of the trails (``dsar.requests.chain``):
issued letters, data packages, the files of data items, agents' authorizations and the files
released on the status page, each as long as it should still be stored (a purged letter, an
expired package's ZIP, a withdrawn release are gone on purpose). A file is reported missing, or
altered when its bytes hash to anything else. A line names the request's reference and the row,
never a person.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from dsar.letters.models import DataItem, DataPackage, ItemKind, Letter
from dsar.letters.storage import private_storage


@dataclass(frozen=True)
class FileBreak:
    reference: str
    what: str  # "letter 12 (L1)", "package 3 (P1)", …
    problem: str

    def line(self) -> str:
        return f"{self.reference} {self.what}: {self.problem}"


def _stored() -> Iterator[tuple[str, str, str, str]]:
    """(reference, what, name in the storage, recorded SHA-256) of every file that should be
    stored now."""
    from dsar.intake.models import IntakeSubmission, ReleasedFile

    letters = Letter.objects.filter(purged_at__isnull=True).order_by("pk")
    for pk, number, name, digest, reference in letters.values_list(
        "pk", "number", "file", "sha256", "request__reference"
    ).iterator(2000):
        yield reference, f"letter {pk} (L{number})", name, digest
    packages = DataPackage.objects.filter(file_deleted_at__isnull=True).order_by("pk")
    for pk, number, name, digest, reference in packages.values_list(
        "pk", "number", "file", "sha256", "request__reference"
    ).iterator(2000):
        yield reference, f"data package {pk} (P{number})", name, digest
    items = DataItem.objects.filter(kind=ItemKind.FILE, purged_at__isnull=True).order_by("pk")
    for pk, name, digest, reference in items.values_list(
        "pk", "file", "sha256", "request__reference"
    ).iterator(2000):
        yield reference, f"data item {pk}", name, digest
    submissions = IntakeSubmission.objects.exclude(authorization_path="").order_by("pk")
    for pk, name, digest, reference in submissions.values_list(
        "pk", "authorization_path", "authorization_sha256", "request__reference"
    ).iterator(2000):
        yield reference, f"authorization of submission {pk}", name, digest
    released = ReleasedFile.objects.filter(withdrawn_at__isnull=True).order_by("pk")
    for pk, name, digest, reference in released.values_list(
        "pk", "path", "sha256", "request__reference"
    ).iterator(2000):
        yield reference, f"released file {pk}", name, digest


@dataclass
class FileReport:
    checked: int = 0

    def run(self) -> Iterator[FileBreak]:
        storage: Any = private_storage()
        for reference, what, name, recorded in _stored():
            self.checked += 1
            try:
                actual = storage.sha256_of(name)
            except FileNotFoundError:
                yield FileBreak(reference, what, "file missing")
                continue
            except OSError as error:
                yield FileBreak(reference, what, f"file unreadable ({type(error).__name__})")
                continue
            if actual != recorded:
                yield FileBreak(reference, what, "file altered: its SHA-256 differs")
