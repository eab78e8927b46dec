"""Request creation through the API, next to Fides' ``POST /api/v1/privacy-request``.

    .venv/bin/python bench/api_throughput.py [--requests 600] [--rounds 2] [--concurrency 8 32]
        [--write]

1. A fresh database ``dsar_bench_api`` is migrated and given the five seed policies, and a write
   key of IMG (``create_api_key``). gunicorn serves dsar with 2 sync workers, as the other
   benches do, with persistent connections and the per-key rate limit counting but set out of
   reach (every call still pays its counter's upsert).
2. Fides 2.78.2 runs beside it on the same machine and PostgreSQL (``bench/fides/fides_server``):
   uvicorn with 2 workers, queued mode (the POST stores the request and queues a Celery message:
   the like-for-like counterpart of storing a request), log level WARNING, warmed up (each
   worker's identity index built), its own database ``fides_bench_api`` and Redis db 5.
3. For each concurrency, ``--rounds`` pairs of rounds, ours then Fides', so that the machine's
   other work hits both alike: ``--requests`` creations from that many client threads, each a
   new HTTP connection (as Fides' helper and the intake bench do), each timed. dsar: one access
   request of a French, Californian, British, Virginian or unknown resident (the deadline
   differs), sent as JSON with the Bearer key; Fides: one access request by email identity.
4. The CPU each side's server spent (user + system from ``/proc/<pid>/stat``): gunicorn's or
   uvicorn's workers, and the PostgreSQL backends serving them; and the stored rows counted
   after each round (every accepted request must be stored).
5. The figures go to stdout and, with ``--write``, to bench/results/api_throughput.md.

Targets (issue 17): at least 5 times Fides' rate, at most a fifth of its server CPU per
request, and a 99th percentile under 100 ms at 8 clients.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import host  # bench/host.py: this folder is on sys.path when a bench runs
import psycopg
from intake_throughput import _children, _cpu_seconds, start_server, stop_server

sys.path.insert(0, str(Path(__file__).resolve().parent / "fides"))
import fides_server as fs

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DATABASE = "dsar_bench_api"
FIDES_DB = "fides_bench_api"
FIDES_REDIS_DB = 5
HOST, PORT, FIDES_PORT = "127.0.0.1", 8793, 8183
RESIDENCES = ("FR", "US-CA", "GB", "US-VA", "OTHER")


def environment() -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"{SERVER}/{DATABASE}",
        # The project's settings with the bench-only floor view (bench/api_urls.py).
        "DJANGO_SETTINGS_MODULE": "api_settings",
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
        # Counted on every call (the upsert is paid), never reached.
        "DSAR_API_RATE_LIMIT": str(10**9),
    }


# -- dsar ------------------------------------------------------------------------------------------


def fresh_database() -> str:
    """Migrate a new database, load the seeds, and return a write key of IMG."""
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
    made = subprocess.run(
        [*manage, "create_api_key", "--organization=img", "--scope=write", "--name=bench"],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return made.stdout.strip()


def _backends(database: str) -> list[int]:
    with psycopg.connect(f"{SERVER}/{database}") as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (database,),
        ).fetchall()
    return [pid for (pid,) in rows]


def _count(database: str, sql: str) -> int:
    with psycopg.connect(f"{SERVER}/{database}") as conn:
        (count,) = conn.execute(sql).fetchone()
    return int(count)


def _analyze(database: str) -> None:
    with psycopg.connect(f"{SERVER}/{database}", autocommit=True) as conn:
        conn.execute("ANALYZE")


def _nothing() -> int:
    return 0


def dsar_rows() -> int:
    return _count(DATABASE, "SELECT count(*) FROM requests_privacyrequest WHERE channel_kind='api'")


def fides_rows() -> int:
    return _count(FIDES_DB, "SELECT count(*) FROM privacyrequest")


# -- The load --------------------------------------------------------------------------------------


def post(port: int, path: str, body: bytes, headers: dict[str, str], ok: int) -> tuple[bool, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read()
        accepted = response.status == ok
        if accepted and path == "/api/v1/privacy-request":
            # Fides answers 200 for a bulk post whose item failed: count only a success.
            doc = json.loads(content)
            accepted = len(doc.get("succeeded", [])) == 1 and not doc.get("failed")
    except OSError:
        accepted = False
    finally:
        conn.close()
    return accepted, time.perf_counter() - started


def dsar_call(key: str) -> Callable[[int], tuple[bool, float]]:
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {key}"}

    def one(n: int) -> tuple[bool, float]:
        body = {
            "right_kind": "access",
            "requester_name": f"Bench Requester {n}",
            "requester_email": f"bench{n}@example.org",
            "jurisdiction": RESIDENCES[n % len(RESIDENCES)],
            "message": "Please send me a copy of my data.",
        }
        return post(PORT, "/api/v1/requests/", json.dumps(body).encode(), headers, 201)

    return one


def floor_call(key: str) -> Callable[[int], tuple[bool, float]]:
    """The same body to the bench-only floor view (bench/api_urls.py): the stack's share."""
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {key}"}

    def one(n: int) -> tuple[bool, float]:
        body = {
            "right_kind": "access",
            "requester_name": f"Bench Requester {n}",
            "requester_email": f"bench{n}@example.org",
            "jurisdiction": RESIDENCES[n % len(RESIDENCES)],
            "message": "Please send me a copy of my data.",
        }
        return post(PORT, "/bench/api-floor/", json.dumps(body).encode(), headers, 201)

    return one


def fides_call(n: int) -> tuple[bool, float]:
    body = [{"identity": {"email": f"bench{n}@example.org"}, "policy_key": "default_access_policy"}]
    headers = {"Content-Type": "application/json"}
    return post(FIDES_PORT, "/api/v1/privacy-request", json.dumps(body).encode(), headers, 200)


@dataclass
class Round:
    side: str
    concurrency: int
    requests: int
    accepted: int
    seconds: float
    latencies: list[float]
    stored: int
    cpu: dict[str, float] = field(default_factory=dict)
    load: float = 0.0

    @property
    def rate(self) -> float:
        return self.accepted / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    def cpu_ms(self, who: str) -> float:
        return self.cpu.get(who, 0.0) * 1000 / max(self.accepted, 1)

    @property
    def server_cpu_ms(self) -> float:
        return self.cpu_ms("app") + self.cpu_ms("postgres")


def run_round(
    side: str,
    call: Callable[[int], tuple[bool, float]],
    offset: int,
    requests: int,
    concurrency: int,
    probes: dict[str, Callable[[], float]],
    count: Callable[[], int],
) -> Round:
    load = os.getloadavg()[0]
    before_rows = count()
    before = {who: read() for who, read in probes.items()}
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(call, range(offset, offset + requests)))
    seconds = time.perf_counter() - started
    cpu = {who: read() - before[who] for who, read in probes.items()}
    accepted = [latency for ok, latency in results if ok]
    return Round(
        side,
        concurrency,
        requests,
        len(accepted),
        seconds,
        accepted,
        count() - before_rows,
        cpu,
        load,
    )


def probes_for(app_pids: list[int], database: str) -> dict[str, Callable[[], float]]:
    backends = _backends(database)
    return {
        "app": lambda: _cpu_seconds(app_pids),
        "postgres": lambda: _cpu_seconds(backends),
        "client": time.process_time,
    }


# -- Report ----------------------------------------------------------------------------------------


def _median(rounds: list[Round], value: Callable[[Round], float]) -> float:
    return statistics.median(value(r) for r in rounds)


def report(args: argparse.Namespace, rounds: list[Round], machine: dict[str, str]) -> str:
    lines = [
        "# API request creation: dsar next to Fides",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `bench/api_throughput.py --requests "
        f"{args.requests} --rounds {args.rounds} --concurrency "
        f"{' '.join(map(str, args.concurrency))}"
        f"{f' --threads {args.threads}' if args.threads > 1 else ''}"
        f"{' --floor' if args.floor else ''}`.",
        "",
        "| Machine | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in machine.items()],
        "",
        "dsar: `POST /api/v1/requests/` (JSON, Bearer key, rate-limit counter on), gunicorn "
        f"{args.workers} "
        + (f"gthread workers x {args.threads} threads" if args.threads > 1 else "sync workers")
        + ", persistent database connections. Fides 2.78.2: `POST "
        "/api/v1/privacy-request` (one item), uvicorn 2 workers, queued mode (stored, a Celery "
        "message queued, no worker), log level WARNING, warmed up. Same PostgreSQL, same client "
        "(a thread per concurrent client, a new connection per request), rounds paired (dsar, "
        "Fides, dsar, Fides…). Server CPU: the app's workers plus the PostgreSQL backends serving "
        "them, user + system time from /proc, per accepted request (Fides' Redis, which it also "
        "needs, is not counted).",
        "",
        "| Round | Side | Clients | Accepted / sent | Stored | Requests/s | Median ms | p99 ms "
        "| Server CPU ms/request (app + PostgreSQL) | Client CPU ms | Load avg |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for n, r in enumerate(rounds, 1):
        lines.append(
            f"| {n} | {r.side} | {r.concurrency} | {r.accepted} / {r.requests} | {r.stored} "
            f"| {r.rate:.1f} | {r.percentile(50) * 1000:.1f} | {r.percentile(99) * 1000:.1f} "
            f"| {r.server_cpu_ms:.2f} ({r.cpu_ms('app'):.2f} + {r.cpu_ms('postgres'):.2f}) "
            f"| {r.cpu_ms('client'):.2f} | {r.load:.2f} |"
        )
    lines += [
        "",
        "| Clients | dsar requests/s | Fides requests/s | Ratio (target ≥ 5) | dsar server CPU ms "
        "| Fides server CPU ms | CPU share (target ≤ 0.20) | dsar p99 ms | Fides p99 ms |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    verdicts = []
    for concurrency in args.concurrency:
        ours = [r for r in rounds if r.side == "dsar" and r.concurrency == concurrency]
        theirs = [r for r in rounds if r.side == "fides" and r.concurrency == concurrency]
        rate_o, rate_f = _median(ours, lambda r: r.rate), _median(theirs, lambda r: r.rate)
        cpu_o = _median(ours, lambda r: r.server_cpu_ms)
        cpu_f = _median(theirs, lambda r: r.server_cpu_ms)
        p99_o = statistics.median(r.percentile(99) for r in ours) * 1000
        p99_f = statistics.median(r.percentile(99) for r in theirs) * 1000
        lines.append(
            f"| {concurrency} | {rate_o:.1f} | {rate_f:.1f} | **{rate_o / rate_f:.1f}x** "
            f"| {cpu_o:.2f} | {cpu_f:.2f} | **{cpu_o / cpu_f:.2f}** | {p99_o:.1f} | {p99_f:.1f} |"
        )
        verdicts.append(
            f"- {concurrency} clients: rate x{rate_o / rate_f:.1f} "
            f"({'met' if rate_o >= 5 * rate_f else 'NOT met'}), CPU share {cpu_o / cpu_f:.2f} "
            f"({'met' if cpu_o <= cpu_f / 5 else 'NOT met'})"
            + (
                f", p99 {p99_o:.1f} ms ({'met' if p99_o < 100 else 'NOT met'})"
                if concurrency == 8
                else ""
            )
        )
    stored_ok = all(r.stored == r.accepted for r in rounds if r.side != "floor")
    floors = [r for r in rounds if r.side == "floor"]
    if floors:
        lines += [
            "",
            "The floor (`--floor`): the same body, key and middleware to a bench-only view that "
            "parses it, writes one counter row and answers 201 (bench/api_urls.py): what any "
            "authenticated API write costs on this stack before dsar decides anything.",
            "",
            "| Clients | Floor requests/s | Floor server CPU ms (app + PostgreSQL) "
            "| Creation server CPU ms | Creation minus floor | A fifth of Fides' CPU ms |",
            "|---|---|---|---|---|---|",
        ]
        for concurrency in args.concurrency:
            ours = [r for r in rounds if r.side == "dsar" and r.concurrency == concurrency]
            theirs = [r for r in rounds if r.side == "fides" and r.concurrency == concurrency]
            base = [r for r in floors if r.concurrency == concurrency]
            cpu_b = _median(base, lambda r: r.server_cpu_ms)
            cpu_o = _median(ours, lambda r: r.server_cpu_ms)
            lines.append(
                f"| {concurrency} | {_median(base, lambda r: r.rate):.1f} | {cpu_b:.2f} "
                f"({_median(base, lambda r: r.cpu_ms('app')):.2f} + "
                f"{_median(base, lambda r: r.cpu_ms('postgres')):.2f}) | {cpu_o:.2f} "
                f"| {cpu_o - cpu_b:.2f} | {_median(theirs, lambda r: r.server_cpu_ms) / 5:.2f} |"
            )
    lines += [
        "",
        "Medians of the rounds. Targets:",
        *verdicts,
        f"- every accepted request stored: {'yes' if stored_ok else 'NO'} "
        f"(dsar rows with channel api: {sum(r.stored for r in rounds if r.side == 'dsar')}, "
        f"Fides rows: {sum(r.stored for r in rounds if r.side == 'fides')} in the timed rounds)",
    ]
    return "\n".join(lines) + "\n"


def machine_description() -> dict[str, str]:
    with psycopg.connect(f"{SERVER}/postgres") as conn:
        (pg,) = conn.execute("SHOW server_version").fetchone()
        (buffers,) = conn.execute("SHOW shared_buffers").fetchone()
    memory = host.memory_gib()
    return {
        "CPUs": str(os.cpu_count()),
        "CPU model": host.cpu_model(),
        "RAM": f"{memory:.1f} GiB" if memory else "?",
        "PostgreSQL": f"{pg} (shared_buffers {buffers})",
        "Python": platform.python_version(),
        "Load average at the start (1/5/15 min)": " / ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=600, help="creations per round")
    parser.add_argument("--rounds", type=int, default=2, help="pairs of rounds per concurrency")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--threads", type=int, default=1, help="gunicorn gthread threads per worker (1: sync)"
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also time the bench-only floor view: the stack's share of a call's CPU",
    )
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()

    machine = machine_description()
    print(f"fresh database {DATABASE} …", flush=True)
    key = fresh_database()
    fides_db = {"dbname": FIDES_DB}
    fides_redis = {"db_index": FIDES_REDIS_DB}
    fs.install()
    fs.reset(database_url_parts=fides_db, redis=fides_redis)
    print("starting Fides …", flush=True)
    fides = fs.start(
        port=FIDES_PORT,
        workers=args.workers,
        database_url_parts=fides_db,
        redis=fides_redis,
        eager=False,
        log_level="WARNING",
    )
    gunicorn = start_server(args.workers, args.threads, env=environment(), port=PORT)
    rounds: list[Round] = []
    try:
        token = fs.token(fides.base_url)
        fs.warm_up(fides.base_url, token, workers=args.workers)
        ours, floor = dsar_call(key), floor_call(key)
        with ThreadPoolExecutor(max_workers=8) as pool:  # warm-up: imports, caches, plans
            list(pool.map(ours, range(10**7, 10**7 + 100)))
            list(pool.map(fides_call, range(10**7, 10**7 + 50)))
            # What autovacuum does on a production server once a table has grown by 50 rows
            # (this machine's PostgreSQL runs with autovacuum off): statistics, and with them
            # new plans for the statements the connections prepared on empty tables. Without
            # it, dsar's duplicate check keeps the sequential scan it was planned with on an
            # empty table, and its cost grows with every request stored (3.7 ms a request at
            # 3,000 rows, bench/README.md). Both databases get it.
            _analyze(DATABASE)
            _analyze(FIDES_DB)
            list(pool.map(ours, range(10**7 + 100, 10**7 + 200)))
            list(pool.map(fides_call, range(10**7 + 50, 10**7 + 100)))
        dsar_probes = probes_for(_children(gunicorn.pid), DATABASE)
        fides_probes = probes_for(fs.worker_pids(fides), FIDES_DB)
        offset = 0
        for concurrency in args.concurrency:
            for _ in range(args.rounds):
                for side, call, probes, count in (
                    ("dsar", ours, dsar_probes, dsar_rows),
                    *((("floor", floor, dsar_probes, _nothing),) if args.floor else ()),
                    ("fides", fides_call, fides_probes, fides_rows),
                ):
                    offset += args.requests
                    r = run_round(side, call, offset, args.requests, concurrency, probes, count)
                    rounds.append(r)
                    print(
                        f"{side:5s} c={concurrency:2d}: {r.rate:7.1f}/s "
                        f"p50 {r.percentile(50) * 1000:6.1f} p99 {r.percentile(99) * 1000:6.1f} "
                        f"ms, server CPU {r.server_cpu_ms:.2f} ms, stored {r.stored}/{r.accepted}",
                        flush=True,
                    )
    finally:
        stop_server(gunicorn)
        fs.stop(fides)
    text = report(args, rounds, machine)
    print(text)
    if args.write:
        out = ROOT / "bench" / "results" / "api_throughput.md"
        out.write_text(text)
        print(f"wrote {out.relative_to(ROOT)}")
    stored = all(r.stored == r.accepted == r.requests for r in rounds if r.side != "floor")
    return 0 if stored else 1


if __name__ == "__main__":
    threading.stack_size(512 * 1024)
    sys.exit(main())
