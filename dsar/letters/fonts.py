"""Every character of a letter prints: in one of the fonts it is set in, or as a visible code.

A letter prints what requesters wrote: a name with an emoji ("Ana 🦊 López"), or in a script the
letter's font lacks (山田, दीपा). WeasyPrint sets text with Pango, which takes each character
from the first font of the letter's font stack that has it (``font-family`` in letter.css, then
the fonts fontconfig falls back to). When no installed font has it, the PDF shows an empty box
(tofu), and the PDF's text layer still claims the character: a reader sees a box where part of
a name was, and cannot tell what it was.

So before a letter is rendered, every character that no installed font can print is replaced
by a visible stand-in: its code point and Unicode name in brackets, ``[U+1F98A FOX FACE]``, or
for ideographs, whose names already carry the code, ``[CJK UNIFIED IDEOGRAPH-5C71]``. Why this,
and not U+FFFD (�) or nothing, as a privacy officer would see it: a letter is a legal record,
sent to the data subject and kept as evidence. It must not drop or alter part of a name without
saying so (a box, or a blank, hides it); a replacement character says "something was here" but
not what, so two different names could print alike; the bracketed code is unambiguous, anyone
can look it up, and the letter still states the exact name the request holds. Where fallback
fonts are installed (CI installs fonts-noto-core and fonts-droid-fallback: most scripts, CJK)
those characters print as they are; the fewer the fonts, the more codes, never a box.

What a font can print is asked of fontconfig, the library Pango itself uses: the fonts it sorts
for each ``font-family`` stack of the letter's stylesheet, that is every font Pango may fall back
to. Colour fonts (emoji) are the exception: Pango prefers them for emoji, and WeasyPrint prints
their bitmap glyphs blank. A character only a colour font has is replaced like any other; one a
font with outlines has too is asked for in its text presentation (U+FE0E, and any request for
the colour one, U+FE0F, is dropped), so it prints in black and white. Characters that print no
glyph of their own (line breaks, joiners, variation selectors, bidirectional marks) are left
alone, and a space no font has becomes a plain space.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

logger = logging.getLogger(__name__)

FONT_FAMILY = re.compile(r"font-family\s*:\s*([^;}]+)", re.IGNORECASE)

_FC_MATCH_PATTERN = 0
TEXT_PRESENTATION = "\ufe0e"  # variation selector 15
EMOJI_PRESENTATION = "\ufe0f"  # variation selector 16


def font_stacks(css: str) -> tuple[tuple[str, ...], ...]:
    """The ``font-family`` lists of a stylesheet, unquoted, in order, without repeats."""
    stacks = []
    for declaration in FONT_FAMILY.findall(css):
        families = tuple(
            family.strip().strip("\"'").strip()
            for family in declaration.replace("!important", "").split(",")
        )
        stacks.append(tuple(family for family in families if family))
    return tuple(dict.fromkeys(stack for stack in stacks if stack))


class _FontSet(ctypes.Structure):
    _fields_ = [
        ("nfont", ctypes.c_int),
        ("sfont", ctypes.c_int),
        ("fonts", ctypes.POINTER(ctypes.c_void_p)),
    ]


@lru_cache(maxsize=1)
def _fontconfig() -> ctypes.CDLL:
    lib = ctypes.CDLL(ctypes.util.find_library("fontconfig") or "libfontconfig.so.1")
    pointer, string, integer = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
    signatures: dict[str, tuple[object, list[object]]] = {
        "FcInit": (integer, []),
        "FcPatternCreate": (pointer, []),
        "FcPatternDestroy": (None, [pointer]),
        "FcPatternAddString": (integer, [pointer, string, string]),
        "FcPatternGetCharSet": (integer, [pointer, string, integer, ctypes.POINTER(pointer)]),
        "FcPatternGetBool": (integer, [pointer, string, integer, ctypes.POINTER(integer)]),
        "FcConfigSubstitute": (integer, [pointer, pointer, integer]),
        "FcDefaultSubstitute": (None, [pointer]),
        "FcFontSort": (
            ctypes.POINTER(_FontSet),
            [pointer, pointer, integer, pointer, ctypes.POINTER(integer)],
        ),
        "FcFontSetDestroy": (None, [ctypes.POINTER(_FontSet)]),
        "FcCharSetCreate": (pointer, []),
        "FcCharSetDestroy": (None, [pointer]),
        "FcCharSetMerge": (integer, [pointer, pointer, pointer]),
        "FcCharSetHasChar": (integer, [pointer, ctypes.c_uint32]),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
    lib.FcInit()
    return lib


class Coverage:
    """The characters the fonts of some font stacks print (see the module's docstring):
    ``covered``, those a font with outlines has; ``colour``, those a colour font has too."""

    def __init__(self, stacks: Iterable[Sequence[str]]) -> None:
        fc = _fontconfig()
        self._fc = fc
        self._covered = fc.FcCharSetCreate()
        self._colour = fc.FcCharSetCreate()
        self.fonts = 0  # fonts with outlines that the stacks reach
        self.colour_fonts = 0
        for stack in stacks:
            self._add_stack(stack)

    def _add_stack(self, stack: Sequence[str]) -> None:
        """Every font fontconfig sorts for ``stack``, as Pango asks it for fallbacks."""
        fc = self._fc
        pattern = fc.FcPatternCreate()
        try:
            for family in stack:
                fc.FcPatternAddString(pattern, b"family", family.encode())
            fc.FcConfigSubstitute(None, pattern, _FC_MATCH_PATTERN)
            fc.FcDefaultSubstitute(pattern)
            result = ctypes.c_int()
            fonts = fc.FcFontSort(None, pattern, 0, None, ctypes.byref(result))
            if not fonts:
                return
            try:
                for index in range(fonts.contents.nfont):
                    font = fonts.contents.fonts[index]
                    charset = ctypes.c_void_p()
                    if fc.FcPatternGetCharSet(font, b"charset", 0, ctypes.byref(charset)):
                        continue
                    colour = ctypes.c_int(0)
                    fc.FcPatternGetBool(font, b"color", 0, ctypes.byref(colour))
                    if colour.value:
                        fc.FcCharSetMerge(self._colour, charset, None)
                        self.colour_fonts += 1
                    else:
                        fc.FcCharSetMerge(self._covered, charset, None)
                        self.fonts += 1
            finally:
                fc.FcFontSetDestroy(fonts)
        finally:
            fc.FcPatternDestroy(pattern)

    # Reads of charsets nothing changes any more: safe from any thread.
    def covered(self, character: str) -> bool:
        return bool(self._fc.FcCharSetHasChar(self._covered, ord(character)))

    def colour(self, character: str) -> bool:
        return bool(self._fc.FcCharSetHasChar(self._colour, ord(character)))


def _prints_nothing(character: str) -> bool:
    """Characters that never print a glyph of their own: controls (line breaks), format
    characters (joiners, bidirectional marks, soft hyphen), separators, variation selectors."""
    code = ord(character)
    return (
        unicodedata.category(character) in {"Cc", "Cf", "Zl", "Zp"}
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
    )


def stand_in(character: str) -> str:
    """What prints instead of a character no font has: ``[U+1F98A FOX FACE]``."""
    code = f"{ord(character):04X}"
    name = unicodedata.name(character, "")
    if name.endswith(f"-{code}"):  # CJK UNIFIED IDEOGRAPH-5C71: the code is in the name
        return f"[{name}]"
    return f"[U+{code} {name}]" if name else f"[U+{code}]"


@lru_cache(maxsize=8)
def coverage(stacks: tuple[tuple[str, ...], ...]) -> Coverage | None:
    """The coverage of ``stacks``, once per process (fonts installed later need a restart, as
    WeasyPrint's own font configuration does). None when fontconfig cannot be loaded."""
    try:
        return Coverage(stacks)
    except (OSError, AttributeError):  # no libfontconfig: Pango could not render either
        logger.warning("fontconfig not found: letters are rendered without a font check")
        return None


@lru_cache(maxsize=4096)
def _replacement(stacks: tuple[tuple[str, ...], ...], character: str) -> str | None:
    """What ``character`` becomes in a letter set in ``stacks``; None: it stays as it is."""
    fonts = coverage(stacks)
    if fonts is None:
        return None
    if character == EMOJI_PRESENTATION and fonts.colour_fonts:
        return ""  # it asks for the colour glyph, which would print blank
    if _prints_nothing(character):
        return None
    if fonts.covered(character):
        # Pango sets an emoji in a colour font when one has it, and WeasyPrint prints colour
        # glyphs blank: asking for the text presentation keeps it in a font with outlines.
        return character + TEXT_PRESENTATION if fonts.colour(character) else None
    return " " if unicodedata.category(character) == "Zs" else stand_in(character)


def printable(text: str, stacks: tuple[tuple[str, ...], ...]) -> str:
    """``text`` with every character the fonts of ``stacks`` cannot print replaced by its
    stand-in. The stand-ins are ASCII letters, digits, brackets, spaces and hyphens (ASCII
    itself is never touched), so the text may be HTML: its markup and escapes are unchanged."""
    table = {
        ord(character): replacement
        for character in set(text)
        if ord(character) >= 0x80 and (replacement := _replacement(stacks, character)) is not None
    }
    return text.translate(table) if table else text
