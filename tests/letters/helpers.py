"""Reading letters back: PDF text through pypdf, dates as the letters print them."""

from __future__ import annotations

import datetime
import io

from django.utils import formats, translation
from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    """The text of every page, whitespace runs collapsed (pypdf breaks lines where the PDF does)."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def printed(day: datetime.date, language: str = "en") -> str:
    with translation.override(language):
        return formats.date_format(day, "DATE_FORMAT")
