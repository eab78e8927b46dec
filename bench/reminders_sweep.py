"""Benchmark the reminder sweep over 100,000 and 1,000,000 requests (PostgreSQL).

    .venv/bin/python bench/reminders_sweep.py            # 100k, then 1M
    .venv/bin/python bench/reminders_sweep.py --sizes 100000 --fresh

``DATABASE_URL`` defaults to ``postgres://postgres@127.0.0.1:5432/dsar_bench_reminders``.

1. Create the database if it is missing (``--fresh`` drops it first) and migrate it.
2. Make 20 organizations in five time zones and holiday calendars (London/GB-ENG, New York/US,
   Los Angeles/US-CA, Berlin/DE, UTC/none), each with 2 privacy officers, 6 handlers (one has
   reminders turned off) and an auditor: 180 staff.
3. For each size, fill the requests with one ``INSERT … SELECT generate_series`` (deterministic:
   no random()): 95% closed, 5% open with deadlines from 15 days ago to 45 days ahead, a third
   of them unassigned, a quarter with a CCPA acknowledgement date (half not yet acknowledged).
   50 open requests await identity verification, 25 of them due for a reminder and 25 for
   closure: a fixed number, because a requester's email is one email per requester whatever the
   table size (the steady state of a 15-minute sweep sees a handful).
4. Empty the reminder tables, then time three runs with the locmem email backend, counting the
   queries (``connection.execute_wrapper``): the *cold* sweep that records and sends everything
   due (the first run after deploying, or after a long outage), a *warm* sweep right after it
   (the normal case: nothing new), and the daily digests. ``--repeat`` (3) times over, each
   after emptying the tables again; the median is reported with the fastest and slowest, the
   CPU time of this process and the load average as each run started (the machine is shared).
   The first size also times one cold sweep in the fresh process (imports, templates).
5. Print a table with the machine and write it, with ``EXPLAIN (ANALYZE, BUFFERS)`` of the
   largest claim statement, to ``bench/results/reminders_sweep.md``.

Targets: the number of queries does not grow with the number of requests, and the sweep takes
under 10 seconds at 1,000,000.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import host  # bench/host.py and bench/pgdb.py: this folder is on sys.path when a bench runs
import pgdb

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "reminders_sweep.md"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dsar_bench_reminders"
TARGET_SECONDS = 10.0
ZONES = (
    ("Europe/London", "GB-ENG"),
    ("America/New_York", "US"),
    ("America/Los_Angeles", "US-CA"),
    ("Europe/Berlin", "DE"),
    ("UTC", ""),
)
ORGS_PER_ZONE = 4
HANDLERS = 6
UNVERIFIED = 50


def _setup_django(url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    defaults = {
        "DJANGO_SETTINGS_MODULE": "dsar.settings",
        "SECRET_KEY": "bench-only-secret-key-never-use-it-anywhere-else-0123456789",
        "DEBUG": "false",
        "EMAIL_URL": "memorymail://",
        "STATIC_MANIFEST": "false",
        "LOG_LEVEL": "WARNING",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()
    # locmem keeps what it "sends" in django.core.mail.outbox, which Django's test setup
    # creates; outside tests, make it.
    from django.core import mail

    mail.outbox = []


@dataclass(frozen=True)
class Org:
    idx: int
    pk: int
    prefix: str
    version: int
    handlers: tuple[int, ...]


def _prepare() -> list[Org]:
    """Migrate; make the organizations, their policy versions and their staff (idempotent)."""
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from dsar.organizations.models import Membership, Organization, Role
    from dsar.policies.models import PolicyVersion

    call_command("migrate", verbosity=0, interactive=False)
    orgs = []
    for idx in range(len(ZONES) * ORGS_PER_ZONE):
        tz, calendar = ZONES[idx % len(ZONES)]
        org, _ = Organization.objects.get_or_create(
            slug=f"bench-{idx:02d}",
            defaults={
                "name": f"Bench {idx:02d}",
                "reference_prefix": f"B{idx:02d}",
                "time_zone": tz,
                "holiday_calendar": calendar,
            },
        )
        version = PolicyVersion.objects.filter(organization=org).first()
        if version is None:
            version = PolicyVersion.objects.create(organization=org, title="Bench", text="Bench")
        staff = [("po", 2, Role.PRIVACY_OFFICER), ("h", HANDLERS, Role.HANDLER)]
        staff.append(("aud", 1, Role.AUDITOR))
        handlers = []
        for tag, count, role in staff:
            for n in range(count):
                username = f"b{idx:02d}-{tag}{n}"
                user, _ = User.objects.get_or_create(
                    username=username, defaults={"email": f"{username}@bench.example"}
                )
                Membership.objects.get_or_create(
                    user=user,
                    organization=org,
                    defaults={"role": role, "receives_digests": not (tag == "h" and n == 5)},
                )
                if role == Role.HANDLER:
                    handlers.append(user.pk)
        orgs.append(Org(idx, org.pk, org.reference_prefix, version.pk, tuple(handlers)))
    return orgs


# One row per g. Orgs take turns (g % 20); blocks of 400 decide open (1 in 20), assignment
# (a third unassigned) and the CCPA acknowledgement, so every organization gets the same mix.
FILL = """
WITH orgs AS (
    SELECT * FROM (VALUES {org_values}) AS o(idx, org_id, prefix, version_id, handlers)
), base AS (
    SELECT g, g %% {org_count} AS idx, (g / {org_count}) %% 20 = 0 AS is_open,
           (g / 400) AS block
    FROM generate_series(1, %(rows)s) AS g
), dated AS (
    SELECT b.*, o.org_id, o.prefix, o.version_id, o.handlers,
           CASE WHEN b.is_open THEN CURRENT_DATE + ((b.g::bigint * 7919) %% 61)::int - 15
                ELSE CURRENT_DATE - 60 - (b.g %% 1000)::int + 45 END AS due
    FROM base b JOIN orgs o ON o.idx = b.idx
)
INSERT INTO requests_privacyrequest ({columns})
SELECT {expressions} FROM dated d
"""

COLUMNS = {
    "reference": "d.prefix || '-' || d.g",
    "organization_id": "d.org_id",
    "policy_version_id": "d.version_id",
    "right_kind": "'access'",
    "channel_kind": "'email'",
    "received_at": "((d.due - 45) + time '10:00') AT TIME ZONE 'UTC'",
    "received_on": "d.due - 45",
    "clock_started_on": "d.due - 45",
    "requester_name": "'Bench Requester ' || d.g",
    "requester_email": "'requester' || d.g || '@example.com'",
    "jurisdiction": "'US-CA'",
    "language": "'en'",
    "subject_line": "'Privacy request'",
    "message": "'Bench request.'",
    "status": "CASE WHEN d.is_open THEN 'in_progress' ELSE 'fulfilled' END",
    "identity_status": "'not_required'",
    "assignee_id": "CASE WHEN d.is_open AND d.block %% 3 <> 0 "
    "THEN d.handlers[1 + (d.block %% {handlers})::int] END",
    "due_date": "d.due",
    "deadline_rule": "'ccpa'",
    "deadline_basis": "'Bench data.'",
    "acknowledge_by": "CASE WHEN d.block %% 4 = 1 THEN d.due - 31 END",
    "acknowledged_at": "CASE WHEN d.block %% 4 = 1 AND d.block %% 8 <> 1 "
    "THEN ((d.due - 43) + time '12:00') AT TIME ZONE 'UTC' END",
    "closed_at": "CASE WHEN NOT d.is_open "
    "THEN ((d.due - 25) + time '12:00') AT TIME ZONE 'UTC' END",
    "created_at": "((d.due - 45) + time '10:00') AT TIME ZONE 'UTC'",
    "updated_at": "((d.due - 45) + time '10:00') AT TIME ZONE 'UTC'",
}


RESET_UNVERIFIED = """
UPDATE requests_privacyrequest SET
    status = 'awaiting_verification', identity_status = 'pending', closed_at = NULL,
    received_at = now() - CASE WHEN id %% 2 = 0 THEN interval '2 days' ELSE interval '40 days' END
WHERE id IN (
    SELECT id FROM requests_privacyrequest WHERE due_date >= CURRENT_DATE + 30
    AND acknowledge_by IS NULL ORDER BY id LIMIT %(n)s
)
"""


def _fill(rows: int, orgs: list[Org]) -> float:
    from django.db import connection

    from dsar.requests.models import PrivacyRequest

    if PrivacyRequest.objects.count() == rows:
        print(f"{rows:,} requests already there: not filling.")
        return 0.0
    print(f"Filling {rows:,} requests…", flush=True)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE reminders_notification_reminders, reminders_notification, "
            "reminders_reminder, requests_requestevent, requests_privacyrequest CASCADE"
        )
        org_values = ", ".join(
            f"({o.idx}, {o.pk}, '{o.prefix}', {o.version}, ARRAY{list(o.handlers)}::bigint[])"
            for o in orgs
        )
        params: dict[str, Any] = {"rows": rows}
        expressions = {k: v.format(handlers=HANDLERS) for k, v in COLUMNS.items()}
        columns, values = pgdb.select_list(PrivacyRequest, expressions, params, "default")
        sql = FILL.format(
            org_values=org_values,
            org_count=len(orgs),
            columns=", ".join(columns),
            expressions=", ".join(values),
        )
        cursor.execute(sql, params)
        cursor.execute("ANALYZE requests_privacyrequest")
    return time.perf_counter() - started


class Counter:
    def __init__(self) -> None:
        self.queries = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.queries += 1
        return execute(sql, params, many, context)


@dataclass
class Run:
    rows: int
    name: str
    seconds: float
    cpu: float  # this process's CPU seconds: what the load of other processes does not inflate
    load: float  # the machine's 1-minute load average when the run started
    queries: int
    result: dict[str, Any]
    fastest: float = 0.0  # of the repeated runs this one is the median of
    slowest: float = 0.0
    repeats: int = 1


def _timed(rows: int, name: str, job: Any) -> Run:
    from django.core import mail
    from django.db import connection

    counter = Counter()
    mail.outbox = []
    load = os.getloadavg()[0]
    with connection.execute_wrapper(counter):
        started, cpu = time.perf_counter(), time.process_time()
        result = job()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    result = {k: v for k, v in result.items() if k != "run"}
    result["emails"] = len(mail.outbox)
    return Run(rows, name, seconds, cpu, load, counter.queries, result)


def _reset() -> None:
    """Empty the reminder tables and put the unverified requests back, so a sweep is cold."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE reminders_notification_reminders, reminders_notification, reminders_reminder"
        )
        cursor.execute(RESET_UNVERIFIED, {"n": UNVERIFIED})
        cursor.execute("VACUUM ANALYZE reminders_reminder")


def _median_run(runs: list[Run]) -> Run:
    """The run of median wall time, with the fastest and slowest of its repeats."""
    ordered = sorted(runs, key=lambda run: run.seconds)
    median = ordered[len(ordered) // 2]
    median.fastest, median.slowest = ordered[0].seconds, ordered[-1].seconds
    median.repeats = len(ordered)
    if len({run.queries for run in runs}) != 1:
        sys.exit(f"bench: {median.name} made different numbers of queries: {runs}")
    return median


def _measure(rows: int, *, first: bool, repeat: int) -> list[Run]:
    from dsar.reminders import jobs

    runs = []
    if first:
        # A worker process is long-lived: its first task pays for importing the URLconf and
        # compiling templates once. Measure that run apart (once: it happens once), then the
        # same work warm.
        _reset()
        runs.append(_timed(rows, "sweep, cold, in a fresh process", jobs.send_due_reminders))
    names = (
        ("sweep, cold (records and sends all that is due)", jobs.send_due_reminders),
        ("sweep, warm (the next run: nothing new)", jobs.send_due_reminders),
        ("daily digests", jobs.send_daily_digests),
    )
    repeated: dict[str, list[Run]] = {name: [] for name, _job in names}
    for _ in range(repeat):
        _reset()
        for name, job in names:
            repeated[name].append(_timed(rows, name, job))
    runs += [_median_run(found) for found in repeated.values()]
    for run in runs:
        print(
            f"{rows:>9,}  {run.name:<50} {run.seconds:6.2f} s ("
            + (f"{run.fastest:.2f}-{run.slowest:.2f}, " if run.repeats > 1 else "")
            + f"cpu {run.cpu:5.2f} s, load {run.load:.1f}) "
            f"{run.queries:5} queries  "
            f"{run.result}",
            flush=True,
        )
    return runs


def _explain_biggest_claim() -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of the SELECT of the largest claim statement (rolled back)."""
    import uuid

    from django.db import connection, transaction
    from django.utils import timezone

    from dsar.reminders import claims

    statements = list(
        claims.staff_claims(
            now=timezone.now(), run=uuid.uuid4(), offsets=(7, 3, 1), ack_offsets=(3, 1), hour=8
        )
    )
    plans = []
    with transaction.atomic(), connection.cursor() as cursor:
        for select in statements:
            sql, params = select.query.get_compiler(connection=connection).as_sql()
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            rows = int(plan.split("actual time=")[1].split("rows=")[1].split()[0])
            plans.append((rows, plan))
        transaction.set_rollback(True)
    rows, plan = max(plans)
    return plan


def _machine() -> dict[str, str]:
    from django.db import connection

    def sh(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
        except OSError:
            return "?"

    cpu = host.cpu_model()
    memory = host.memory_gib()
    mem = f"{int(memory)} GiB" if memory else "?"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
    return {
        "CPUs": sh(["nproc"]),
        "CPU": cpu,
        "RAM": mem,
        "PostgreSQL": f"{version} (shared_buffers {buffers})",
        "Python": platform.python_version(),
    }


def _report(runs: list[Run], fills: dict[int, float], plan: str) -> str:
    machine = _machine()
    lines = [
        "# Reminder sweep benchmark",
        "",
        "Written by `bench/reminders_sweep.py` (see its docstring for the data). "
        f"Target: the sweep under {TARGET_SECONDS:.0f} s at 1,000,000 requests, and a query "
        "count that does not grow with the number of requests.",
        "",
        "| | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in machine.items()),
        "",
        "| requests | run | seconds (median) | min-max | CPU s (Python) | load | queries | "
        "recorded | staff emails | requester | emails sent |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        r = run.result
        requester = r.get("nudges", 0) + r.get("closed", 0)
        recorded = r.get("reminders", r.get("digests", 0))
        spread = (
            f"{run.fastest:.2f}-{run.slowest:.2f} ({run.repeats} runs)"
            if run.repeats > 1
            else "(one run)"
        )
        lines.append(
            f"| {run.rows:,} | {run.name} | {run.seconds:.2f} | {spread} | {run.cpu:.2f} | "
            f"{run.load:.1f} | "
            f"{run.queries} | "
            f"{recorded} | "
            f"{r.get('staff_emails', r.get('digests', 0))} | {requester} | {r['emails']} |"
        )
    lines += [
        "",
        "Fill time (not part of the target): "
        + ", ".join(f"{rows:,} rows {seconds:.0f} s" for rows, seconds in fills.items()),
        "",
        "*seconds*: the median of the repeated runs (each after emptying the reminder tables); "
        "*CPU s*: the Python process's CPU time in the median run; "
        "*load*: the machine's 1-minute load average as the run started (2 CPUs, shared with "
        "other work: wall times above a load of 2 include waiting for a CPU). "
        "*recorded*: reminders recorded (claimed) by the run, or digests for the digest run; "
        "*requester*: verification reminders and closures of unverified requests (50 set up, a "
        "fixed number); *emails sent*: staff emails (one per person per run) plus requester "
        "emails.",
        "",
        "## The largest claim statement at the largest size",
        "",
        "```",
        plan,
        "```",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--fresh", action="store_true", help="drop and rebuild the database")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each measure (median reported)"
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if "dsar_bench_reminders" not in url:
        url = DEFAULT_URL
    pgdb.ensure_database(url, fresh=args.fresh, script="bench/reminders_sweep.py")
    _setup_django(url)
    orgs = _prepare()
    runs: list[Run] = []
    fills: dict[int, float] = {}
    for index, rows in enumerate(sorted(args.sizes)):
        fills[rows] = _fill(rows, orgs)
        runs += _measure(rows, first=index == 0, repeat=args.repeat)
    plan = _explain_biggest_claim()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(_report(runs, fills, plan), encoding="utf-8")
    print(f"Wrote {RESULTS.relative_to(ROOT)}")
    sweeps = [r for r in runs if r.name.startswith("sweep, cold (")]
    counts = {r.rows: r.queries for r in sweeps}
    slowest = max(r.seconds for r in sweeps)
    print(f"cold sweep queries by size: {counts}; slowest cold sweep {slowest:.2f} s")


if __name__ == "__main__":
    main()
