"""No letter prints an empty box: a character outside every installed font prints as a visible
code instead ("[U+1F98A FOX FACE]"), and one a font has prints as itself, with a real glyph.

Read back from the archived PDF: its text (pypdf), and each glyph it draws, looked up in the
font the PDF embeds (fontTools). Which characters print as themselves depends on the fonts
installed (CI adds Noto and Droid Sans Fallback to DejaVu), so each is checked either way.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from dsar.letters.fonts import font_stacks, printable, stand_in
from dsar.letters.render import letter_font_stacks
from dsar.letters.services import letter_issue, letter_prepare

from .helpers import pdf_text

pytestmark = pytest.mark.django_db

# An emoji DejaVu has, one it lacks, and two CJK ideographs.
SPECIAL = ["😀", "🦊", "山", "田"]
NAME = "Ana 😀 🦊 López 山田"


def _fonts(resources: Any, seen: set[int]) -> Iterator[Any]:
    if resources is None:
        return
    resources = resources.get_object()
    for reference in (resources.get("/Font") or {}).values():
        font = reference.get_object()
        if id(font) not in seen:
            seen.add(id(font))
            yield font
    for reference in (resources.get("/XObject") or {}).values():
        yield from _fonts(reference.get_object().get("/Resources"), seen)


def drawn_glyphs(content: bytes) -> list[tuple[str, str, bool]]:
    """(text, font, has an outline) for every glyph the PDF's fonts map to text. A glyph the
    font lacks (tofu: the .notdef box, or an id past the font's last glyph) or an empty one (a
    colour emoji WeasyPrint could not draw) has no outline."""
    drawn = []
    seen: set[int] = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in _fonts(page.get("/Resources"), seen):
            name = str(font["/BaseFont"])
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            embedded = descriptor.get_object().get("/FontFile2") or descriptor["/FontFile3"]
            face = TTFont(io.BytesIO(embedded.get_object().get_data()))
            order, glyphs = face.getGlyphOrder(), face.getGlyphSet()
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            assert "beginbfrange" not in cmap, name  # WeasyPrint maps glyph by glyph
            for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.DOTALL):
                for glyph, text in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                    gid, text = int(glyph, 16), bytes.fromhex(text).decode("utf-16-be")
                    outline = 0 < gid < len(order)
                    if outline and not text.isspace():
                        pen = BoundsPen(glyphs)
                        glyphs[order[gid]].draw(pen)
                        outline = pen.bounds is not None
                    drawn.append((text, name, outline))
    return drawn


def squeezed(text: str) -> str:
    return "".join(text.split())


def test_a_name_outside_the_fonts_prints_as_itself_or_as_a_code_never_as_a_box(
    make_request: Any,
) -> None:
    request = make_request("img", "access", requester_name=NAME)

    content = letter_issue(request=request, kind="acknowledgement", actor=None).read()

    drawn = drawn_glyphs(content)
    assert drawn, "no font in the PDF"
    assert [(text, font) for text, font, outline in drawn if not outline] == []
    printed_as_itself = {text for text, _font, _outline in drawn}
    shown = [c if c in printed_as_itself else stand_in(c) for c in SPECIAL]
    # Each character either way, in its place (line breaks fall where they may: no spaces).
    assert squeezed("Dear Ana {} {} López {}{},".format(*shown)) in squeezed(pdf_text(content))
    # DejaVu, which CI always installs, has the grinning face: it prints as itself.
    assert "😀" in printed_as_itself


def test_the_preview_shows_the_same_stand_ins_as_the_pdf(make_request: Any) -> None:
    request = make_request("img", "access", requester_name="Ana \u0378 López")

    rendered = letter_prepare(request=request, kind="acknowledgement", for_pdf=False)

    # U+0378 is unassigned: no font can have it, so it is a code in the preview too.
    assert "Ana [U+0378] López" in rendered.html


def test_only_characters_no_font_has_are_replaced_and_markup_is_untouched() -> None:
    stacks = letter_font_stacks()
    html = '<p class="x" title="a&amp;b">Renée \u0378 “quoted” \u2013 1 € \u2028\u200d</p>\n'

    assert printable(html, stacks) == html.replace("\u0378", "[U+0378]")


def test_a_stand_in_names_the_character() -> None:
    assert stand_in("🦊") == "[U+1F98A FOX FACE]"
    assert stand_in("山") == "[CJK UNIFIED IDEOGRAPH-5C71]"
    assert stand_in("\u0378") == "[U+0378]"


def test_the_font_stacks_are_those_of_the_stylesheet() -> None:
    assert font_stacks('html { font-family: "DejaVu Sans", sans-serif; } .x{font-family:A}') == (
        ("DejaVu Sans", "sans-serif"),
        ("A",),
    )
    assert ("DejaVu Sans", "sans-serif") in letter_font_stacks()
