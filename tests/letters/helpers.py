"""Reading letters back: PDF text through pypdf, dates as the letters print them."""

from __future__ import annotations

import datetime
import io

from django.utils import translation
from pypdf import PdfReader

from dsar.letters.templatetags.letters import long_date


def pdf_text(content: bytes) -> str:
    """The text of every page, whitespace runs collapsed (pypdf breaks lines where the PDF does)."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def printed(day: datetime.date, language: str = "en") -> str:
    """A date as letters print it: "3 April 2026", "3 de abril de 2026"."""
    with translation.override(language):
        return long_date(day)
