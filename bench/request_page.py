"""The staff request page with 20 tasks and 200 messages, and "my tasks" with many tasks.

    .venv/bin/python bench/request_page.py [--loads 50] [--other-requests 49] [--write]

1. A fresh database ``dsar_bench_page`` (``DATABASE_URL`` to change it; dropped and rebuilt every
   run) is migrated and given the five seed policies (``requests_1m``'s ``_prepare``: the
   privacy officer ``bench`` of IMG, not a superuser, so the page runs its tenancy checks).
2. IMG gets 20 systems owned by ``bench`` and a reply mailbox. One erasure request is logged and
   verified through the services (``request_log``, ``request_verify_identity``), which gives it
   its 20 tasks; 8 are then completed and 4 started. 200 messages go on it through the
   correspondence services: 100 staff messages (``message_send``, each also an outbox email) and
   100 answers from the requester as raw emails (``receive``), one in four with a PDF or PNG
   attachment. ``--other-requests`` more verified requests give ``bench`` 20 pending tasks each,
   for *My tasks* (1,000 with the default 49).
3. gunicorn serves the app (2 sync workers, DEBUG off, persistent connections) as the other
   benches do; ``bench`` signs in through the real staff login form (django-axes counts the
   attempt; DSAR_REQUIRE_2FA is off, its default) and each page is fetched over HTTP on
   127.0.0.1: 3 warm-up loads, then ``--loads`` timed loads, one after the other, reporting
   the median, p95 and p99 (wall time at the client, so server time plus a loopback round trip).
   The number of queries of each page is counted in this process with the Django test client
   (same code, same database) under ``CaptureQueriesContext``.
4. The table, with the machine and the load average, goes to stdout and, with ``--write``, to
   bench/results/request_page.md.

Targets: the staff page targets of ``requests_1m.py``: a median under 300 ms and fewer than 15
queries; p95 is reported against the same 300 ms.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

import pgdb  # bench/: on sys.path when a bench runs
import requests_1m as filled
from intake_throughput import HOST, _children, _cpu_seconds, start_server, stop_server

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "request_page.md"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dsar_bench_page"
PORT = 8794
SYSTEMS, MESSAGES = 20, 200
TARGET_MS, TARGET_QUERIES = 300, 15
PASSWORD = "bench-only-password-0123456789"  # noqa: S105 - a throwaway database's user
MAILBOX = "privacy-replies@img.example"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _environment(url: str, storage: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "dsar.settings",
        "PYTHONPATH": f"{ROOT}",
        "DEBUG": "false",
        "SECRET_KEY": os.environ["SECRET_KEY"],
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "STATIC_MANIFEST": "false",
        "WHITENOISE_USE_FINDERS": "true",
        "EMAIL_URL": "dummymail://",
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "600",
        "PRIVATE_STORAGE_ROOT": storage,
        "DSAR_REPLY_ADDRESS": MAILBOX,
    }


# -- The data --------------------------------------------------------------------------------------


def _email(sender: str, to: str, subject: str, body: str, n: int) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="mail.example.com")
    message.set_content(body)
    if n % 4 == 0:
        content, kind, name = (PDF, "pdf", "id.pdf") if n % 8 == 0 else (PNG, "png", "scan.png")
        maintype = "application" if kind == "pdf" else "image"
        message.add_attachment(content, maintype=maintype, subtype=kind, filename=name)
    return message.as_bytes()


def build(user: Any, other_requests: int) -> Any:
    """The request under test (20 tasks, 200 messages) and ``bench``'s other tasks; the
    request."""
    from django.contrib.auth.models import User

    from dsar.correspondence import addresses, services
    from dsar.correspondence.models import CorrespondenceSettings
    from dsar.fulfilment.models import System, Task
    from dsar.fulfilment.tasks import task_complete, task_start
    from dsar.organizations.models import Organization
    from dsar.requests import services as requests

    user.set_password(PASSWORD)
    user.save()
    User.objects.filter(pk=user.pk).update(is_staff=True)
    img = Organization.objects.get(slug="img")
    CorrespondenceSettings.objects.update_or_create(
        organization=img, defaults={"reply_mailbox": MAILBOX}
    )
    for n in range(SYSTEMS):
        system = System(
            organization=img,
            name=f"System {n + 1:02d}",
            owner=user,
            rights=["access", "erasure", "rectification"],
            data_categories="Contact Data\nOrder history",
            instructions=f"Look the person up in system {n + 1} by email.",
        )
        system.full_clean()
        system.save()

    def verified(n: int, right: str) -> Any:
        request = requests.request_log(
            organization=img,
            right_kind=right,
            channel_kind="email",
            received_at=filled_now(),
            requester_name=f"Dana Ortiz {n}",
            requester_email=f"dana{n}@example.org",
            jurisdiction="DE",
        )
        return requests.request_verify_identity(
            request=request, actor=user, how="passport seen", method="document"
        )

    request = verified(0, "erasure")
    tasks = list(Task.objects.filter(request=request).order_by("system__name"))
    for task in tasks[:8]:
        task_complete(task=task, actor=user, outcome="Erased the customer row and the orders.")
    for task in tasks[8:12]:
        task_start(task=task, actor=user)
    reply_to = addresses.reply_address_for(request)
    for n in range(MESSAGES // 2):
        sent = services.message_send(
            request=request,
            actor=user,
            subject=f"Your request {request.reference}: question {n + 1}",
            body=f"Thank you. Could you tell us more about account number {n + 1}?\n" * 3,
        )
        answer = _email(
            request.requester_email, reply_to, f"Re: {sent.subject}", "Here it is.\n" * 4, n
        )
        services.receive(answer, via="email")
    for n in range(other_requests):
        verified(n + 1, "access")
    return request


def filled_now() -> Any:
    from django.utils import timezone

    # The seed policies come into force as they load: the requests arrive just after.
    return timezone.now()


# -- The timing ------------------------------------------------------------------------------------


class Browser:
    """One HTTP connection with the staff session's cookies, as a browser keeps them."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(HOST, PORT, timeout=60)

    def _keep(self, response: http.client.HTTPResponse) -> None:
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]

    def call(self, method: str, path: str, body: str = "") -> tuple[int, str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{PORT}{path}"
        self.conn.request(method, path, body=body or None, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        self._keep(response)
        return response.status, response.getheader("Location") or "", text

    def sign_in(self, username: str) -> None:
        status, _, html = self.call("GET", "/staff/login/?next=/staff/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if status != 200 or token is None:
            raise RuntimeError(f"no login form: {status}")
        form = {"csrfmiddlewaretoken": token.group(1), "username": username,
                "password": PASSWORD, "next": "/staff/"}  # fmt: skip
        status, location, _ = self.call("POST", "/staff/login/", urllib.parse.urlencode(form))
        if status != 302 or "login" in location:
            raise RuntimeError(f"the login failed: {status} to {location!r}")


def percentile(times: list[float], p: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@dataclass
class Timing:
    name: str
    path: str
    times_ms: list[float]
    queries: int
    status: int
    size: int
    cpu_ms: float  # gunicorn workers' CPU per load: what the page costs, whatever the load
    server_ms: float  # median with the Django test client in this process (no HTTP)

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def fast(self) -> bool:
        return self.status == 200 and self.median < TARGET_MS

    @property
    def few(self) -> bool:
        return self.queries < TARGET_QUERIES

    @property
    def ok(self) -> bool:
        return self.fast and self.few


def measure(
    browser: Browser, workers: list[int], user: Any, pages: list[tuple[str, str]], loads: int
) -> list[Timing]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    local = Client()
    local.force_login(user)
    timings = []
    for name, path in pages:
        for _ in range(3):
            browser.call("GET", path)
        times = []
        cpu = _cpu_seconds(workers)
        for _ in range(loads):
            started = time.perf_counter()
            status, _, html = browser.call("GET", path)
            times.append((time.perf_counter() - started) * 1000)
        cpu_ms = (_cpu_seconds(workers) - cpu) * 1000 / loads
        local.get(path)
        with CaptureQueriesContext(connection) as captured:
            local.get(path)
        queries = len(captured)  # now: the next request's start clears the log it reads
        server = []
        for _ in range(min(loads, 20)):
            started = time.perf_counter()
            local.get(path)
            server.append((time.perf_counter() - started) * 1000)
        timing = Timing(
            name, path, times, queries, status, len(html), cpu_ms, statistics.median(server)
        )
        timings.append(timing)
        print(
            f"  {name:42s} median {timing.median:7.1f} ms  p95 {percentile(times, 95):7.1f}"
            f"  p99 {percentile(times, 99):7.1f}  CPU {cpu_ms:6.1f}"
            f"  in-process {timing.server_ms:6.1f}"
            f"  {timing.queries:3d} queries  HTTP {status}",
            flush=True,
        )
    return timings


def report(args: argparse.Namespace, machine: dict[str, str], timings: list[Timing]) -> str:
    lines = [
        "# The request page with 20 tasks and 200 messages, and My tasks",
        "",
        f"Written by `bench/request_page.py --loads {args.loads} --other-requests "
        f"{args.other_requests}` on {time.strftime('%Y-%m-%d %H:%M %Z')}. gunicorn, 2 sync "
        "workers, DEBUG off; the privacy officer `bench` signed in through the staff login form; "
        f"each page loaded 3 times to warm up, then {args.loads} times over one HTTP connection "
        "(wall time at the client). Queries counted with the Django test client on the same "
        f"database. Targets (bench/requests_1m.py): median under {TARGET_MS} ms, fewer than "
        f"{TARGET_QUERIES} queries. *Worker CPU* is the CPU time gunicorn's workers spent per "
        "load (/proc): unlike the wall times it does not grow with the machine's other work. "
        "*In-process* is the median of 20 loads with the Django test client (server time, no "
        "HTTP), as bench/requests_1m.py measures.",
        "",
        "| Machine | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in machine.items()],
        "",
        "| Page | Status | Queries | Median ms | p95 ms | p99 ms | Worker CPU ms | In-process "
        f"median ms | KB | Median < {TARGET_MS} ms | < {TARGET_QUERIES} queries |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for t in timings:
        lines.append(
            f"| {t.name} | {t.status} | {t.queries} | {t.median:.1f} "
            f"| {percentile(t.times_ms, 95):.1f} | {percentile(t.times_ms, 99):.1f} "
            f"| {t.cpu_ms:.1f} | {t.server_ms:.1f} | {t.size / 1024:.0f} "
            f"| {'yes' if t.fast else 'NO'} | {'yes' if t.few else 'NO'} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loads", type=int, default=50)
    parser.add_argument("--other-requests", type=int, default=49)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    pgdb.ensure_database(url, fresh=True, script="bench/request_page.py")
    storage = tempfile.mkdtemp(prefix="dsar-bench-page-")
    os.environ["PRIVATE_STORAGE_ROOT"] = storage
    os.environ["DSAR_REPLY_ADDRESS"] = MAILBOX
    os.environ["EMAIL_URL"] = "dummymail://"
    filled._setup_django(url)
    user = filled._prepare()
    started = time.perf_counter()
    request = build(user, args.other_requests)
    print(f"Built the request and its neighbours in {time.perf_counter() - started:.0f} s")

    from dsar.correspondence.models import Message
    from dsar.fulfilment.models import Task

    machine = filled._machine()
    machine["The request"] = (
        f"{request.reference}: {Task.objects.filter(request=request).count()} tasks, "
        f"{Message.objects.filter(request=request).count()} messages, "
        f"{request.events.count()} events"
    )
    machine["Bench user's pending tasks"] = str(Task.objects.owned_by(user).pending().count())
    server = start_server(2, 1, env=_environment(url, storage), port=PORT)
    try:
        browser = Browser()
        browser.sign_in(user.username)
        task = Task.objects.filter(request=request).order_by("pk").first()
        pages = [
            ("Request page (20 tasks, 200 messages)", f"/staff/requests/privacyrequest/{request.pk}/change/"),  # noqa: E501
            ("My tasks", "/staff/fulfilment/task/mine/"),
            ("A task's page", f"/staff/fulfilment/task/{task.pk}/change/"),
        ]  # fmt: skip
        timings = measure(browser, _children(server.pid), user, pages, args.loads)
    finally:
        stop_server(server)
    machine["Load average at the end (1/5/15 min)"] = " / ".join(
        f"{x:.2f}" for x in os.getloadavg()
    )
    text = report(args, machine, timings)
    print(text)
    if args.write:
        RESULTS.write_text(text, encoding="utf-8")
        print(f"Wrote {RESULTS.relative_to(ROOT)}")
    return 0 if all(t.ok for t in timings) else 1


if __name__ == "__main__":
    sys.exit(main())
