"""Every DSAR_* setting is read from the environment in dsar/settings.py, and only there, and the
README's configuration table tells an operator about each: a setting missing from the table is
one nobody deploying dsar can find."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def environment_names() -> set[str]:
    """The DSAR_* variables dsar/settings.py reads: ``env.<type>("DSAR_X", …)``,
    ``read_secret("DSAR_X")``."""
    tree = ast.parse((ROOT / "dsar" / "settings.py").read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        reads_env = (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "env"
        ) or (isinstance(func, ast.Name) and func.id in {"env", "read_secret"})
        first = node.args[0]
        if (
            reads_env
            and isinstance(first, ast.Constant)
            and isinstance(first.value, str)
            and first.value.startswith("DSAR_")
        ):
            names.add(first.value)
    return names


def readme_table_names() -> set[str]:
    """The DSAR_* names in the first column of the README's "Configuration" table."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    names = set()
    for line in section.splitlines():
        if line.startswith("|"):
            first_cell = line.split("|")[1]
            names.update(re.findall(r"DSAR_[A-Z0-9_]*[A-Z0-9]", first_cell))
    return names


def test_every_dsar_setting_is_in_the_readme_table() -> None:
    names = environment_names()
    assert "DSAR_INTAKE_RATE_LIMITS" in names  # the public form's rate limit is settable
    assert "DSAR_SITE_URL" in names
    assert sorted(names - readme_table_names()) == []


def test_the_readme_table_lists_no_setting_that_does_not_exist() -> None:
    # DSAR_DEMO_SHOP_DB_URL is read by the demo command alone, not by the app's settings.
    assert sorted(readme_table_names() - environment_names() - {"DSAR_DEMO_SHOP_DB_URL"}) == []


def test_no_code_carries_its_own_default_for_a_dsar_setting() -> None:
    """``getattr(settings, "DSAR_X", default)`` would make a second default that the README and
    dsar/settings.py do not show."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "dsar").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"getattr\(\s*settings\s*,\s*[\"']DSAR_", line)
    ]
    assert offenders == []
