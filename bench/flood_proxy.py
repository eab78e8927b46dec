"""The public form flooded through a reverse proxy, with a mail server that answers and with one
that hangs: the form's latency must not depend on the mail server (issue 18).

    .venv/bin/python bench/flood_proxy.py [--requests 2000] [--concurrency 32] [--workers 4]
        [--write]

1. A fresh database ``dsar_bench_flood`` is migrated and given the seed policies
   (``intake_throughput.fresh_database``).
2. gunicorn serves the app with the project's own settings, rate limits on, behind a small
   reverse proxy in this process that gives every connection a distinct client address in
   ``X-Forwarded-For`` (``DSAR_TRUSTED_PROXIES=1``): each submission counts against its own
   address, as behind nginx, and none is refused as a flood from one address.
3. ``manage.py qcluster`` runs beside it, as in production, and sends the outbox.
4. Twice, each time with a fresh server and cluster: once with a local SMTP server that answers
   at once, once with one that accepts connections and never says a word (``EMAIL_TIMEOUT`` 10
   s, the default). ``--concurrency`` client threads post ``--requests`` valid access requests
   (``intake_throughput.http_load``), timing each; every 302 must be a stored request with its
   confirmation email in the outbox.
5. The report: per mail server, the form's median and 99th-percentile latency, the rate, what
   was stored and what the outbox did meanwhile; the ratio of the hanging run's p99 to the
   answering run's; the machine. With ``--write`` it goes to bench/results/flood_proxy.md.

Target: every submission stored, and the p99 with the hanging server within the run-to-run
noise of the answering one (a ratio near 1; before the outbox it was EMAIL_TIMEOUT per post).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import os
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import host  # bench/host.py
import intake_throughput as bench  # the server starter and the load client, reused
import psycopg

ROOT = bench.ROOT
APP_PORT = int(os.environ.get("BENCH_APP_PORT", "8793"))
PROXY_PORT = int(os.environ.get("BENCH_PORT", "8794"))
SMTP_PORT = int(os.environ.get("BENCH_SMTP_PORT", "8795"))
bench.DATABASE = "dsar_bench_flood"  # its own database: the intake bench may run meanwhile
bench.PORT = PROXY_PORT  # the load client posts to the proxy


# -- The reverse proxy -----------------------------------------------------------------------------


class Proxy(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog of 5 resets connections when 32 clients knock at once.
    request_queue_size = 256
    addresses = itertools.count(1)


class ProxyHandler(BaseHTTPRequestHandler):
    """Forward one request to gunicorn, as nginx would, naming the client in X-Forwarded-For.
    Each connection is a client of its own: 10.x.y.z, counted up."""

    protocol_version = "HTTP/1.1"

    def _forward(self) -> None:
        n = next(Proxy.addresses)
        client = f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
        headers["X-Forwarded-For"] = client
        headers["Connection"] = "close"
        upstream = http.client.HTTPConnection(bench.HOST, APP_PORT, timeout=120)
        try:
            upstream.request(self.command, self.path, body=body, headers=headers)
            response = upstream.getresponse()
            data = response.read()
            self.send_response_only(response.status, response.reason)
            for key, value in response.getheaders():
                if key.lower() not in ("connection", "transfer-encoding", "content-length"):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)
        finally:
            upstream.close()
        self.close_connection = True

    do_GET = do_POST = do_HEAD = _forward

    def log_message(self, *args: object) -> None:
        pass


# -- The mail servers ------------------------------------------------------------------------------


class MailServer:
    """A local SMTP server: ``hang`` accepts each connection and never answers (a mail server
    that stopped responding); otherwise it speaks just enough SMTP to take every message."""

    def __init__(self, port: int, *, hang: bool) -> None:
        self.hang, self.received, self.connections = hang, 0, 0
        self.sock = socket.create_server((bench.HOST, port))
        self.held: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self.lock:
                self.connections += 1
            if self.hang:
                self.held.append(conn)  # kept open, never written to
            else:
                threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        reader = conn.makefile("rb")
        try:
            conn.sendall(b"220 bench ESMTP\r\n")
            while line := reader.readline():
                verb = line[:4].upper()
                if verb in (b"EHLO", b"HELO"):
                    conn.sendall(b"250-bench\r\n250 8BITMIME\r\n")
                elif verb == b"DATA":
                    conn.sendall(b"354 go on\r\n")
                    while reader.readline() not in (b".\r\n", b""):
                        pass
                    with self.lock:
                        self.received += 1
                    conn.sendall(b"250 queued\r\n")
                elif verb == b"QUIT":
                    conn.sendall(b"221 bye\r\n")
                    return
                else:
                    conn.sendall(b"250 ok\r\n")
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
        self.sock.close()
        for conn in self.held:
            conn.close()


# -- One run ---------------------------------------------------------------------------------------


def environment(smtp_port: int) -> dict[str, str]:
    env = bench.environment()
    env.update(
        DJANGO_SETTINGS_MODULE="dsar.settings",  # the project's settings: rate limits on
        DSAR_TRUSTED_PROXIES="1",
        EMAIL_URL=f"smtp://{bench.HOST}:{smtp_port}",
        EMAIL_TIMEOUT="10",
        Q_WORKERS="2",
        # A cold worker on a busy machine may take more than gunicorn's default 30 s to render
        # its first form (templates, policies): not what this bench measures.
        GUNICORN_CMD_ARGS="--timeout 120",
    )
    return env


def outbox_counts() -> dict[str, int]:
    with psycopg.connect(f"{bench.SERVER}/{bench.DATABASE}") as conn:
        rows = conn.execute("SELECT status, count(*) FROM outbox_email GROUP BY status").fetchall()
    return dict(rows)


def run(label: str, *, hang: bool, args: argparse.Namespace, offset: int) -> dict[str, object]:
    port = SMTP_PORT + hang  # its own port: no wait for the first run's to be released
    mail = MailServer(port, hang=hang)
    env = environment(port)
    server = bench.start_server(args.workers, 1, env=env, port=APP_PORT)
    cluster = subprocess.Popen(
        [str(bench.PYTHON), str(ROOT / "manage.py"), "qcluster"],
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(2 * args.workers):  # one at a time first: each worker warms up alone
            bench.Session()
        bench.http_load(args.warmup, args.concurrency, offset=offset + 900_000)
        load = os.getloadavg()[0]
        before = bench.stored_requests()
        outbox_before = sum(outbox_counts().values())
        result = bench.http_load(args.requests, args.concurrency, offset=offset)
        stored = bench.stored_requests() - before
        queued = sum(outbox_counts().values()) - outbox_before
        time.sleep(args.settle)  # what the cluster sent meanwhile, and a little after
        outbox = outbox_counts()
    finally:
        bench.stop_server(cluster)
        bench.stop_server(server)
        mail.close()
    ordered = sorted(result.latencies)
    figures: dict[str, object] = {
        "label": label,
        "posted": result.requests,
        "accepted": result.accepted,
        "statuses": result.statuses,
        "stored": stored,
        "emails_queued": queued,
        "p50": bench._percentile(ordered, 50) * 1000 if ordered else float("nan"),
        "p99": bench._percentile(ordered, 99) * 1000 if ordered else float("nan"),
        "max": ordered[-1] * 1000 if ordered else float("nan"),
        "rate": result.rate,
        "load": load,
        "outbox": outbox,
        "smtp_connections": mail.connections,
        "smtp_received": mail.received,
    }
    print(
        f"{label}: {result.accepted}/{result.requests} accepted {result.statuses}, "
        f"{stored} stored, "
        f"p50 {figures['p50']:.0f} ms, p99 {figures['p99']:.0f} ms, outbox {outbox}",
        flush=True,
    )
    return figures


def report(args: argparse.Namespace, runs: list[dict[str, object]]) -> str:
    normal, hanging = runs
    ratio = float(hanging["p99"]) / float(normal["p99"])  # type: ignore[arg-type]
    memory = host.memory_gib()
    lines = [
        "# The form flooded through a reverse proxy, with a hanging mail server",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `bench/flood_proxy.py --requests "
        f"{args.requests} --concurrency {args.concurrency} --workers {args.workers}`.",
        "",
        f"Machine: {os.cpu_count()} CPUs ({host.cpu_model()}), "
        + (f"{memory:.0f} GiB RAM, " if memory else "")
        + f"Python {sys.version.split()[0]}; PostgreSQL on 127.0.0.1; gunicorn {args.workers} sync "
        "workers behind a threaded Python reverse proxy that gives each connection its own "
        "client address (X-Forwarded-For, `DSAR_TRUSTED_PROXIES=1`); the project's settings, "
        "rate limits on; `manage.py qcluster` (2 workers) sending the outbox; the client's "
        f"{args.concurrency} threads on the same machine, one connection per post. The machine "
        "is shared with other work: read the load average with the figures.",
        "",
        "| Mail server | Posted | Accepted (302) | Stored | Emails queued | Form p50 | Form p99 "
        "| Max | Rate | Load (1 min) | Outbox after the run | SMTP connections / messages |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        lines.append(
            f"| {r['label']} | {r['posted']} | {r['accepted']} | {r['stored']} | "
            f"{r['emails_queued']} | {r['p50']:.0f} ms | {r['p99']:.0f} ms | {r['max']:.0f} ms | "
            f"{r['rate']:.0f}/s | {r['load']:.2f} | "
            + ", ".join(f"{k} {v}" for k, v in sorted(r["outbox"].items()))  # type: ignore[union-attr]
            + f" | {r['smtp_connections']} / {r['smtp_received']} |"
        )
    for r in runs:
        others = {k: v for k, v in r["statuses"].items() if k != 302}  # type: ignore[union-attr]
        if others:
            lines.append(
                f"\n{r['label']}: answers other than 302 (0 = no answer within 60 s): "
                + ", ".join(f"{k}: {v}" for k, v in sorted(others.items()))
            )
    all_stored = all(r["stored"] == r["accepted"] == r["posted"] for r in runs)
    lines += [
        "",
        f"**p99 with the hanging server / p99 with the answering one: {ratio:.2f}.** "
        f"Every submission stored: {'yes' if all_stored else 'NO'}.",
        "",
        "The hanging server accepts the connection and never sends its greeting, so each send "
        "waits `EMAIL_TIMEOUT` (10 s) on the cluster; before the outbox the form itself sent the "
        "confirmation after commit and each post waited those 10 s. Now the form writes the "
        "email with the request and queues one task; what the mail server does shows only in the "
        "outbox's columns (emails sent, or queued for their retry).",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--warmup", type=int, default=64)
    parser.add_argument(
        "--settle", type=float, default=5.0, help="seconds before reading the outbox"
    )
    parser.add_argument("--write", action="store_true", help="write bench/results/flood_proxy.md")
    args = parser.parse_args()

    print(f"fresh database {bench.DATABASE} …", flush=True)
    bench.fresh_database()
    proxy = Proxy((bench.HOST, PROXY_PORT), ProxyHandler)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        runs = [
            run("answering", hang=False, args=args, offset=0),
            run("hanging", hang=True, args=args, offset=10**6),
        ]
    finally:
        proxy.shutdown()
    text = report(args, runs)
    print(text)
    if args.write:
        out = ROOT / "bench" / "results" / "flood_proxy.md"
        out.write_text(text)
        print(f"wrote {out.relative_to(ROOT)}")
    return 0 if all(r["stored"] == r["accepted"] == r["posted"] for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
