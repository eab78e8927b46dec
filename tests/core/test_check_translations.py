"""CI's check of the catalogues: a shipped language may not lag behind the English source."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import CommandError, call_command

PUBLIC_MSGID = "Skip to content"  # templates/base.html, on every public page


@pytest.fixture
def locale_copy(tmp_path: Path, settings) -> Path:
    """A copy of the real catalogues, which the command then reads instead of dsar/locale."""
    copy = tmp_path / "locale"
    shutil.copytree(Path(settings.LOCALE_PATHS[0]), copy)
    settings.LOCALE_PATHS = [copy]
    return copy


def _edit(po_path: Path, change) -> None:
    po = polib.pofile(str(po_path))
    change(po)
    po.save(str(po_path))
    po.save_as_mofile(str(po_path.with_suffix(".mo")))  # compiled, so only the change is wrong


def test_the_real_catalogues_pass(capsys):
    call_command("check_translations")

    assert "up to date, translated and compiled" in capsys.readouterr().out


def test_an_untranslated_public_entry_fails_naming_language_and_msgid(locale_copy):
    def blank(po: polib.POFile) -> None:
        po.find(PUBLIC_MSGID).msgstr = ""

    _edit(locale_copy / "es" / "LC_MESSAGES" / "django.po", blank)

    with pytest.raises(CommandError) as failure:
        call_command("check_translations")

    assert f"es: untranslated on the public side: '{PUBLIC_MSGID}'" in str(failure.value)


def test_a_catalogue_missing_a_string_of_the_code_is_out_of_date(locale_copy):
    def drop(po: polib.POFile) -> None:
        po.remove(po.find(PUBLIC_MSGID))

    _edit(locale_copy / "es" / "LC_MESSAGES" / "django.po", drop)

    with pytest.raises(CommandError) as failure:
        call_command("check_translations")

    assert f"es: out of date, makemessages would add '{PUBLIC_MSGID}'" in str(failure.value)


def test_a_mo_not_compiled_from_its_po_fails(locale_copy):
    po_path = locale_copy / "es" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    po.find(PUBLIC_MSGID).msgstr = "Ir al contenido"
    po.save(str(po_path))  # and not compiled

    with pytest.raises(CommandError) as failure:
        call_command("check_translations")

    assert "es: django.mo is not compiled from django.po" in str(failure.value)
