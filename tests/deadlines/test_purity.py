"""The engine is pure (style rule 2): no Django, no database, never the clock."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine

from dsar import deadlines, jurisdictions
from dsar.deadlines import compute

MODULES = [deadlines, jurisdictions]
CASES = [
    ("gdpr", date(2025, 11, 25), "GB-ENG", False),
    ("gdpr", date(2028, 1, 31), "GB-ENG", True),
    ("ccpa", date(2026, 1, 5), None, True),
    ("ccpa_ack", date(2025, 11, 20), None, False),
    ("can_spam", date(2026, 12, 22), None, False),
]


def _compute_all() -> list[tuple[date, str]]:
    results = []
    for rule, received, calendar, extended in CASES:
        deadline = compute(rule, received, calendar=calendar, extended=extended)
        results.append((deadline.due, deadline.explain()))
    results.append(
        (date.min, repr(jurisdictions.applicable_rules(right="access", jurisdiction="US-IN")))
    )
    return results


@pytest.mark.parametrize(
    "moment",
    [datetime(2099, 12, 31, 23, 59, tzinfo=UTC), datetime(1990, 1, 1, tzinfo=UTC)],
    ids=["far future", "far past"],
)
def test_results_do_not_depend_on_the_clock(moment):
    # Clear the caches so the travelled run computes afresh rather than replaying cached work.
    expected = _compute_all()
    deadlines._holidays.cache_clear()
    with time_machine.travel(moment, tick=False):
        assert datetime.now(tz=UTC).year == moment.year
        assert _compute_all() == expected


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_the_source_never_reads_the_clock_nor_imports_django(module):
    source = Path(module.__file__).read_text(encoding="utf-8")
    for forbidden in ("today(", "now(", "import django", "from django"):
        assert forbidden not in source
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names = {(node.module or "").split(".")[0]}
        else:
            names = set()
        assert not names & {"django", "time"}, f"{module.__name__} imports {names}"
        if isinstance(node, ast.Attribute):
            assert node.attr not in {"today", "now", "utcnow", "time", "monotonic"}
