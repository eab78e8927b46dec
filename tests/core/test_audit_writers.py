"""One way onto the audit trail: ``dsar.requests.events`` (``record``, ``append``; ``writes`` for a
new request's first events) builds, chains and inserts every ``RequestEvent``. An event inserted
anywhere else would break the trail's hash chain, and a view that writes one itself would bypass
the service that decides what the event says."""

from __future__ import annotations

import re
from pathlib import Path

DSAR = Path(__file__).resolve().parents[2] / "dsar"
WRITERS = {"requests/events.py", "requests/writes.py"}


def _sources() -> list[tuple[str, str]]:
    return [
        (str(path.relative_to(DSAR)), path.read_text(encoding="utf-8"))
        for path in sorted(DSAR.rglob("*.py"))
        if "migrations" not in path.parts
    ]


def test_only_the_events_module_inserts_events() -> None:
    inserts = re.compile(
        r"(?<!class )RequestEvent\(|RequestEvent\.objects\.(create|bulk_create|get_or_create)"
    )
    offenders = [name for name, text in _sources() if name not in WRITERS and inserts.search(text)]
    assert offenders == []


def test_no_view_writes_an_event_itself() -> None:
    writes = re.compile(r"\bevents\.(record|append)\(")
    offenders = [
        name
        for name, text in _sources()
        if re.search(r"(^|/)views[^/]*\.py$", name) and writes.search(text)
    ]
    assert offenders == []
