"""Time the database figures of /metrics on a million requests (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dsar_bench .venv/bin/python bench/ops_metrics.py

1. The database of ``bench/requests_1m.py``: created, migrated and filled with ``--rows``
   requests (1,000,000) the same way if it is not there yet (``--fresh`` rebuilds it).
2. Adds what /metrics also counts, once, with ``INSERT … SELECT generate_series``: a letter for
   each of ``--letters`` requests (1,000,000; thirteen kinds), ``--emails`` reminder emails
   (200,000; 0.5% pending, 0.2% retrying, 0.3% failed, the rest sent) and a delivery for each of
   ``--deliveries`` letters (200,000; mostly sent).
3. Times each group of figures (requests by organization, the outboxes, letters by kind, the jobs
   and the schedule lag) and a whole scrape of ``/metrics`` through the Django test client,
   ``--repeat`` times (20) after two warm-ups; ``EXPLAIN (ANALYZE, BUFFERS)`` of each query.
4. Prints the table and writes it, with the plans, to ``bench/results/ops_metrics.md``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import pgdb  # bench/pgdb.py and bench/requests_1m.py: this folder is on sys.path
import requests_1m

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "ops_metrics.md"
TOKEN = "bench-metrics-token"  # noqa: S105 - a bench's own

FILL_LETTERS = """
INSERT INTO letters_letter ({columns})
SELECT {expressions} FROM (
    SELECT r.id, r.received_at, row_number() OVER (ORDER BY r.id) AS n
    FROM requests_privacyrequest r ORDER BY r.id LIMIT %(letters)s
) r
"""
LETTER_KINDS = (
    "ARRAY['acknowledgement','acknowledgement','acknowledgement','access','access','erasure',"
    "'verification','extension','rectification','restriction','portability','refusal','fee',"
    "'shine_the_light','opt_out','minor_removal']"
)
LETTER_COLUMNS = {
    "request_id": "r.id",
    "number": "1",
    "kind": f"({LETTER_KINDS})[1 + (r.n %% 16)::int]",
    "language": "'en'",
    "template": "'letters/en/bench.html'",
    "template_version": "md5('bench') || md5('bench')",
    "file": "'letters/bench/' || r.id || '.pdf'",
    "sha256": "md5(r.id::text) || md5(r.id::text)",
    "size": "20000",
    "issued_at": "r.received_at + interval '2 days'",
}
FILL_EMAILS = """
INSERT INTO reminders_notification ({columns})
SELECT {expressions} FROM (
    SELECT i, random() AS r FROM generate_series(1, %(emails)s) AS i
) e
"""
EMAIL_COLUMNS = {
    "kind": "'reminders'",
    "user_id": "%(bench_user)s",
    "run": "md5(e.i::text)::uuid",
    "status": "CASE WHEN e.r < 0.005 THEN 'pending' WHEN e.r < 0.007 THEN 'pending' "
    "WHEN e.r < 0.010 THEN 'failed' ELSE 'sent' END",
    "attempts": "CASE WHEN e.r < 0.005 THEN 0 WHEN e.r < 0.007 THEN 2 "
    "WHEN e.r < 0.010 THEN 5 ELSE 1 END",
    "created_at": "now() - make_interval(mins => e.i)",
    "next_attempt_at": "now() - make_interval(mins => e.i)",
    "sent_at": "CASE WHEN e.r >= 0.010 THEN now() - make_interval(mins => e.i) END",
}
FILL_DELIVERIES = """
INSERT INTO letters_letterdelivery ({columns})
SELECT {expressions} FROM (
    SELECT l.id, l.issued_at, random() AS r FROM letters_letter l ORDER BY l.id
    LIMIT %(deliveries)s
) l
"""
DELIVERY_COLUMNS = {
    "letter_id": "l.id",
    "method": "'attachment'",
    "to": "'requester' || l.id || '@example.com'",
    "status": "CASE WHEN l.r < 0.004 THEN 'pending' WHEN l.r < 0.005 THEN 'sending' "
    "WHEN l.r < 0.007 THEN 'failed' ELSE 'sent' END",
    "attempts": "CASE WHEN l.r < 0.002 THEN 0 WHEN l.r < 0.007 THEN 2 ELSE 1 END",
    "created_at": "l.issued_at",
    "sent_at": "CASE WHEN l.r >= 0.007 THEN l.issued_at END",
}


def _fill(model: Any, sql: str, columns_map: dict[str, str], params: dict[str, Any]) -> None:
    from django.db import connection

    if model.objects.exists():
        print(f"{model._meta.db_table}: already filled")
        return
    columns, expressions = pgdb.select_list(model, columns_map, params, "x")
    statement = sql.replace("{columns}", ", ".join(f'"{c}"' for c in columns)).replace(
        "{expressions}", ", ".join(expressions)
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        count = cursor.rowcount
        cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    print(f"{model._meta.db_table}: {count:,} rows in {time.perf_counter() - started:.0f} s")


def _time(function: Any, repeat: int) -> list[float]:
    for _ in range(2):
        function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _explain(function: Any) -> list[tuple[str, str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    from dsar.ops.metrics import _bounded

    plans = []
    with _bounded(), connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plans.append((sql, "\n".join(row[0] for row in cursor.fetchall())))
    return plans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--letters", type=int, default=1_000_000)
    parser.add_argument("--emails", type=int, default=200_000)
    parser.add_argument("--deliveries", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--fresh", action="store_true", help="drop and rebuild the database")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL=postgres://postgres@127.0.0.1:5432/dsar_bench")
    pgdb.ensure_database(url, fresh=args.fresh, script="bench/ops_metrics.py")
    os.environ["METRICS_TOKEN"] = TOKEN
    requests_1m._setup_django(url)
    user = requests_1m._prepare()
    requests_1m._fill(args.rows, user)

    from django.test import Client

    from dsar.letters.models import Letter, LetterDelivery
    from dsar.ops import metrics
    from dsar.ops.models import Tally
    from dsar.reminders.models import Notification
    from dsar.requests.models import PrivacyRequest

    _fill(Letter, FILL_LETTERS, LETTER_COLUMNS, {"letters": args.letters})
    _fill(Notification, FILL_EMAILS, EMAIL_COLUMNS, {"emails": args.emails, "bench_user": user.pk})
    _fill(LetterDelivery, FILL_DELIVERIES, DELIVERY_COLUMNS, {"deliveries": args.deliveries})

    client = Client()

    def scrape() -> None:
        response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert response.status_code == 200, response.status_code

    def bounded(function: Any) -> Any:
        """As the collector runs it: one transaction, time-out, no parallel workers."""

        def run() -> None:
            with metrics._bounded():
                function()

        return run

    def recount() -> None:
        """What the first scrape after the tallies are five minutes old also does."""
        Tally.objects.all().delete()
        metrics.tallied("letters_issued", metrics.letters_issued)
        metrics.tallied("outbox_failed", metrics.failed_emails)

    groups = {
        "requests by organization (each scrape)": bounded(metrics.request_metrics),
        "outboxes: pending, retrying (each scrape)": bounded(metrics.outbox_metrics),
        "letters by kind, tallied (each scrape)": bounded(metrics.letter_metrics),
        "jobs and schedule lag (each scrape)": bounded(metrics.job_metrics),
        "tallies counted again (every 5 minutes)": bounded(recount),
        "whole scrape, GET /metrics (tallies fresh)": scrape,
    }
    machine = requests_1m._machine()
    sizes = {
        "requests": PrivacyRequest.objects.count(),
        "open requests": PrivacyRequest.objects.open().count(),
        "letters": Letter.objects.count(),
        "reminder emails": Notification.objects.count(),
        "letter deliveries": LetterDelivery.objects.count(),
    }
    lines = ["# /metrics on a million requests", ""]
    lines += [f"`{' '.join(['bench/ops_metrics.py', *sys.argv[1:]])}`", ""]
    lines += [f"- {key}: {value}" for key, value in machine.items()]
    lines += [f"- {key}: {value:,}" for key, value in sizes.items()]
    lines += ["", "| figures | median ms | min | max |", "|---|---:|---:|---:|"]
    for name, function in groups.items():
        times = _time(function, args.repeat)
        row = f"| {name} | {statistics.median(times):.1f} | {min(times):.1f} | {max(times):.1f} |"
        print(row)
        lines.append(row)
    lines += ["", "## Plans", ""]
    for name, function in list(groups.items())[:-1]:
        if "(each scrape)" in name:
            recount()  # the tallies fresh, as between two recounts
        for sql, plan in _explain(function):
            lines += [f"### {name}", "", "```sql", sql, "```", "", "```", plan, "```", ""]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"Wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
