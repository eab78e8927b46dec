"""Fill dsar/locale/<lang>/LC_MESSAGES/django.po with the public side's translations.

    DEBUG=true python manage.py makemessages -l es --ignore=.venv --ignore='tests/*' \
        --ignore='bench/*'
    python -m dsar.intake.i18n.fill_po es
    DEBUG=true python manage.py compilemessages -l es --ignore=.venv

Only empty or fuzzy entries are filled, so a translator's later work is never overwritten. A fuzzy
guess of makemessages for a string not in the table is cleared (it is never compiled, and would
mislead a translator). Needs ``polib`` (a development tool, not a dependency of the app).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def fill(language: str) -> tuple[int, list[str]]:
    import polib

    table: dict[str, str] = importlib.import_module(f"dsar.intake.i18n.{language}").ES
    path = LOCALE / language / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(path), wrapwidth=100)
    filled = 0
    found = set()
    for entry in po:
        if entry.msgid not in table and "fuzzy" in entry.flags:
            entry.msgstr = ""
            entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            continue
        if entry.msgid in table:
            found.add(entry.msgid)
            if not entry.msgstr or "fuzzy" in entry.flags:
                entry.msgstr = table[entry.msgid]
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                    entry.previous_msgid = None
                filled += 1
    po.metadata_is_fuzzy = False
    po.metadata.update(
        {
            "Project-Id-Version": "dsar",
            "Language": language,
            "Language-Team": f"{language} <dsar translators>",
            "Content-Type": "text/plain; charset=UTF-8",
        }
    )
    po.header = "Translations of dsar. The public side's are filled from dsar/intake/i18n."
    po.save(str(path))
    return filled, sorted(set(table) - found)


if __name__ == "__main__":
    count, unused = fill(sys.argv[1] if len(sys.argv) > 1 else "es")
    print(f"filled {count} entries")
    for msgid in unused:
        print(f"not in the catalogue: {msgid!r}")
