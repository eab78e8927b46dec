"""Fail when a shipped language's catalogue is out of date, incomplete or not compiled (CI).

A requester who picks French must read French on every public page, email and letter; a string
added in English without a French entry would show up in English in the middle of a French page,
and nobody reviewing the change in English would notice. So CI runs this before the tests:

1. **Up to date**: ``makemessages`` run into a temporary folder must find exactly the msgids of
   each catalogue (the sets are compared, so line numbers and dates do not matter).
2. **Translated**: in every language of ``LANGUAGES`` but ``LANGUAGE_CODE``, no entry is fuzzy,
   every entry the public side uses (``PUBLIC_SOURCES``) is translated, and every entry one shipped
   language translates is translated in all of them. Staff-only entries may stay empty: the staff
   pages are in the installation's language (dsar/lib/i18n.py).
3. **Compiled**: each ``.mo`` holds what ``msgfmt`` makes of its ``.po`` today.

Needs GNU gettext (``msgfmt``, ``xgettext``) and polib, as ``makemessages`` does; no database.
"""

from __future__ import annotations

import fnmatch
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils import translation

# Where the public side's strings are: the requester's pages, emails and letters. An entry with
# one occurrence here must be translated in every shipped language. (Python modules that mix
# public and staff strings, such as the rights' names in dsar/policies/models.py, are covered by
# the rule that an entry translated in one language is translated in all.)
PUBLIC_SOURCES = (
    "templates/base.html",
    "templates/error_base.html",
    "templates/[0-9][0-9][0-9].html",
    "templates/intake/*",
    "templates/emails/intake_*",
    "templates/emails/nudge_*",
    "templates/emails/correspondence_*",
    "templates/emails/letter_*",
    "templates/emails/recipient_notice*",
    "templates/correspondence/requester_messages.html",
    "templates/correspondence/reply_refused.html",
    "templates/letters/*/*",
    "dsar/intake/forms.py",
    "dsar/intake/views.py",
    "dsar/intake/selectors.py",
    "dsar/residences.py",
)

# As docs/translations.md tells translators to run makemessages.
IGNORE = (".venv", "tests/*", "bench/*", "node_modules")

Key = tuple[str, str]  # (msgctxt, msgid)


def _key(entry: polib.POEntry | polib.MOEntry) -> Key:
    return (entry.msgctxt or "", entry.msgid)


def _shown(keys: set[Key] | list[Key], limit: int = 20) -> str:
    ordered = sorted(keys)
    listed = ", ".join(repr(f"{ctx}|{msgid}" if ctx else msgid) for ctx, msgid in ordered[:limit])
    more = len(ordered) - limit
    return listed + (f" and {more} more" if more > 0 else "")


def _is_public(entry: polib.POEntry) -> bool:
    return any(
        fnmatch.fnmatch(path, pattern)
        for path, _line in entry.occurrences
        for pattern in PUBLIC_SOURCES
    )


def _source_msgids(root: Path) -> set[Key]:
    """The msgids makemessages finds in the code today, extracted into a throwaway folder."""
    with tempfile.TemporaryDirectory() as scratch:
        cwd = os.getcwd()
        os.chdir(root)
        try:
            with override_settings(LOCALE_PATHS=[scratch]):
                call_command(
                    "makemessages",
                    locale=["en"],
                    keep_pot=True,
                    # The real catalogues must not be seen, or makemessages would write into them.
                    ignore_patterns=[*IGNORE, "dsar/locale"],
                    verbosity=0,
                )
        finally:
            os.chdir(cwd)
        pot = polib.pofile(str(Path(scratch) / "django.pot"))
        return {_key(entry) for entry in pot if entry.msgid}


def _compiled(po_path: Path) -> dict[Key, Any]:
    """What msgfmt makes of a .po today, as compilemessages runs it."""
    with tempfile.TemporaryDirectory() as scratch:
        mo_path = Path(scratch) / "django.mo"
        result = subprocess.run(  # noqa: S603 - a fixed program on our own files
            ["msgfmt", "--check-format", "-o", str(mo_path), str(po_path)],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            raise CommandError(f"msgfmt refused {po_path}: {result.stderr.strip()}")
        return _mo_catalogue(mo_path)


def _mo_catalogue(mo_path: Path) -> dict[Key, Any]:
    mo = polib.mofile(str(mo_path))
    return {
        _key(entry): (entry.msgstr, tuple(sorted(entry.msgstr_plural.items())))
        for entry in mo
        if entry.msgid
    }


def check_translations(locale_dir: Path, root: Path) -> list[str]:
    """The problems of the shipped languages' catalogues under ``locale_dir``, one line each."""
    problems: list[str] = []
    source = _source_msgids(root)
    shipped = [
        translation.to_locale(code)
        for code, _name in settings.LANGUAGES
        if code != settings.LANGUAGE_CODE
    ]
    catalogues: dict[str, polib.POFile] = {}
    for locale in shipped:
        po_path = locale_dir / locale / "LC_MESSAGES" / "django.po"
        if not po_path.exists():
            problems.append(f"{locale}: no catalogue at {po_path}")
            continue
        po = polib.pofile(str(po_path))
        catalogues[locale] = po
        present = {_key(entry) for entry in po if not entry.obsolete}
        if missing := source - present:
            problems.append(f"{locale}: out of date, makemessages would add {_shown(missing)}")
        if unused := present - source:
            problems.append(f"{locale}: out of date, makemessages would retire {_shown(unused)}")
        if fuzzy := {_key(e) for e in po if not e.obsolete and "fuzzy" in e.flags}:
            problems.append(f"{locale}: fuzzy, to check and unflag: {_shown(fuzzy)}")
        public = {_key(e) for e in po if not e.obsolete and not e.translated() and _is_public(e)}
        if public:
            problems.append(f"{locale}: untranslated on the public side: {_shown(public)}")
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or _mo_catalogue(mo_path) != _compiled(po_path):
            problems.append(f"{locale}: {mo_path.name} is not compiled from {po_path.name}")

    translated = {
        locale: {_key(e) for e in po if e.translated() and not e.obsolete}
        for locale, po in catalogues.items()
    }
    anywhere = set().union(*translated.values())
    for locale, done in translated.items():
        if gaps := anywhere - done:
            problems.append(
                f"{locale}: untranslated, though another language translates it: {_shown(gaps)}"
            )
    return problems


class Command(BaseCommand):
    help = (
        "Fail if a shipped language's catalogue is out of date, has an untranslated public or "
        "fuzzy entry, or is not compiled (docs/translations.md)."
    )
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        locale_dir = Path(settings.LOCALE_PATHS[0])
        problems = check_translations(locale_dir, Path(settings.BASE_DIR))
        if problems:
            raise CommandError(
                "The translations need work (docs/translations.md):\n" + "\n".join(problems)
            )
        self.stdout.write(
            "Every shipped language's catalogue is up to date, translated and compiled."
        )
