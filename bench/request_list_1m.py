"""The request list at a million requests: dsar's staff list and API list next to Fides' list.

    .venv/bin/python bench/request_list_1m.py [--rows 1000000] [--repeat 20] [--fresh] [--write]

1. dsar: the database ``dsar_bench_list`` (``DATABASE_URL`` to change it) filled as
   ``bench/requests_1m.py`` fills it (its ``_prepare`` and ``_fill``: the same seeded data, the
   privacy officer ``bench`` of IMG, 40% of the rows), plus a superuser and a read key of IMG.
2. Fides 2.78.2 (``bench/fides/fides_server``): its database ``fides_bench_list`` migrated by
   Fides itself, then ``--rows`` rows inserted into ``privacyrequest`` with one ``INSERT …
   SELECT generate_series`` (the table the list reads; statuses, policies and dates spread like
   dsar's), and one ``providedidentity`` row (an email) per request. uvicorn 2 workers, with
   fuzzy search off: with it on, each worker would first decrypt every stored identity, one
   query per request (README beside fides_server.py, pitfall 3).
3. Timed, after 2 warm-up calls, ``--repeat`` times each, the median, min and max: dsar's pages
   with the Django test client (server time, no network) and their number of queries; Fides'
   ``GET /api/v1/privacy-request?size=50`` over HTTP on 127.0.0.1 (its server time plus a
   loopback round trip: about a millisecond more than it spends).
4. The table goes to stdout and, with ``--write``, to bench/results/request_list_1m.md, with the
   machine and ``EXPLAIN (ANALYZE, BUFFERS)`` of dsar's slowest query of each page.

Targets (issue 17): fewer than 15 queries, and no slower than Fides' list on the same rows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pgdb  # bench/: on sys.path when a bench runs
import requests_1m as filled

sys.path.insert(0, str(Path(__file__).resolve().parent / "fides"))
import fides_server as fs

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "request_list_1m.md"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dsar_bench_list"
FIDES_DB, FIDES_REDIS_DB, FIDES_PORT = "fides_bench_list", 6, 8184
TARGET_QUERIES = 15

# Fides' rows: spread over three years like dsar's, mostly closed ("complete") past 45 days.
FIDES_FILL = """
WITH base AS (
    SELECT i, random() AS r_age, random() AS r_status, random() AS r_policy
    FROM generate_series(1, %(rows)s) AS i
), shaped AS (
    SELECT i, r_status, r_policy,
           now() - make_interval(days => floor(power(r_age, 1.3) * 1095)::int)
                 - make_interval(secs => (i %% 36000)) AS at,
           floor(power(r_age, 1.3) * 1095)::int AS age
    FROM base
)
INSERT INTO privacyrequest (id, created_at, updated_at, requested_at, status, policy_id, origin,
                            finished_processing_at)
SELECT 'pri_bench_' || i, at, at, at,
       (CASE WHEN age < 45 AND r_status < 0.6 THEN 'pending'
             WHEN age < 45 AND r_status < 0.8 THEN 'in_processing'
             WHEN r_status < 0.9 THEN 'complete'
             WHEN r_status < 0.95 THEN 'denied'
             ELSE 'canceled' END)::privacyrequeststatus,
       CASE WHEN r_policy < 0.5 THEN %(access)s ELSE %(erasure)s END,
       'https://example.org/privacy', CASE WHEN age >= 45 THEN at + interval '3 days' END
FROM shaped
"""
FIDES_IDENTITIES = """
INSERT INTO providedidentity (id, created_at, updated_at, privacy_request_id, field_name,
                              hashed_value, field_label)
SELECT 'pri_id_bench_' || substr(id, 11), created_at, created_at, id, 'email', md5(id), 'Email'
FROM privacyrequest WHERE id LIKE 'pri_bench_%%'
"""


@dataclass
class Timing:
    name: str
    where: str
    times_ms: list[float]
    queries: int | None = None
    status: int = 200
    rows: int | None = None
    slowest_sql: str = ""
    plan: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)


def _time(call: Any, repeat: int) -> list[float]:
    for _ in range(2):
        call()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


# -- dsar ------------------------------------------------------------------------------------------


def dsar_timings(repeat: int, bench_user: Any) -> list[Timing]:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dsar.api.keys import api_key_create
    from dsar.organizations.models import Organization

    root, _ = User.objects.get_or_create(
        username="bench-root", defaults={"is_staff": True, "is_superuser": True}
    )
    _, key = api_key_create(
        organization=Organization.objects.get(slug="img"), name="bench-list", scope="read"
    )
    officer, superuser, api = Client(), Client(), Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    officer.force_login(bench_user)
    superuser.force_login(root)
    first = api.get("/api/v1/requests/?page_size=50").json()
    deep = first["next"]
    for _ in range(19):  # the cursor of page 20
        deep = api.get(deep).json()["next"]
    pages = [
        ("Staff list, privacy officer of IMG", officer, "/staff/requests/privacyrequest/"),
        ("Staff list, superuser (every row)", superuser, "/staff/requests/privacyrequest/"),
        ("API list, IMG's key", api, "/api/v1/requests/?page_size=50"),
        ("API list, page 20 (cursor)", api, deep),
        ("API list, status=in_progress", api, "/api/v1/requests/?page_size=50&status=in_progress"),
        ("API list, overdue=true", api, "/api/v1/requests/?page_size=50&overdue=true"),
        ("API list, right=erasure", api, "/api/v1/requests/?page_size=50&right=erasure"),
    ]
    timings = []
    for name, client, url in pages:
        response = None

        def get(client: Any = client, url: str = url) -> None:
            nonlocal response
            response = client.get(url)

        times = _time(get, repeat)
        with CaptureQueriesContext(connection) as captured:
            get()
        slowest = max(captured.captured_queries, key=lambda q: float(q["time"]), default=None)
        timing = Timing(name, url.split("?")[0], times, len(captured), response.status_code)
        if slowest is not None and slowest["sql"].lstrip().upper().startswith("SELECT"):
            timing.slowest_sql = slowest["sql"]
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
                timing.plan = "\n".join(row[0] for row in cursor.fetchall())
        timings.append(timing)
        print(f"  {name:40s} {timing.median:8.1f} ms {timing.queries:3d} queries", flush=True)
    return timings


# -- Fides -----------------------------------------------------------------------------------------


def fides_fill(rows: int) -> int:
    import psycopg

    url = f"postgres://postgres@127.0.0.1:5432/{FIDES_DB}"
    with psycopg.connect(url, autocommit=True) as conn:
        (have,) = conn.execute("SELECT count(*) FROM privacyrequest").fetchone()
        if have >= rows:
            print(f"Fides: {have:,} requests already there: not filling.")
            return have
        policies = dict(conn.execute("SELECT key, id FROM policy").fetchall())
        started = time.perf_counter()
        conn.execute("SELECT setseed(0.7102)")
        conn.execute(
            FIDES_FILL,
            {
                "rows": rows - have,
                "access": policies["default_access_policy"],
                "erasure": policies["default_erasure_policy"],
            },
        )
        conn.execute(FIDES_IDENTITIES)
        conn.execute("VACUUM ANALYZE privacyrequest")
        conn.execute("VACUUM ANALYZE providedidentity")
        (have,) = conn.execute("SELECT count(*) FROM privacyrequest").fetchone()
        print(f"Fides: filled {have:,} requests in {time.perf_counter() - started:.0f} s")
    return have


def fides_timings(rows: int, repeat: int) -> tuple[list[Timing], int]:
    db, redis = {"dbname": FIDES_DB}, {"db_index": FIDES_REDIS_DB}
    fs.install()
    fs.migrate(database_url_parts=db, redis=redis, eager=False, log_level="WARNING")
    stored = fides_fill(rows)
    handle = fs.start(
        port=FIDES_PORT,
        workers=2,
        database_url_parts=db,
        redis=redis,
        eager=False,
        log_level="WARNING",
        fuzzy_search=False,
        timeout=600,
    )
    timings = []
    try:
        token = fs.token(handle.base_url)
        for name, query in [
            ("Fides list, size=50", {"size": 50}),
            ("Fides list, size=50, page 20", {"size": 50, "page": 20}),
            ("Fides list, size=50, status=in_processing", {"size": 50, "status": "in_processing"}),
        ]:
            url = handle.base_url + "/api/v1/privacy-request?" + urllib.parse.urlencode(query)
            answer: list[Any] = []

            def get(url: str = url, answer: list[Any] = answer) -> None:
                answer[:] = [fs._call("GET", url, headers={"Authorization": f"Bearer {token}"})]

            times = _time(get, repeat)
            status = answer[0][0]
            if status != 200:
                raise RuntimeError(f"Fides answered {status}: see {handle.log_path}")
            timings.append(Timing(name, "/api/v1/privacy-request", times, None, status))
            print(f"  {name:40s} {statistics.median(times):8.1f} ms (HTTP {status})", flush=True)
    finally:
        fs.stop(handle)
    return timings, stored


# -- Report ----------------------------------------------------------------------------------------


def report(
    args: argparse.Namespace, machine: dict[str, str], ours: list[Timing], theirs: list[Timing]
) -> str:
    fides_first = theirs[0].median if theirs else None
    lines = [
        "# The request list at a million requests: dsar next to Fides",
        "",
        f"Written by `bench/request_list_1m.py --rows {args.rows} --repeat {args.repeat}` on "
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}. Each page: 2 warm-up calls, then {args.repeat} "
        "timed calls; dsar's with the Django test client (server time, no network), Fides' "
        "over HTTP on 127.0.0.1. Targets: fewer than 15 queries, and no slower than Fides' "
        "`GET /api/v1/privacy-request?size=50` on as many requests.",
        "",
        "| Machine | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in machine.items()],
        "",
        "| Page | Status | Queries | Median ms | Min ms | Max ms | vs Fides' first page |",
        "|---|---|---|---|---|---|---|",
    ]
    for t in [*ours, *theirs]:
        versus = f"{t.median / fides_first:.2f}x" if fides_first and t.queries is not None else "—"
        lines.append(
            f"| {t.name} | {t.status} | {t.queries if t.queries is not None else 'n/a'} "
            f"| {t.median:.1f} | {min(t.times_ms):.1f} | {max(t.times_ms):.1f} | {versus} |"
        )
    lines += ["", "## Plans of dsar's slowest query per page", ""]
    for t in ours:
        if t.plan:
            lines += [f"### {t.name}", "", "```sql", t.slowest_sql, "```", "", "```", t.plan,
                      "```", ""]  # fmt: skip
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--fresh", action="store_true", help="drop and rebuild dsar's database")
    parser.add_argument("--skip-fides", action="store_true")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    pgdb.ensure_database(url, fresh=args.fresh, script="bench/request_list_1m.py")
    filled._setup_django(url)
    user = filled._prepare()
    filled._fill(args.rows, user)
    machine = filled._machine()
    print("dsar:", flush=True)
    ours = dsar_timings(args.repeat, user)
    theirs: list[Timing] = []
    if not args.skip_fides:
        print("Fides:", flush=True)
        theirs, stored = fides_timings(args.rows, args.repeat)
        machine["Fides requests"] = f"{stored:,} (privacyrequest), one hashed email identity each"
    machine["Load average at the end (1/5/15 min)"] = " / ".join(
        f"{x:.2f}" for x in os.getloadavg()
    )
    text = report(args, machine, ours, theirs)
    print(text)
    if args.write:
        RESULTS.write_text(text, encoding="utf-8")
        print(f"Wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
