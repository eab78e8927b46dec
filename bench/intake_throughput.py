"""How many public-form submissions per second the app takes, against gunicorn and PostgreSQL.

    .venv/bin/python bench/intake_throughput.py [--requests 2000] [--rounds 3] [--concurrency 16]
        [--workers 4] [--write]

1. A fresh database ``dsar_bench_intake`` is created, migrated and given the five seed policies.
2. gunicorn serves the app on 127.0.0.1 with the form's rate limits off (``bench/intake_settings``)
   and emails rendered but not sent (``EMAIL_URL=dummymail://``).
3. Each of ``--rounds`` rounds: a thread pool on the same machine GETs the form once per thread
   (for the CSRF cookie and token), then POSTs ``--requests`` valid submissions to IMG's form,
   timing each one; every submission answered 302 must be a stored request (the rows are
   counted). Then plain psycopg inserts the rows that round stored (the request, its three
   events, the submission and the reference counter update; one transaction per submission, as
   the app commits them) into copies of the tables, with their indexes, checks and foreign keys,
   over one connection. Pairing the two in a round keeps them under the same conditions: the
   psycopg rate follows the disk's flush latency, which drifts.
4. For reference, the same posts then go to ``/bench/floor/`` (``bench/intake_urls.py``), a view
   that only answers the redirect: the same client, gunicorn, middleware and CSRF check, no
   database. Its rate is the most any form post can reach on this stack and this machine. For
   every load, the CPU time gunicorn's workers, their PostgreSQL backends and the client spent per
   post (``/proc/<pid>/stat``) is reported, and for psycopg its threads' and backends': on this
   many CPUs, it bounds the rate.
5. Every round's rows go through psycopg again over ``--concurrency`` connections.
6. The figures go to stdout and, with ``--write``, to bench/results/intake_throughput.md.

Target: at least half the rate of the single-connection psycopg run (the median of the rounds'
shares), with no submission lost.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import host  # bench/host.py: this folder is on sys.path when a bench runs
import psycopg
from psycopg.types.json import Jsonb

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DATABASE = "dsar_bench_intake"
HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8791"))
SLUG = "img"
TABLES = [
    "requests_referencecounter",
    "requests_privacyrequest",
    "requests_requestevent",
    "intake_intakesubmission",
]


def environment() -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"{SERVER}/{DATABASE}",
        "DJANGO_SETTINGS_MODULE": "intake_settings",
        "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT}",
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-not-for-any-deployment-0123456789",
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "STATIC_MANIFEST": "false",
        "WHITENOISE_USE_FINDERS": "true",
        "EMAIL_URL": "dummymail://",
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "600",
    }


# -- Setup -----------------------------------------------------------------------------------------


def fresh_database() -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')
    env = environment()
    manage = [str(PYTHON), str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True, cwd=ROOT)
    seeds = sorted((ROOT / "dsar" / "policies" / "seeds").glob("*.yaml"))
    subprocess.run(
        [*manage, "load_policy", *map(str, seeds)],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


def start_server(
    workers: int, threads: int, *, env: dict[str, str] | None = None, port: int = PORT
) -> subprocess.Popen[bytes]:
    """gunicorn on ``port`` with ``env`` (this bench's by default), once it answers /healthz;
    bench/api_throughput.py starts its own server here too."""
    command = [
        str(GUNICORN),
        "dsar.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
        "--log-level",
        "warning",
    ]
    if threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(threads)]
    server = subprocess.Popen(command, env=env or environment(), cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


# -- The HTTP load ---------------------------------------------------------------------------------


class Session:
    """One client thread's CSRF cookie and token."""

    def __init__(self) -> None:
        conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
        conn.request("GET", f"/o/{SLUG}/request/")
        response = conn.getresponse()
        html = response.read().decode()
        cookie = response.getheader("Set-Cookie") or ""
        self.cookie = re.search(r"csrftoken=([^;]+)", cookie).group(1)
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        conn.close()

    def post(self, n: int, path: str = f"/o/{SLUG}/request/") -> tuple[int, float]:
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": self.token,
                "right": "access",
                "name": f"Bench Requester {n}",
                "email": f"bench{n}@example.org",
                "residence": ("FR", "US-CA", "GB", "US-VA", "OTHER")[n % 5],
                "acting_for": "self",
                "message": "Please send me a copy of my data.",
                "website": "",
            }
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={self.cookie}",
        }
        started = time.perf_counter()
        conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
        try:
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except OSError:
            status = 0
        finally:
            conn.close()
        return status, time.perf_counter() - started


@dataclass
class HttpResult:
    requests: int
    accepted: int
    statuses: dict[int, int]
    seconds: float
    latencies: list[float]
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds used during the load

    def cpu_ms(self, who: str) -> float:
        """CPU milliseconds ``who`` spent per request answered (whatever the answer)."""
        return self.cpu[who] * 1000 / self.requests

    @property
    def rate(self) -> float:
        return self.accepted / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far (Linux /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def _backends() -> list[int]:
    """The PostgreSQL backends serving the app (gunicorn keeps its connections open)."""
    with psycopg.connect(f"{SERVER}/{DATABASE}") as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (DATABASE,),
        ).fetchall()
    return [pid for (pid,) in rows]


def cpu_probes(server: subprocess.Popen[bytes]) -> dict[str, Callable[[], float]]:
    """What to read the CPU time of: gunicorn's workers, their database backends, this client."""
    workers, backends = _children(server.pid), _backends()
    return {
        "gunicorn": lambda: _cpu_seconds(workers),
        "postgres": lambda: _cpu_seconds(backends),
        "client": lambda: time.process_time(),
    }


def http_load(
    requests: int,
    concurrency: int,
    *,
    offset: int = 0,
    path: str = f"/o/{SLUG}/request/",
    probes: dict[str, Callable[[], float]] | None = None,
) -> HttpResult:
    local = threading.local()
    probes = probes or {}

    def one(n: int) -> tuple[int, float]:
        if not hasattr(local, "session"):
            local.session = Session()
        return local.session.post(n, path)

    # Sessions are made before the clock starts: each thread's first task only makes its own.
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(lambda _: setattr(local, "session", Session()), range(concurrency)))
        cpu_before = {who: read() for who, read in probes.items()}
        started = time.perf_counter()
        results = list(pool.map(one, range(offset, offset + requests)))
        seconds = time.perf_counter() - started
        cpu = {who: read() - cpu_before[who] for who, read in probes.items()}
    statuses: dict[int, int] = {}
    for status, _latency in results:
        statuses[status] = statuses.get(status, 0) + 1
    return HttpResult(
        requests=requests,
        accepted=statuses.get(302, 0),
        statuses=statuses,
        seconds=seconds,
        latencies=[latency for status, latency in results if status == 302],
        cpu=cpu,
    )


def stored_requests() -> int:
    with psycopg.connect(f"{SERVER}/{DATABASE}") as conn:
        (count,) = conn.execute(
            "SELECT count(*) FROM requests_privacyrequest r "
            "JOIN intake_intakesubmission s ON s.request_id = r.id "
            "WHERE r.channel_kind = 'web_form'"
        ).fetchone()
    return int(count)


# -- The same rows through plain psycopg -----------------------------------------------------------


def _rows(
    conn: psycopg.Connection[Any], table: str, key: str, since: int
) -> tuple[list[str], list[tuple[Any, ...]]]:
    cursor = conn.execute(
        f"SELECT * FROM public.{table} WHERE {key} > %s ORDER BY id",  # noqa: S608 - our tables
        (since,),
    )
    columns = [c.name for c in cursor.description]
    return columns, cursor.fetchall()


def _adapt(value: Any) -> Any:
    return Jsonb(value) if isinstance(value, (dict, list)) else value


@dataclass
class Unit:
    """The rows one web-form submission writes."""

    organization_id: int
    year: int
    request: list[Any]
    events: list[list[Any]]
    submission: list[Any]


def load_units(
    conn: psycopg.Connection[Any], since: int = 0
) -> tuple[dict[str, list[str]], list[Unit]]:
    """The rows of each submission stored after request ``since`` (an id)."""
    columns: dict[str, list[str]] = {}
    columns["request"], requests = _rows(conn, "requests_privacyrequest", "id", since)
    columns["event"], events = _rows(conn, "requests_requestevent", "request_id", since)
    columns["submission"], submissions = _rows(conn, "intake_intakesubmission", "request_id", since)
    by_request_events: dict[int, list[list[Any]]] = {}
    e_request = columns["event"].index("request_id")
    for row in events:
        by_request_events.setdefault(row[e_request], []).append(list(row))
    s_request = columns["submission"].index("request_id")
    by_request_submission = {row[s_request]: list(row) for row in submissions}
    r_id, r_org = columns["request"].index("id"), columns["request"].index("organization_id")
    r_received = columns["request"].index("received_on")
    units = [
        Unit(
            row[r_org],
            row[r_received].year,
            list(row),
            by_request_events[row[r_id]],
            by_request_submission[row[r_id]],
        )
        for row in requests
        if row[r_id] in by_request_submission
    ]
    return columns, units


def _insert(table: str, columns: list[str]) -> str:
    names = ", ".join(f'"{c}"' for c in columns if c != "id")
    marks = ", ".join(["%s"] * (len(columns) - 1))
    return f"INSERT INTO raw.{table} ({names}) VALUES ({marks}) RETURNING id"  # noqa: S608


def raw_tables() -> None:
    with psycopg.connect(f"{SERVER}/{DATABASE}", autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS raw CASCADE")
        conn.execute("CREATE SCHEMA raw")
        for table in TABLES:
            conn.execute(f"CREATE TABLE raw.{table} (LIKE public.{table} INCLUDING ALL)")
        # The foreign keys too, as the app's tables have them (deferred, checked at commit): to
        # the copies among themselves, to the app's organizations, policies and users otherwise.
        for table in TABLES:
            keys = conn.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f'",
                (f"public.{table}",),
            ).fetchall()
            for name, definition in keys:
                for copied in TABLES:
                    definition = definition.replace(
                        f"REFERENCES {copied}(", f"REFERENCES raw.{copied}("
                    )
                conn.execute(f'ALTER TABLE raw.{table} ADD CONSTRAINT "{name}" {definition}')
        conn.execute(
            "INSERT INTO raw.requests_referencecounter (organization_id, year, last) "
            "SELECT organization_id, year, 0 FROM public.requests_referencecounter"
        )


@dataclass
class RawResult:
    units: int
    seconds: float
    client_cpu: float  # seconds, the inserting threads
    postgres_cpu: float  # seconds, their backends

    @property
    def rate(self) -> float:
        return self.units / self.seconds

    def cpu_line(self) -> str:
        per = [self.client_cpu * 1000 / self.units, self.postgres_cpu * 1000 / self.units]
        return f"{per[0]:.2f} / {per[1]:.2f} ms"


def raw_insert(columns: dict[str, list[str]], units: list[Unit], connections: int) -> RawResult:
    """Insert every unit, one transaction each, over ``connections`` connections."""
    request_sql = _insert("requests_privacyrequest", columns["request"])
    event_sql = _insert("requests_requestevent", columns["event"])
    submission_sql = _insert("intake_intakesubmission", columns["submission"])
    event_request = columns["event"].index("request_id") - 1
    submission_request = columns["submission"].index("request_id") - 1
    counter_sql = (
        "UPDATE raw.requests_referencecounter SET last = last + 1 "
        "WHERE organization_id = %s AND year = %s RETURNING last"
    )

    def work(chunk: list[Unit]) -> tuple[float, float]:
        """Insert ``chunk``; the CPU seconds this thread and its backend spent on it."""
        with psycopg.connect(f"{SERVER}/{DATABASE}") as conn:
            backend = [conn.info.backend_pid]
            client, postgres = time.thread_time(), _cpu_seconds(backend)
            for unit in chunk:
                with conn.transaction():
                    conn.execute(counter_sql, (unit.organization_id, unit.year))
                    (request_id,) = conn.execute(
                        request_sql, [_adapt(v) for v in unit.request[1:]]
                    ).fetchone()
                    for event in unit.events:
                        values = [_adapt(v) for v in event[1:]]
                        values[event_request] = request_id
                        conn.execute(event_sql, values)
                    values = [_adapt(v) for v in unit.submission[1:]]
                    values[submission_request] = request_id
                    conn.execute(submission_sql, values)
            return time.thread_time() - client, _cpu_seconds(backend) - postgres

    raw_tables()
    chunks = [units[i::connections] for i in range(connections)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=connections) as pool:
        spent = list(pool.map(work, chunks))
    seconds = time.perf_counter() - started
    with psycopg.connect(f"{SERVER}/{DATABASE}") as conn:
        (count,) = conn.execute("SELECT count(*) FROM raw.requests_privacyrequest").fetchone()
    assert count == len(units), (count, len(units))
    return RawResult(len(units), seconds, sum(c for c, _ in spent), sum(p for _, p in spent))


# -- Report ----------------------------------------------------------------------------------------


def cpu_line(result: HttpResult) -> str:
    if not result.cpu:
        return "not measured"
    parts = [f"{result.cpu_ms(who):.2f}" for who in ("gunicorn", "postgres", "client")]
    return " / ".join(parts) + " ms"


@dataclass
class Round:
    """One round: the form's load, then the same rows through plain psycopg, one connection."""

    http: HttpResult
    stored: int
    raw: RawResult

    @property
    def share(self) -> float:
        return self.http.rate / self.raw.rate


def report(
    args: argparse.Namespace,
    rounds: list[Round],
    floor: HttpResult,
    rawn: RawResult,
    load: list[float],
) -> str:
    middle = sorted(rounds, key=lambda r: r.share)[len(rounds) // 2]
    share = middle.share
    form_rate = statistics.median(r.http.rate for r in rounds)
    raw_rate = statistics.median(r.raw.rate for r in rounds)
    latencies = sorted(x for r in rounds for x in r.http.latencies)
    posted = sum(r.http.requests for r in rounds)
    accepted = sum(r.http.accepted for r in rounds)
    stored = sum(r.stored for r in rounds)
    statuses: dict[int, int] = {}
    for r in rounds:
        for status, count in r.http.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    others = ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()) if k != 302)
    cpus = os.cpu_count() or 1
    with psycopg.connect(f"{SERVER}/postgres") as conn:
        (pg_version,) = conn.execute("SHOW server_version").fetchone()
        (sync_commit,) = conn.execute("SHOW synchronous_commit").fetchone()
    cpu = host.cpu_model()
    lines = [
        "# Intake throughput",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `bench/intake_throughput.py "
        f"--requests {args.requests} --rounds {args.rounds} --concurrency {args.concurrency} "
        f"--workers {args.workers}"
        f"{f' --threads {args.threads}' if args.threads > 1 else ''}`.",
        "",
        f"Machine: {cpus} CPUs ({cpu}), PostgreSQL {pg_version} on 127.0.0.1 "
        f"(synchronous_commit={sync_commit}); gunicorn {args.workers} "
        f"{'gthread' if args.threads > 1 else 'sync'} workers"
        f"{f' x {args.threads} threads' if args.threads > 1 else ''}; the client's "
        f"{args.concurrency} threads on the same machine. Rate limits off, emails rendered "
        "but not sent (dummy backend), persistent database connections (CONN_MAX_AGE=600).",
        "",
        "Load average (1 min) before each round: "
        + ", ".join(f"{value:.2f}" for value in load)
        + " (other work on the machine slows both sides, not equally).",
        "",
        "Each round posts the form's submissions, then inserts the rows they stored again with "
        "plain psycopg over one connection; the target compares the two rates of a round, and "
        "the table gives the round with the median share.",
        "",
        "| Round | Form submissions/s | CPU per submission: gunicorn / PostgreSQL / client "
        "| psycopg submissions/s (1 connection) | CPU per submission: client / PostgreSQL "
        "| Share |",
        "|---|---|---|---|---|---|",
        *(
            f"| {n} | {r.http.rate:.1f} | {cpu_line(r.http)} | {r.raw.rate:.1f} "
            f"| {r.raw.cpu_line()} | {r.share:.0%} |"
            for n, r in enumerate(rounds, 1)
        ),
        "",
        "| Measure | Value |",
        "|---|---|",
        f"| Submissions posted | {posted} |",
        f"| Accepted (302) | {accepted} |",
        f"| Other answers | {others or 'none'} |",
        f"| Stored requests counted afterwards | {stored} |",
        f"| **Form submissions per second (median round)** | **{form_rate:.1f}** |",
        f"| Latency median (all rounds) | {_percentile(latencies, 50) * 1000:.1f} ms |",
        f"| Latency 99th percentile (all rounds) | {_percentile(latencies, 99) * 1000:.1f} ms |",
        f"| Plain psycopg, same rows, 1 connection (median round) | {raw_rate:.1f} submissions/s |",
        f"| Plain psycopg, all rounds' rows, {args.concurrency} connections "
        f"| {rawn.rate:.1f} submissions/s, CPU {rawn.cpu_line()} |",
        f"| Reference: the same posts to a view that only redirects (no database) "
        f"| {floor.rate:.1f} posts/s, median {floor.percentile(50) * 1000:.1f} ms |",
        f"| Reference's CPU per post: gunicorn worker / PostgreSQL / load client "
        f"| {cpu_line(floor)} |",
        f"| Target: half the psycopg rate of the round | {middle.raw.rate / 2:.1f} submissions/s "
        f"(all of gunicorn, PostgreSQL and the client within {cpus * 2000 / middle.raw.rate:.1f} "
        f"ms of CPU per submission on {cpus} CPUs) |",
        f"| Target met (median round) | {'yes' if share >= 0.5 else 'no'} ({share:.0%}) |",
        f"| Every accepted submission stored | {'yes' if stored == accepted else 'NO'} |",
        "",
        '"The same rows": for each stored submission, the reference counter update, the request '
        "row, its three events and the submission row, read back from the app's tables and "
        "inserted again with psycopg into copies of them (`CREATE TABLE … (LIKE … INCLUDING ALL)` "
        "and the same foreign keys: the indexes, checks and references the app's rows pay for), "
        "one transaction per submission. "
        "The one-connection run waits for each commit's flush to disk in turn, so its rate "
        "follows the disk's latency more than its CPU: it varied from about 500 to 950 "
        "submissions/s between runs on this machine on 2026-12-02.",
        "",
        "The reference line is the floor of this stack: the same client threads post the same "
        "body, through the same gunicorn workers, middleware and CSRF check, to "
        "`bench/intake_urls.py`'s view, which answers the redirect and touches no database. "
        "No form on this stack can go faster than that.",
        "",
        "CPU per submission: user + system time (Linux `/proc/<pid>/stat`) that gunicorn's "
        "workers, the PostgreSQL backends serving them and this load client (all its threads) "
        "used during the timed load, divided by the posts; for psycopg, the inserting threads "
        "and their backends. Unlike the rates, it hardly depends on other work on the machine: "
        f"with {cpus} CPUs, the sum bounds the rate (CPUs * 1000 ms / sum).",
    ]
    return "\n".join(lines) + "\n"


def _percentile(ordered: list[float], p: float) -> float:
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _last_request_id() -> int:
    with psycopg.connect(f"{SERVER}/{DATABASE}") as conn:
        (last,) = conn.execute(
            "SELECT coalesce(max(id), 0) FROM requests_privacyrequest"
        ).fetchone()
    return int(last)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=2000, help="posts per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument(
        "--write", action="store_true", help="write bench/results/intake_throughput.md"
    )
    args = parser.parse_args()

    print(f"fresh database {DATABASE} …", flush=True)
    fresh_database()
    server = start_server(args.workers, args.threads)
    load: list[float] = []
    rounds: list[Round] = []
    columns: dict[str, list[str]] = {}
    every: list[Unit] = []
    try:
        http_load(args.warmup, args.concurrency, offset=10**7)
        probes = cpu_probes(server)
        for n in range(args.rounds):
            load.append(os.getloadavg()[0])
            since = _last_request_id()
            before = stored_requests()
            result = http_load(args.requests, args.concurrency, offset=n * 10**6, probes=probes)
            stored = stored_requests() - before
            with psycopg.connect(f"{SERVER}/{DATABASE}") as conn:
                columns, units = load_units(conn, since)
            every += units
            rounds.append(Round(result, stored, raw_insert(columns, units, 1)))
            print(f"round {n + 1}: {result.rate:.1f}/s, psycopg {rounds[-1].raw.rate:.1f}/s")
        floor = http_load(
            args.requests, args.concurrency, offset=9 * 10**6, path="/bench/floor/", probes=probes
        )
    finally:
        stop_server(server)
    rawn = raw_insert(columns, every, args.concurrency)
    text = report(args, rounds, floor, rawn, load)
    print(text)
    if args.write:
        out = ROOT / "bench" / "results" / "intake_throughput.md"
        out.parent.mkdir(exist_ok=True)
        out.write_text(text)
        print(f"wrote {out.relative_to(ROOT)}")
    ok = all(r.stored == r.http.accepted == args.requests for r in rounds)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
