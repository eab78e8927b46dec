"""CSV cells a spreadsheet will not run (OWASP "CSV injection").

Excel, LibreOffice and Google Sheets read a cell that starts with ``=``, ``+``, ``-`` or ``@``
(or a tab or carriage return before one) as a formula, and with an East Asian input method the
full-width forms (U+FF1D, U+FF0B, U+FF0D and U+FF20) are taken for them. Requesters type names,
messages and subject lines on a public form, so every CSV dsar writes goes through ``writer``
(or ``neutralize``): such a cell gets a leading apostrophe, which spreadsheets show as text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralize(value: str) -> str:
    """``value`` with a leading apostrophe when a spreadsheet would read it as a formula."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


class Out(Protocol):
    """Where CSV text goes: a file, an ``HttpResponse``, a command's output."""

    def write(self, text: str, /) -> object: ...


class _Writer:
    """``csv.writer`` whose text cells are neutralized (numbers and dates are written as is)."""

    def __init__(self, out: Any, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(
            [neutralize(cell) if isinstance(cell, str) else cell for cell in row]
        )

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out: Any, **options: Any) -> _Writer:
    """A CSV writer on ``out`` (``csv.writer``'s options) that neutralizes formula cells."""
    return _Writer(out, **options)
