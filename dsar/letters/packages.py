"""The data package ZIP: JSON and CSV per system and data category, files as attached, the cover
letter and a manifest. The layout is documented in docs/data-package.md; change both together.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from django.template.loader import render_to_string
from django.utils.text import get_valid_filename, slugify

from dsar.lib.spreadsheet import FORMULA_PREFIXES

FORMAT = "dsar-data-package"
FORMAT_VERSION = 1
# Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection).
_FORMULA_STARTS = FORMULA_PREFIXES  # and their full-width forms (dsar.lib.spreadsheet)
# ...but a signed number or phone number (+1 541 555 0100, -5) calls no function: kept as is.
_PLAIN_NUMBER = re.compile(r"^[+-][\d\s().,/-]*$")


@dataclass(frozen=True)
class PackageItem:
    """One data item, already read: a file's bytes or a list of records."""

    system: str
    category: str
    records: Sequence[dict[str, Any]] = ()
    content: bytes | None = None
    original_name: str = ""
    content_type: str = ""


@dataclass
class _Entry:
    path: str
    content: bytes
    meta: dict[str, Any] = field(default_factory=dict)


def _slug(text: str, fallback: str) -> str:
    return slugify(text)[:60] or fallback


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        text = str(value)
    if text.startswith(_FORMULA_STARTS) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def records_to_csv(records: Sequence[dict[str, Any]]) -> bytes:
    """CSV of ``records``: one column per field (first-seen order), nested values as JSON.

    Cells that a spreadsheet would run as a formula get a leading apostrophe; the JSON file next
    to it has the values unchanged.
    """
    columns: list[str] = []
    for record in records:
        for key in record:
            if key not in columns:
                columns.append(str(key))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_cell(column) for column in columns])
    for record in records:
        writer.writerow([_cell(record.get(column)) for column in columns])
    # UTF-8 with a byte-order mark, so spreadsheet programs pick the right encoding.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _unique(path: str, taken: set[str]) -> str:
    candidate, n = path, 2
    while candidate in taken:
        stem = PurePosixPath(path)
        candidate = str(stem.with_name(f"{stem.stem}-{n}{stem.suffix}"))
        n += 1
    taken.add(candidate)
    return candidate


def build_zip(
    *,
    reference: str,
    organization: str,
    right: str,
    received_on: datetime.date,
    built_at: datetime.datetime,
    cover_letter: tuple[str, bytes],
    items: Iterable[PackageItem],
    readme: str,
) -> bytes:
    """The package as ZIP bytes (see docs/data-package.md for the layout)."""
    root = _slug(reference, "package").upper()
    taken: set[str] = set()
    entries: list[_Entry] = []

    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    files: list[PackageItem] = []
    for item in items:
        if item.content is not None:
            files.append(item)
        else:
            grouped.setdefault((item.system, item.category), []).extend(item.records)

    manifest_items: list[dict[str, Any]] = []
    for (system, category), records in sorted(grouped.items()):
        base = f"data/{_slug(system, 'system')}/{_slug(category, 'category')}"
        json_path = _unique(f"{base}.json", taken)
        csv_path = _unique(f"{base}.csv", taken)
        json_bytes = json.dumps(records, ensure_ascii=False, indent=2, sort_keys=False).encode()
        entries += [_Entry(json_path, json_bytes), _Entry(csv_path, records_to_csv(records))]
        manifest_items.append(
            {
                "system": system,
                "category": category,
                "kind": "records",
                "records": len(records),
                "files": {
                    "json": {"path": json_path, "sha256": hashlib.sha256(json_bytes).hexdigest()},
                    "csv": {
                        "path": csv_path,
                        "sha256": hashlib.sha256(entries[-1].content).hexdigest(),
                    },
                },
            }
        )
    for item in sorted(files, key=lambda i: (i.system, i.category, i.original_name)):
        name = get_valid_filename(PurePosixPath(item.original_name or "file").name) or "file"
        path = _unique(
            f"files/{_slug(item.system, 'system')}/{_slug(item.category, 'category')}/{name}", taken
        )
        content = item.content or b""
        entries.append(_Entry(path, content))
        manifest_items.append(
            {
                "system": item.system,
                "category": item.category,
                "kind": "file",
                "content_type": item.content_type,
                "files": {"file": {"path": path, "sha256": hashlib.sha256(content).hexdigest()}},
            }
        )

    letter_name, letter_bytes = cover_letter
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "reference": reference,
        "organization": organization,
        "right": right,
        "received_on": received_on.isoformat(),
        "generated_at": built_at.isoformat(),
        "cover_letter": {
            "path": "cover-letter.pdf",
            "letter": letter_name,
            "sha256": hashlib.sha256(letter_bytes).hexdigest(),
        },
        "items": manifest_items,
    }
    head = [
        _Entry("README.txt", readme.encode("utf-8")),
        _Entry("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode()),
        _Entry("cover-letter.pdf", letter_bytes),
    ]
    stamp = built_at.astimezone(datetime.UTC).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in head + entries:
            info = zipfile.ZipInfo(f"{root}/{entry.path}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, entry.content)
    return buffer.getvalue()


def readme_text(*, language: str, reference: str, organization: str, days: int) -> str:
    """README.txt of the package, in the letter language (templates/letters/<lang>/)."""
    context = {"reference": reference, "organization": organization, "days": days}
    return render_to_string(f"letters/{language}/package_readme.txt", context)
