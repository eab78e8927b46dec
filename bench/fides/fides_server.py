"""Run Ethyca Fides 2.78.2 beside dsar, for comparison benchmarks.

Standard library only, so any interpreter can import it (dsar's venv, a bare python3).
See README.md beside this file for the why of every setting.

    import fides_server as fs
    fs.install()                                  # idempotent, ~2.5 min the first time
    h = fs.start(port=8180, workers=2,
                 database_url_parts={"dbname": "fides_bench"},
                 redis={"db_index": 3})
    tok = fs.token(h.base_url)
    fs.warm_up(h.base_url, tok, workers=2)        # builds each worker's identity index
    fs.create_request(h.base_url, tok, "a@example.com")   # -> 200
    fs.list_requests(h.base_url, tok, size=50)    # -> (200, items, total)
    fs.count_requests("fides_bench")              # rows in privacyrequest
    fs.stop(h)
"""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

FIDES_VERSION = "2.78.2"
DEFAULT_VENV = "/work/fides-env"
DEFAULT_RUN_DIR = "/work/fides-env/run"
ROOT_CLIENT_ID = "fidesbench"
ROOT_CLIENT_SECRET = "fidesbench-root-secret"  # noqa: S105 - a local benchmark's own server
# Exactly 32 bytes (Fides refuses to start otherwise). Changing it makes the
# encrypted columns of an existing database unreadable: drop the database then.
APP_ENCRYPTION_KEY = "fidesbench-app-encryption-key-32"
assert len(APP_ENCRYPTION_KEY.encode()) == 32

DEFAULT_DB = {
    "host": "127.0.0.1",
    "port": 5432,
    "user": "postgres",
    "password": "postgres",  # trust auth: ignored, but Fides puts it in its URL
    "dbname": "fides_bench",
}
DEFAULT_REDIS = {
    "host": "127.0.0.1",
    "port": 6379,
    "db_index": 3,  # a logical db of its own: reset() flushes it
    "password": "",  # Fides defaults to "testpassword"; a no-password Redis rejects AUTH
    "ssl": False,
}

# Wraps Fides' lifespan so that each worker, once its start-up is over, drops a
# file named after its pid: start() waits for `workers` of them. Nothing is
# wrapped per request. (GET /health alone is not enough: a uvicorn worker does
# not accept connections before its start-up ends, so the first ready worker
# answers every health check while the other is still starting.)
_READY_APP = """\
import os
from contextlib import asynccontextmanager

from fides.api.main import app

_orig = app.router.lifespan_context


@asynccontextmanager
async def _lifespan(a):
    async with _orig(a) as state:
        d = os.environ["FIDES_BENCH_READY_DIR"]
        with open(os.path.join(d, str(os.getpid())), "w"):
            pass
        yield state


app.router.lifespan_context = _lifespan
"""

# Runs the start-up that a worker would (migrations, default policies, identity
# salt, ...) once, in one process: with --workers 2 on an empty database both
# workers migrate at once and one fails (pg_type unique violation, logged, not
# fatal), or both insert the identity salt and uvicorn exits.
_MIGRATE = """\
import asyncio
from fides.api.main import app
from fides.api.app_setup import run_database_startup
asyncio.run(run_database_startup(app))
# Also made lazily by each worker's start-up: on an empty database two workers
# insert it at once, one dies (identity_salt_single_row_unique) and uvicorn stops.
from fides.api.cryptography.identity_salt import get_identity_salt
get_identity_salt()
# The default local storage (where eager mode writes access packages) is created
# lazily by the first upload; two concurrent first uploads race and one request
# ends in "error" (StorageConfig key already exists). Create it here.
from fides.api.api.deps import get_api_session
from fides.api.models.storage import get_active_default_storage_config
db = get_api_session()
try:
    print("fides-bench: storage", get_active_default_storage_config(db).key)
finally:
    db.close()
print("fides-bench: database ready")
"""


class FidesRequestFailed(RuntimeError):
    """POST /privacy-request answered 200 but listed the item under "failed"."""


# --------------------------------------------------------------------------- install


def _python311():
    for name in ("python3.11", "python3"):
        exe = shutil.which(name)
        if not exe:
            continue
        out = subprocess.run(
            [exe, "-c", "import sys; print(sys.version_info[:2] == (3, 11))"],
            capture_output=True,
            text=True,
        )
        if out.stdout.strip() == "True":
            return exe
    raise RuntimeError(
        "no Python 3.11 found (ethyca-fides 2.78.2 needs >=3.10,<3.14; "
        "the benchmark pins 3.11 like dsar)"
    )


def installed_version(venv=DEFAULT_VENV):
    py = os.path.join(venv, "bin", "python")
    if not os.path.exists(py):
        return None
    out = subprocess.run(
        [py, "-c", "from importlib.metadata import version; print(version('ethyca-fides'))"],
        capture_output=True,
        text=True,
    )
    return out.stdout.strip() if out.returncode == 0 else None


def install(venv=DEFAULT_VENV, *, quiet=True):
    """Create `venv` and pip install ethyca-fides==2.78.2 into it, unless it is there.

    About 2.5 minutes on the 2-core machine (it builds sqlalchemy 1.4.27 and a few
    small packages from source). Returns the path of the venv's python.
    """
    py = os.path.join(venv, "bin", "python")
    if installed_version(venv) == FIDES_VERSION:
        return py
    if not os.path.exists(py):
        subprocess.run([_python311(), "-m", "venv", venv], check=True)
    cmd = [py, "-m", "pip", "install", f"ethyca-fides=={FIDES_VERSION}"]
    if quiet:
        cmd.insert(4, "-q")
    subprocess.run(cmd, check=True)
    if installed_version(venv) != FIDES_VERSION:
        raise RuntimeError(f"ethyca-fides {FIDES_VERSION} not importable from {venv}")
    return py


# --------------------------------------------------------------------------- environment


def _db(parts):
    d = dict(DEFAULT_DB)
    d.update(parts or {})
    return d


def _redis(parts):
    r = dict(DEFAULT_REDIS)
    r.update(parts or {})
    return r


def fides_env(
    database_url_parts=None,
    redis=None,
    *,
    eager=True,
    log_level="INFO",
    fuzzy_search=True,
    extra=None,
):
    """The FIDES__* variables (plus the current environment) for a Fides process."""
    db, rd = _db(database_url_parts), _redis(redis)
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIDES__")}
    env.update(
        {
            # A path that does not exist: Fides then uses defaults + env vars. Without
            # it Fides reads ./.fides/fides.toml relative to its working directory.
            "FIDES__CONFIG_PATH": "/nonexistent/fides-bench.toml",
            "FIDES__DATABASE__SERVER": db["host"],
            "FIDES__DATABASE__PORT": str(db["port"]),
            "FIDES__DATABASE__USER": db["user"],
            "FIDES__DATABASE__PASSWORD": db["password"],
            "FIDES__DATABASE__DB": db["dbname"],
            "FIDES__REDIS__HOST": rd["host"],
            "FIDES__REDIS__PORT": str(rd["port"]),
            "FIDES__REDIS__PASSWORD": rd["password"],
            "FIDES__REDIS__DB_INDEX": str(rd["db_index"]),
            "FIDES__REDIS__SSL": "true" if rd["ssl"] else "false",
            "FIDES__SECURITY__APP_ENCRYPTION_KEY": APP_ENCRYPTION_KEY,
            "FIDES__SECURITY__OAUTH_ROOT_CLIENT_ID": ROOT_CLIENT_ID,
            "FIDES__SECURITY__OAUTH_ROOT_CLIENT_SECRET": ROOT_CLIENT_SECRET,
            "FIDES__SECURITY__ENV": "prod",
            "FIDES__USER__ANALYTICS_OPT_OUT": "true",
            "FIDES__EXECUTION__SUBJECT_IDENTITY_VERIFICATION_REQUIRED": "false",
            "FIDES__EXECUTION__REQUIRE_MANUAL_REQUEST_APPROVAL": "false",
            "FIDES__EXECUTION__FUZZY_SEARCH_ENABLED": "true" if fuzzy_search else "false",
            # true (Fides' default, no Celery worker): the POST runs the whole DSR
            # inline. false: the POST stores the request and pushes a Celery message
            # to Redis; with no worker running, the request stays "in_processing".
            "FIDES__CELERY__TASK_ALWAYS_EAGER": "true" if eager else "false",
            "FIDES__LOGGING__LEVEL": log_level,
        }
    )
    env.update(extra or {})
    return env


def _psql(db, sql, dbname=None):
    env = dict(os.environ, PGPASSWORD=str(db["password"]))
    out = subprocess.run(
        [
            "psql",
            "-h",
            db["host"],
            "-p",
            str(db["port"]),
            "-U",
            db["user"],
            "-d",
            dbname or db["dbname"],
            "-XAtqc",
            sql,
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    if out.returncode != 0:
        raise RuntimeError(f"psql failed: {out.stderr.strip()}")
    return out.stdout.strip()


def _ensure_database(db):
    exists = _psql(
        db,
        f"SELECT 1 FROM pg_database WHERE datname = '{db['dbname']}'",  # noqa: S608 - our own name
        dbname="postgres",
    )
    if exists != "1":
        env = dict(os.environ, PGPASSWORD=str(db["password"]))
        subprocess.run(
            ["createdb", "-h", db["host"], "-p", str(db["port"]), "-U", db["user"], db["dbname"]],
            check=True,
            env=env,
        )


def reset(database_url_parts=None, redis=None, run_dir=DEFAULT_RUN_DIR):
    """Drop the Fides database, flush Fides' Redis db index and delete the access
    packages eager mode wrote under run_dir/fides_uploads (stop the server first)."""
    db, rd = _db(database_url_parts), _redis(redis)
    shutil.rmtree(os.path.join(run_dir, "fides_uploads"), ignore_errors=True)
    env = dict(os.environ, PGPASSWORD=str(db["password"]))
    subprocess.run(
        [
            "dropdb",
            "--if-exists",
            "-h",
            db["host"],
            "-p",
            str(db["port"]),
            "-U",
            db["user"],
            db["dbname"],
        ],
        check=True,
        env=env,
    )
    cmd = ["redis-cli", "-h", rd["host"], "-p", str(rd["port"]), "-n", str(rd["db_index"])]
    if rd["password"]:
        cmd += ["-a", rd["password"], "--no-auth-warning"]
    subprocess.run([*cmd, "FLUSHDB"], check=True, capture_output=True)


# --------------------------------------------------------------------------- server


def migrate(
    *,
    database_url_parts=None,
    redis=None,
    venv=DEFAULT_VENV,
    run_dir=DEFAULT_RUN_DIR,
    log_path=None,
    timeout=300,
    **env_kw,
):
    """Create the database if missing, migrate it and load Fides' defaults, in one process."""
    db = _db(database_url_parts)
    _ensure_database(db)
    _prepare_run_dir(run_dir)
    env = fides_env(database_url_parts, redis, **env_kw)
    log_path = log_path or os.path.join(run_dir, "migrate.log")
    with open(log_path, "w") as log:
        subprocess.run(
            [os.path.join(venv, "bin", "python"), "-c", _MIGRATE],
            cwd=run_dir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=timeout,
            check=True,
        )
    with open(log_path) as f:
        text = f.read()
    if "fides-bench: database ready" not in text or "Unable to configure database" in text:
        raise RuntimeError(f"Fides migration failed, see {log_path}")


def _prepare_run_dir(run_dir):
    # Fides reads SaaS connector templates from ./data/saas/config (not shipped
    # in the wheel): an empty directory avoids a start-up error that also skips
    # the rest of its start-up (TCF purpose overrides).
    os.makedirs(os.path.join(run_dir, "data", "saas", "config"), exist_ok=True)
    with open(os.path.join(run_dir, "fides_bench_ready_app.py"), "w") as f:
        f.write(_READY_APP)


def start(
    *,
    port=8180,
    workers=2,
    database_url_parts=None,
    redis=None,
    venv=DEFAULT_VENV,
    run_dir=DEFAULT_RUN_DIR,
    log_path=None,
    eager=True,
    log_level="INFO",
    fuzzy_search=True,
    extra_env=None,
    timeout=180,
    pre_migrate=True,
):
    """Start `uvicorn fides.api.main:app` on 127.0.0.1:`port` with `workers` workers.

    Returns the Popen of uvicorn (its own process group) with .base_url, .log_path,
    .port and .workers. Waits until every worker has finished its start-up and
    GET /health answers 200, or raises (after stopping it) on `timeout`.
    """
    db = _db(database_url_parts)
    env_kw = dict(eager=eager, log_level=log_level, fuzzy_search=fuzzy_search, extra=extra_env)
    _prepare_run_dir(run_dir)
    if pre_migrate:
        migrate(database_url_parts=db, redis=redis, venv=venv, run_dir=run_dir, **env_kw)
    env = fides_env(db, redis, **env_kw)
    if pre_migrate:
        env["FIDES__DATABASE__AUTOMIGRATE"] = "false"
    ready_dir = os.path.join(run_dir, f"ready-{port}")
    shutil.rmtree(ready_dir, ignore_errors=True)
    os.makedirs(ready_dir)
    env["FIDES_BENCH_READY_DIR"] = ready_dir
    log_path = log_path or os.path.join(run_dir, f"uvicorn-{port}.log")
    log = open(log_path, "w")  # noqa: SIM115 - handed to the server process, closed in stop()
    cmd = [
        os.path.join(venv, "bin", "uvicorn"),
        "fides_bench_ready_app:app",
        "--app-dir",
        run_dir,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
    ]
    proc = subprocess.Popen(
        cmd, cwd=run_dir, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    log.close()
    proc.base_url = f"http://127.0.0.1:{port}"
    proc.log_path = log_path
    proc.port = port
    proc.workers = workers
    proc.ready_dir = ready_dir
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"uvicorn exited with {proc.returncode}, see {log_path}")
        ready = len(os.listdir(ready_dir))
        if ready >= workers and _healthy(proc.base_url):
            break
        if time.monotonic() > deadline:
            stop(proc)
            raise RuntimeError(
                f"Fides not ready after {timeout}s ({ready}/{workers} workers), see {log_path}"
            )
        time.sleep(0.5)
    return proc


def worker_pids(handle):
    """The pids of uvicorn's worker processes (each wrote one in the ready directory),
    e.g. to read their CPU time from /proc/<pid>/stat."""
    return sorted(int(n) for n in os.listdir(handle.ready_dir))


def _healthy(base_url):
    try:
        with urllib.request.urlopen(base_url + "/health", timeout=10) as r:  # noqa: S310 - 127.0.0.1
            return r.status == 200
    except (urllib.error.URLError, OSError):
        return False


def stop(handle, timeout=30):
    """SIGTERM uvicorn (it stops its workers), then SIGKILL its process group if needed."""
    if handle.poll() is None:
        handle.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            handle.wait(timeout)
    # Workers left behind (the group is the one start() made for uvicorn).
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(handle.pid, signal.SIGKILL)
    if handle.poll() is None:
        handle.wait(10)
    return handle.returncode


# --------------------------------------------------------------------------- API


def _call(method, url, *, data=None, headers=None, timeout=60):
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:  # noqa: S310 - 127.0.0.1
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def token(base_url, client_id=ROOT_CLIENT_ID, client_secret=ROOT_CLIENT_SECRET):
    """An access token of the root OAuth client (valid 8 days by default)."""
    body = urllib.parse.urlencode(
        {"client_id": client_id, "client_secret": client_secret, "grant_type": "client_credentials"}
    ).encode()
    status, raw = _call(
        "POST",
        base_url + "/api/v1/oauth/token",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    if status != 200:
        raise RuntimeError(f"token: HTTP {status}: {raw[:300]!r}")
    return json.loads(raw)["access_token"]


def create_request(
    base_url, token=None, email="a@example.com", *, policy_key="default_access_policy", timeout=60
):
    """POST /api/v1/privacy-request with one request; returns the HTTP status.

    The endpoint needs no token (it is the public intake); a token is sent when
    given. Fides answers 200 even when the item failed (it lists it under
    "failed"): that raises FidesRequestFailed.
    """
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = json.dumps([{"identity": {"email": email}, "policy_key": policy_key}]).encode()
    status, raw = _call(
        "POST", base_url + "/api/v1/privacy-request", data=body, headers=headers, timeout=timeout
    )
    if status == 200:
        doc = json.loads(raw)
        if doc.get("failed") or len(doc.get("succeeded", [])) != 1:
            raise FidesRequestFailed(json.dumps(doc.get("failed"))[:500])
    return status


def list_requests(base_url, token, size=50, page=1, *, include_identities=False):
    """GET /api/v1/privacy-request?size=…; returns (status, number of items, total).

    This GET is deprecated in Fides (POST /api/v1/privacy-request/search replaces it)
    but still served. include_identities=True decrypts and returns each email.
    """
    q = {"size": size, "page": page}
    if include_identities:
        q["include_identities"] = "true"
    status, raw = _call(
        "GET",
        base_url + "/api/v1/privacy-request?" + urllib.parse.urlencode(q),
        headers={"Authorization": f"Bearer {token}"},
    )
    if status != 200:
        return status, 0, None
    doc = json.loads(raw)
    return status, len(doc["items"]), doc.get("total")


def warm_up(base_url, token=None, workers=2, *, per_worker=8, prefix="warmup"):
    """Create workers*per_worker requests concurrently (workers*2 threads).

    Each Fides worker builds its in-memory identity index (an Aho-Corasick
    automaton of every stored request's decrypted identities: one query per
    stored request) on its first creation after a start, and again whenever
    the Redis key DECRYPTED_IDENTITY_AUTOMATON__CACHE_SIGNAL has expired (3 h) or
    was flushed. The kernel spreads connections over the workers, so several
    concurrent requests reach both. The warm-up rows count in count_requests().
    """
    n = workers * per_worker
    emails = [f"{prefix}-{time.time_ns()}-{i}@example.com" for i in range(n)]
    run_concurrently(lambda e: create_request(base_url, token, e), emails, threads=workers * 2)
    for _ in range(workers * 2):
        if token:
            list_requests(base_url, token, size=50)
    return n


def run_concurrently(fn, items, threads=8):
    """Call fn(item) for every item on `threads` threads; returns (results, errors, seconds)."""
    items = list(items)
    results, errors = [None] * len(items), []
    lock = threading.Lock()
    nxt = [0]

    def worker():
        while True:
            with lock:
                i = nxt[0]
                nxt[0] += 1
            if i >= len(items):
                return
            try:
                results[i] = fn(items[i])
            except Exception as exc:
                with lock:
                    errors.append((items[i], repr(exc)))

    t0 = time.perf_counter()
    ts = [threading.Thread(target=worker) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return results, errors, time.perf_counter() - t0


def count_requests(dbname="fides_bench", *, status=None, database_url_parts=None):
    """Rows in Fides' privacyrequest table (optionally of one status), via psql."""
    db = _db(dict(database_url_parts or {}, dbname=dbname))
    sql = "SELECT count(*) FROM privacyrequest"
    if status:
        sql += f" WHERE status = '{status}'"
    return int(_psql(db, sql))


if __name__ == "__main__":  # smoke test: python3 fides_server.py
    install()
    h = start(port=int(os.environ.get("FIDES_PORT", "8180")), workers=2)
    try:
        t = token(h.base_url)
        print("create:", create_request(h.base_url, t, "smoke@example.com"))
        print("list:", list_requests(h.base_url, t))
        print("rows:", count_requests())
    finally:
        stop(h)
    sys.exit(0)
