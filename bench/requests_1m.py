"""Benchmark the staff pages on a million requests (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dsar_bench .venv/bin/python bench/requests_1m.py

1. Create the database if it does not exist (``--fresh`` drops it first) and migrate it.
2. Load the five seed policies, and a staff user ``bench``: privacy officer of IMG only (not a
   superuser), so every page runs its tenancy filter over the biggest tenant (40% of the rows).
3. Fill it with ``--rows`` requests (default 1,000,000) and their events in two
   ``INSERT … SELECT generate_series`` statements, with a fixed ``setseed`` so that every run
   builds the same data. A filled database is reused (the fill is skipped when the count is
   already reached), so a second run only measures.
4. For each page, log in with the Django test ``Client``, warm up, then time ``--repeat`` GETs
   (median, min, max) and count the queries of one (``CaptureQueriesContext``); ``EXPLAIN
   (ANALYZE, BUFFERS)`` the slowest query of every page over the time target.
5. Print a table with the machine (CPUs, CPU model, RAM, PostgreSQL) and write it, with the
   plans, to ``bench/results/requests_1m.md``.

The fill writes SQL directly, not through the services: it is a load generator, and a million
``request_log`` calls would take hours. The rows satisfy every database constraint.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
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
RESULTS = ROOT / "bench" / "results" / "requests_1m.md"
TARGET_QUERIES, TARGET_MS = 15, 300

# (slug, share of the rows): IMG is the biggest tenant, and the bench user's.
ORGANIZATIONS = (
    ("img", 0.40),
    ("imt", 0.25),
    ("imservicecenter", 0.15),
    ("imgwg", 0.10),
    ("ims-consulting", 0.10),
)
BENCH_USER = "bench"
BENCH_ORGANIZATION = "img"


def _setup_django(url: str) -> None:
    """Settings for a production-like run: DEBUG off, but no TLS redirect for the test client."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    defaults = {
        "DJANGO_SETTINGS_MODULE": "dsar.settings",
        "SECRET_KEY": "bench-only-secret-key-never-use-it-anywhere-else-0123456789",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "testserver,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "STATIC_MANIFEST": "false",
        "WHITENOISE_USE_FINDERS": "true",
        "LOG_LEVEL": "WARNING",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    # WhiteNoise warns that collectstatic never ran; the bench serves no static file.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()


def _prepare() -> Any:
    """Migrate, load the seed policies, and make the bench user; return the user."""
    import io

    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    from dsar.organizations.models import Membership, Organization, Role

    call_command("migrate", verbosity=0, interactive=False)
    seeds = [
        str(ROOT / "dsar" / "policies" / "seeds" / f"{slug}.yaml") for slug, _s in ORGANIZATIONS
    ]
    call_command("load_policy", *seeds, stdout=io.StringIO())
    user, _ = User.objects.get_or_create(username=BENCH_USER, defaults={"is_staff": True})
    Membership.objects.get_or_create(
        user=user,
        organization=Organization.objects.get(slug=BENCH_ORGANIZATION),
        defaults={"role": Role.PRIVACY_OFFICER},
    )
    group = Group.objects.filter(name=Role.PRIVACY_OFFICER.group_name).first()
    if group is not None:
        user.groups.add(group)
    return user


# The fill. Every random() draw happens in one statement after setseed(), so the data is the
# same on every run. Ages lean recent (power 1.3) over three years; a request older than 45
# days is almost always closed, a younger one mostly open; 15% have no legal deadline.
FILL_REQUESTS = """
WITH orgs AS (
    SELECT * FROM (VALUES {org_values}) AS o(idx, org_id, prefix, version_id, tz, lo, hi)
), base AS (
    SELECT i, random() AS r_org, random() AS r_age, random() AS r_status, random() AS r_right,
           random() AS r_chan, random() AS r_jur, random() AS r_close, random() AS r_assign,
           random() AS r_time, random() AS r_deadline, random() AS r_first, random() AS r_last
    FROM generate_series(1, %(rows)s) AS i
), shaped AS (
    SELECT b.*, o.org_id, o.prefix, o.version_id, o.tz,
           floor(power(b.r_age, 1.3) * 1095)::int AS age
    FROM base b JOIN orgs o ON b.r_org >= o.lo AND b.r_org < o.hi
), timed AS (
    SELECT s.*,
           now() - make_interval(days => s.age) - make_interval(secs => s.r_time * 36000)
               AS received_at,
           CASE WHEN s.age < 45 THEN
               CASE WHEN s.r_status < 0.25 THEN 'received'
                    WHEN s.r_status < 0.35 THEN 'awaiting_verification'
                    WHEN s.r_status < 0.65 THEN 'in_progress'
                    WHEN s.r_status < 0.75 THEN 'waiting_requester'
                    WHEN s.r_status < 0.88 THEN 'fulfilled'
                    WHEN s.r_status < 0.93 THEN 'partially_fulfilled'
                    WHEN s.r_status < 0.97 THEN 'denied'
                    ELSE 'withdrawn' END
           ELSE
               CASE WHEN s.r_status < 0.004 THEN 'received'
                    WHEN s.r_status < 0.012 THEN 'in_progress'
                    WHEN s.r_status < 0.015 THEN 'waiting_requester'
                    WHEN s.r_status < 0.65 THEN 'fulfilled'
                    WHEN s.r_status < 0.75 THEN 'partially_fulfilled'
                    WHEN s.r_status < 0.86 THEN 'denied'
                    WHEN s.r_status < 0.92 THEN 'withdrawn'
                    WHEN s.r_status < 0.97 THEN 'closed_unverifiable'
                    ELSE 'closed_duplicate' END
           END AS status,
           CASE WHEN s.r_right < 0.35 THEN 'access'
                WHEN s.r_right < 0.60 THEN 'erasure'
                WHEN s.r_right < 0.75 THEN 'marketing_opt_out'
                WHEN s.r_right < 0.85 THEN 'rectification'
                WHEN s.r_right < 0.90 THEN 'shine_the_light'
                WHEN s.r_right < 0.95 THEN 'account_closure'
                ELSE 'complaint' END AS right_kind,
           CASE WHEN s.r_chan < 0.55 THEN 'email'
                WHEN s.r_chan < 0.70 THEN 'web_form'
                WHEN s.r_chan < 0.80 THEN 'postal_mail'
                WHEN s.r_chan < 0.90 THEN 'phone'
                ELSE 'self_service' END AS channel_kind,
           CASE WHEN s.r_jur < 0.30 THEN 'US-CA'
                WHEN s.r_jur < 0.45 THEN 'US-FL'
                WHEN s.r_jur < 0.55 THEN 'US-TX'
                WHEN s.r_jur < 0.65 THEN 'GB'
                WHEN s.r_jur < 0.73 THEN 'FR'
                WHEN s.r_jur < 0.80 THEN 'DE'
                ELSE '' END AS jurisdiction,
           (ARRAY['Alma','Bruno','Chiara','Dmitri','Elena','Farid','Grace','Hugo','Ines',
                  'Jonas','Keiko','Lucas','Maya','Nadia','Omar','Priya','Quentin','Rosa',
                  'Samuel','Tamsin','Uma','Viktor','Wen','Yusuf','Zoe'])
               [1 + floor(s.r_first * 25)::int] AS first_name,
           (ARRAY['Abernathy','Brightwater','Castellano','Dunmore','Eskildsen','Fairbanks',
                  'Gallardo','Holloway','Ivanova','Jarrett','Kowalczyk','Lindqvist','Moreau',
                  'Nakamura','Okafor','Pemberton','Quinlan','Rasmussen','Sandoval','Thorne',
                  'Underwood','Valdez'])[1 + floor(s.r_last * 22)::int] AS last_name
    FROM shaped s
), dated AS (
    SELECT t.*,
           (t.received_at AT TIME ZONE t.tz)::date AS received_on,
           CASE WHEN t.status IN ('fulfilled','partially_fulfilled','denied','withdrawn',
                                  'closed_unverifiable','closed_duplicate')
                THEN LEAST(t.received_at + make_interval(days => 1 + floor(t.r_close * 50)::int),
                           now())
           END AS closed_at
    FROM timed t
), numbered AS (
    SELECT t.*, row_number() OVER (
        PARTITION BY t.org_id, extract(year FROM t.received_on) ORDER BY t.received_at, t.i
    ) AS n
    FROM dated t
)
INSERT INTO requests_privacyrequest ({columns})
SELECT {expressions} FROM numbered d
"""

# Column -> SQL over the CTE ``dated d``. A column of the model missing here gets its field's
# default (or NULL), so that a new column with a default does not break the bench.
REQUEST_COLUMNS = {
    # PREFIX-YEAR-NNNNN like writes._next_reference: at least 5 digits, more past 99999.
    "reference": "d.prefix || '-' || extract(year FROM d.received_on)::int || '-' || "
    "lpad(d.n::text, greatest(5, length(d.n::text)), '0')",
    "organization_id": "d.org_id",
    "policy_version_id": "d.version_id",
    "right_kind": "d.right_kind",
    "channel_kind": "d.channel_kind",
    "received_at": "d.received_at",
    "received_on": "d.received_on",
    "clock_started_on": "d.received_on",
    "requester_name": "d.first_name || ' ' || d.last_name",
    "requester_email": "lower(d.first_name || '.' || d.last_name || d.i) || '@example.com'",
    "jurisdiction": "d.jurisdiction",
    "subject_line": "'Privacy request'",
    "message": "'Bench request.'",
    "status": "d.status",
    "waiting_for": "CASE WHEN d.status = 'waiting_requester' THEN 'clarification' ELSE '' END",
    "waiting_since": "CASE WHEN d.status = 'waiting_requester' THEN d.received_on + 3 END",
    "identity_status": "CASE WHEN d.status = 'awaiting_verification' THEN 'pending' "
    "ELSE 'not_required' END",
    "assignee_id": "CASE WHEN d.org_id = %(bench_org)s AND d.r_assign < 0.6 "
    "THEN %(bench_user)s END",
    "due_date": "CASE WHEN d.r_deadline < 0.85 THEN d.received_on + CASE "
    "WHEN d.right_kind = 'marketing_opt_out' THEN 14 "
    "WHEN d.jurisdiction LIKE 'US-%%' THEN 45 ELSE 30 END END",
    "deadline_rule": "CASE WHEN d.r_deadline < 0.85 THEN 'bench' ELSE '' END",
    "deadline_basis": "'Bench data.'",
    "internal_target": "CASE WHEN d.r_deadline >= 0.85 THEN d.received_on + 14 END",
    "outcome_reason": "CASE WHEN d.status = 'denied' THEN 'Exempt (bench).' "
    "WHEN d.status = 'partially_fulfilled' THEN 'Partly exempt (bench).' ELSE '' END",
    "closed_at": "d.closed_at",
    "created_at": "d.received_at",
    "updated_at": "COALESCE(d.closed_at, d.received_at)",
}

FILL_EVENTS = """
INSERT INTO requests_requestevent ({columns})
SELECT {received} FROM requests_privacyrequest r
UNION ALL
SELECT {moved} FROM requests_privacyrequest r WHERE r.status <> 'received'
"""
EVENT_RECEIVED = {
    "request_id": "r.id",
    "at": "r.received_at",
    "actor_label": "'bench'",
    "kind": "'received'",
    "to_status": "'received'",
    "summary": "'Received (bench)'",
}
EVENT_MOVED = {
    **EVENT_RECEIVED,
    "at": "COALESCE(r.closed_at, r.received_at + interval '1 day')",
    "actor_id": "r.assignee_id",
    "kind": "'status_changed'",
    "from_status": "'received'",
    "to_status": "r.status",
    "summary": "'Status changed (bench)'",
}


# Future references must not collide with the bench's: start each counter after them.
SYNC_COUNTERS = """
INSERT INTO requests_referencecounter (organization_id, year, last)
SELECT organization_id, extract(year FROM received_on)::int, count(*)
FROM requests_privacyrequest GROUP BY 1, 2
ON CONFLICT (organization_id, year) DO UPDATE SET last = EXCLUDED.last
"""


def _fill(rows: int, user: Any) -> None:
    from django.db import connection, transaction

    from dsar.organizations.models import Organization
    from dsar.requests.models import PrivacyRequest, RequestEvent

    have = PrivacyRequest.objects.count()
    if have >= rows:
        print(f"{have:,} requests already there: not filling.")
        return
    if have:
        sys.exit(f"{have:,} requests (fewer than {rows:,}) already there: run with --fresh.")
    values, low = [], 0.0
    for index, (slug, share) in enumerate(ORGANIZATIONS):
        org = Organization.objects.get(slug=slug)
        version = org.policy_in_force()
        high = 1.0000001 if index == len(ORGANIZATIONS) - 1 else low + share
        values.append(
            f"({index}, {org.pk}, '{org.reference_prefix}', {version.pk}, "
            f"'{org.time_zone}', {low}, {high})"
        )
        low = high
    params: dict[str, Any] = {
        "rows": rows,
        "bench_org": Organization.objects.get(slug=BENCH_ORGANIZATION).pk,
        "bench_user": user.pk,
    }
    columns, expressions = pgdb.select_list(PrivacyRequest, REQUEST_COLUMNS, params, "r")
    sql = (
        FILL_REQUESTS.replace("{org_values}", ", ".join(values))
        .replace("{columns}", ", ".join(columns))
        .replace("{expressions}", ", ".join(expressions))
    )
    event_params: dict[str, Any] = {}
    event_columns, received = pgdb.select_list(RequestEvent, EVENT_RECEIVED, event_params, "e")
    _same, moved = pgdb.select_list(RequestEvent, EVENT_MOVED, event_params, "e")
    events_sql = (
        FILL_EVENTS.replace("{columns}", ", ".join(event_columns))
        .replace("{received}", ", ".join(received))
        .replace("{moved}", ", ".join(moved))
    )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.7102)")
        cursor.execute(sql, params)
        print(f"Inserted {rows:,} requests in {time.perf_counter() - started:.0f} s")
        step = time.perf_counter()
        cursor.execute(events_sql, event_params)
        print(f"Inserted {cursor.rowcount:,} events in {time.perf_counter() - step:.0f} s")
        cursor.execute(SYNC_COUNTERS)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE requests_privacyrequest")
        cursor.execute("VACUUM ANALYZE requests_requestevent")
    print(f"Filled and analyzed in {time.perf_counter() - started:.0f} s")


@dataclass
class Measure:
    name: str
    url: str
    status: int
    queries: int
    times_ms: list[float]
    slowest_sql: str
    slowest_ms: float
    plan: str = ""

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.queries < TARGET_QUERIES and self.median_ms < TARGET_MS


def _pages() -> list[tuple[str, str]]:
    """The pages to time."""
    pages = [
        ("Request list", "/staff/requests/privacyrequest/"),
        ("Dashboard", "/staff/requests/privacyrequest/dashboard/"),
    ]
    last_year = time.localtime().tm_year - 1
    pages += [
        ("Admin index", "/staff/"),
        ("List: overdue filter", "/staff/requests/privacyrequest/?deadline=overdue"),
        ("List: sorted by deadline", "/staff/requests/privacyrequest/?o=6"),
        ("List: page 20", "/staff/requests/privacyrequest/?p=20"),
        ("List: search by name", "/staff/requests/privacyrequest/?q=Moreau"),
        ("List: search by reference", "/staff/requests/privacyrequest/?q=IMG-2025-00042"),
        ("Metrics (§7102), last year", f"/staff/reports/?organization=img&year={last_year}"),
    ]
    return pages


def _measure(user: Any, repeat: int) -> list[Measure]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    results = []
    for name, shown in _pages():
        url = shown
        response = client.get(url)
        if response.status_code == 302 and "?q=" in url:
            # A search: the list answers at an address with a token instead of the term.
            url = response["Location"]
        for _ in range(2):  # warm-up: caches, plans, the session
            response = client.get(url)
        times, queries, slowest = [], 0, ("", 0.0)
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            queries = len(captured)
            for query in captured.captured_queries:
                if float(query["time"]) * 1000 > slowest[1]:
                    slowest = (query["sql"], float(query["time"]) * 1000)
        result = Measure(name, shown, response.status_code, queries, times, *slowest)
        if not result.ok and result.slowest_sql.lstrip().upper().startswith("SELECT"):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + result.slowest_sql)
                result.plan = "\n".join(row[0] for row in cursor.fetchall())
        results.append(result)
        flag = "ok" if result.ok else "OVER TARGET"
        print(f"  {name:32s} {result.median_ms:8.1f} ms {queries:4d} queries  {flag}")
    return results


def _machine() -> dict[str, str]:
    from django.db import connection

    model = host.cpu_model()
    memory = host.memory_gib()
    nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=False).stdout.strip()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
        cursor.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('requests_privacyrequest')), "
            "pg_size_pretty(pg_total_relation_size('requests_requestevent')), "
            "(SELECT count(*) FROM requests_privacyrequest), "
            "(SELECT count(*) FROM requests_requestevent), "
            "(SELECT count(*) FROM requests_privacyrequest r JOIN organizations_organization o "
            " ON o.id = r.organization_id WHERE o.slug = %s)",
            [BENCH_ORGANIZATION],
        )
        req_size, ev_size, requests, events, tenant = cursor.fetchone()
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
    return {
        "CPUs (nproc)": nproc or str(os.cpu_count()),
        "CPU model": model,
        "RAM": f"{memory:.1f} GiB" if memory else "?",
        "PostgreSQL": f"{pg} (shared_buffers {shared_buffers})",
        "Python / Django": f"{platform.python_version()} / {__import__('django').get_version()}",
        "Requests": f"{requests:,} ({req_size} with indexes); {tenant:,} in the bench user's "
        f"organization ({BENCH_ORGANIZATION})",
        "Events": f"{events:,} ({ev_size})",
        # A busy machine slows every page: read the figures against this.
        "Load average (1/5/15 min)": " / ".join(f"{load:.2f}" for load in os.getloadavg()),
    }


def _report(machine: dict[str, str], results: list[Measure], repeat: int) -> str:
    lines = [
        "# Staff pages on a million requests",
        "",
        f"Written by `bench/requests_1m.py` on {time.strftime('%Y-%m-%d %H:%M %Z')}. Each page: "
        f"2 warm-up GETs, then {repeat} timed GETs with the Django test client (server time, "
        "no network), logged in as a privacy officer of one organization (not a superuser). "
        f"Target: fewer than {TARGET_QUERIES} queries and a median under {TARGET_MS} ms.",
        "",
        "| Machine | |",
        "|---|---|",
        *[f"| {key} | {value} |" for key, value in machine.items()],
        "",
        "| Page | URL | Status | Queries | Median ms | Min ms | Max ms | Slowest query ms | "
        "Target |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | `{r.url}` | {r.status} | {r.queries} | {r.median_ms:.1f} | "
            f"{min(r.times_ms):.1f} | {max(r.times_ms):.1f} | {r.slowest_ms:.1f} | "
            f"{'ok' if r.ok else '**over**'} |"
        )
    over = [r for r in results if r.plan]
    if over:
        lines += ["", "## Plans of the slowest query of each page over target", ""]
        for r in over:
            lines += [
                f"### {r.name}",
                "",
                "```sql",
                r.slowest_sql,
                "```",
                "",
                "```",
                r.plan,
                "```",
                "",
            ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--fresh", action="store_true", help="drop and rebuild the database")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL=postgres://postgres@127.0.0.1:5432/dsar_bench")
    pgdb.ensure_database(url, fresh=args.fresh, script="bench/requests_1m.py")
    _setup_django(url)
    user = _prepare()
    _fill(args.rows, user)
    machine = _machine()
    for key, value in machine.items():
        print(f"{key:16s} {value}")
    output = RESULTS
    print(f"Timing {args.repeat} GETs per page…")
    results = _measure(user, args.repeat)
    report = _report(machine, results, args.repeat)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(report, encoding="utf-8")
    print(f"Wrote {output.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
