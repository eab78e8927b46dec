"""Benchmark letters: the app's rendering overhead, and 1,000 letters issued through the queue.

    .venv/bin/python bench/letters_render.py            # PostgreSQL database dsar_bench_letters

1. Drop and create the database named in ``DATABASE_URL`` (default
   ``postgres://postgres@127.0.0.1:5432/dsar_bench_letters``), migrate it, load IMG's policy and
   log ``--letters`` requests (default 1,000) through ``request_log``.
2. Rendering: for an acknowledgement and an access response, time ``--rounds`` renders (after
   two warm-ups) of the app's path, ``letter_prepare()`` (context from the database, template,
   language) plus ``pdf()`` (WeasyPrint through the locked-down fetcher, with the stylesheet
   parsed once per process), interleaved with WeasyPrint alone rendering the very same letter
   two ways, with no app code: (a) the HTML with the stylesheet inlined in a ``<style>``, with
   WeasyPrint's defaults, and (b) the HTML given the same pre-parsed stylesheet and font
   configuration the app reuses (WeasyPrint at its fastest: the overhead against it is only the
   app's own work). Overhead = (app - WeasyPrint) / WeasyPrint, on the medians. Target: under
   30%. Issuing (hash, write-once file, row, event) is timed too, for information.
3. Bulk: queue one acknowledgement per request with ``letters_issue_bulk`` (django-q2, ORM
   broker, one task per ``DSAR_LETTER_BULK_CHUNK`` requests), start ``manage.py qcluster`` as a
   subprocess with ``Q_WORKERS`` workers (default 2), and time until every letter is issued,
   sampling the load average meanwhile. Target: 1,000 letters within two minutes. The cluster is
   stopped with SIGTERM (its process id) when done.
4. Print the figures with the machine (CPUs, RAM, load average, versions) and write them to
   ``bench/results/letters.md``.

Numbers from a shared, busy machine vary: the load average before and after is reported with
them. Compare runs on the same machine.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import host  # bench/host.py and bench/pgdb.py: this folder is on sys.path when a bench runs
import pgdb

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "letters.md"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dsar_bench_letters"
TARGET_OVERHEAD = 0.30
TARGET_BULK_SECONDS = 120.0


def _environment(url: str, private_root: str, workers: int) -> dict[str, str]:
    return {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "dsar.settings",
        "SECRET_KEY": "bench-only-secret-key-never-use-it-anywhere-else-0123456789",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "localhost",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_MANIFEST": "false",
        "WHITENOISE_USE_FINDERS": "true",
        "EMAIL_URL": "consolemail://",
        "PRIVATE_STORAGE_ROOT": private_root,
        "LOG_LEVEL": "WARNING",
        "Q_WORKERS": str(workers),
    }


def _setup_django(env: dict[str, str]) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.update(env)
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()
    import logging

    # WeasyPrint logs every rendering step at INFO.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)


def _prepare(count: int) -> list[Any]:
    """Migrate, load IMG's policy, log ``count`` requests; return them."""
    import io

    from django.core.management import call_command
    from django.utils import timezone

    from dsar.organizations.models import Organization
    from dsar.requests.services import request_log

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_policy", str(ROOT / "dsar/policies/seeds/img.yaml"), stdout=io.StringIO())
    img = Organization.objects.get(slug="img")
    received = timezone.now()
    requests = []
    for i in range(count):
        requests.append(
            request_log(
                organization=img,
                right_kind="access",
                channel_kind="email",
                received_at=received,
                jurisdiction="FR",
                requester_name=f"Requester {i:04d}",
                requester_email=f"requester{i:04d}@example.org",
                requester_address=f"{i} Main Street\nSpringfield, OR 97403\nUSA",
            )
        )
    return requests


def _weasyprint_alone(html: str) -> bytes:
    """The same HTML through WeasyPrint with its defaults: no app code in the measured path."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def _weasyprint_reusing(html: str, stylesheet: Any, font_config: Any) -> bytes:
    """The same HTML through WeasyPrint, given a stylesheet and fonts parsed beforehand."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf(stylesheets=[stylesheet], font_config=font_config)


def _stylesheet_text() -> str:
    return (ROOT / "static" / "letters" / "letter.css").read_text(encoding="utf-8")


def _inline_stylesheet(html: str) -> str:
    """The letter's HTML as a self-contained document: the stylesheet the app applies, inlined."""
    css = _stylesheet_text()
    return html.replace("</head>", f"<style>{css}</style>\n</head>", 1)


def _render_bench(request: Any, kind: str, rounds: int) -> dict[str, float]:
    """Medians over ``rounds`` of: the app's render (prepare + pdf), WeasyPrint alone on the same
    HTML (inlined stylesheet; and reusing a parsed one), and issuing; in wall-clock time and in
    this process's CPU time."""
    from django.db import transaction
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    from dsar.letters.services import letter_issue, letter_prepare

    font_config = FontConfiguration()
    stylesheet = CSS(string=_stylesheet_text(), font_config=font_config)
    keys = ("prepare", "pdf", "alone", "reuse")
    samples: dict[str, list[float]] = {name: [] for key in keys for name in (key, key + "_cpu")} | {
        "issue": []
    }
    for i in range(rounds + 2):
        w0, c0 = time.perf_counter(), time.process_time()
        rendered = letter_prepare(request=request, kind=kind)
        w1, c1 = time.perf_counter(), time.process_time()
        rendered.pdf()
        w2, c2 = time.perf_counter(), time.process_time()
        html = _inline_stylesheet(rendered.html)
        w3, c3 = time.perf_counter(), time.process_time()
        _weasyprint_alone(html)
        w4, c4 = time.perf_counter(), time.process_time()
        _weasyprint_reusing(rendered.html, stylesheet, font_config)
        w5, c5 = time.perf_counter(), time.process_time()
        with transaction.atomic():
            letter_issue(request=request, kind=kind, actor=None)
        w6 = time.perf_counter()
        if i < 2:  # warm-up: templates, fonts, connections
            continue
        for key, value in (
            ("prepare", w1 - w0),
            ("pdf", w2 - w1),
            ("alone", w4 - w3),
            ("reuse", w5 - w4),
            ("prepare_cpu", c1 - c0),
            ("pdf_cpu", c2 - c1),
            ("alone_cpu", c4 - c3),
            ("reuse_cpu", c5 - c4),
            ("issue", w6 - w5),
        ):
            samples[key].append(value)
    m = {key: statistics.median(values) for key, values in samples.items()}
    for suffix in ("", "_cpu"):
        app = [
            p + q for p, q in zip(samples["prepare" + suffix], samples["pdf" + suffix], strict=True)
        ]
        m["app" + suffix] = statistics.median(app)
        for base in ("alone", "reuse"):
            m[f"overhead_{base}{suffix}"] = (m["app" + suffix] - m[base + suffix]) / m[
                base + suffix
            ]
    return m


def _bulk_bench(requests: list[Any], env: dict[str, str], timeout: float) -> dict[str, Any]:
    from django.db import transaction
    from django.db.models import Max, Min
    from django_q.models import OrmQ

    from dsar.letters.models import Letter
    from dsar.letters.services import letters_issue_bulk

    t0 = time.perf_counter()
    with transaction.atomic():
        batch = letters_issue_bulk(requests=requests, kind="acknowledgement", actor=None)
    enqueue = time.perf_counter() - t0
    queued = OrmQ.objects.count()
    loads: list[float] = []
    started = time.perf_counter()
    cluster = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "qcluster"],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    done = 0
    try:
        while time.perf_counter() - started < timeout:
            done = Letter.objects.filter(batch=batch).count()
            if done >= len(requests):
                break
            if cluster.poll() is not None:
                raise RuntimeError(f"qcluster exited: {cluster.stderr.read().decode()[-2000:]}")
            loads.append(os.getloadavg()[0])
            time.sleep(0.25)
        elapsed = time.perf_counter() - started
    finally:
        cluster.send_signal(signal.SIGTERM)  # qcluster stops its workers, then exits
        try:
            cluster.wait(timeout=60)
        except subprocess.TimeoutExpired:
            cluster.kill()
            cluster.wait()
    span = Letter.objects.filter(batch=batch).aggregate(
        first=Min("issued_at"), last=Max("issued_at")
    )
    issuing = (span["last"] - span["first"]).total_seconds() if span["first"] else float("nan")
    return {
        "requested": len(requests),
        "letters": done,
        "tasks": queued,
        "load_mean": statistics.mean(loads) if loads else float("nan"),
        "load_max": max(loads) if loads else float("nan"),
        "enqueue": enqueue,
        "elapsed": elapsed,
        "issuing": issuing,
        "per_second": done / elapsed if elapsed else 0.0,
    }


def _machine() -> dict[str, str]:
    from django.db import connection

    model = host.cpu_model()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    import weasyprint

    mem_kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    return {
        "CPUs (nproc)": str(os.cpu_count()),
        "CPU model": model,
        "RAM": f"{mem_kib / 1024 / 1024:.0f} GiB",
        "PostgreSQL": pg,
        "Python / Django / WeasyPrint": (
            f"{platform.python_version()} / {__import__('django').get_version()} / "
            f"{weasyprint.__version__}"
        ),
    }


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def _report(
    machine: dict[str, str],
    renders: dict[str, dict[str, float]],
    bulk: dict[str, Any],
    *,
    database: str,
    rounds: int,
    workers: int,
    chunk: int,
    load_before: str,
    load_after: str,
) -> str:
    def ms(seconds: float) -> str:
        return f"{seconds * 1000:.0f} ms"

    def verdict(overhead: float) -> str:
        return "met" if overhead < TARGET_OVERHEAD else "**missed**"

    lines = [
        "# Letters benchmark",
        "",
        f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC with "
        f"`.venv/bin/python bench/letters_render.py` (PostgreSQL database `{database}`).",
        "",
        "| Machine | |",
        "|---|---|",
        *[f"| {key} | {value} |" for key, value in machine.items()],
        f"| Load average (1/5/15 min) before / after | {load_before} → {load_after} |",
        "",
        "The machine is shared: other jobs ran during the run, and the load average says how "
        "busy it was (above 2.0, the two CPUs were oversubscribed). Wall-clock times stretch "
        "with the load; CPU times (this process only) much less.",
        "",
        f"## Rendering: medians of {rounds} renders after 2 warm-ups",
        "",
        "The app's path is `letter_prepare()` (queries, context, template, language) plus `pdf()` "
        "(WeasyPrint through the locked-down fetcher, with `letter.css` parsed once per process "
        "and the font configuration reused). WeasyPrint alone renders the very same letter with "
        "no app code, two ways: (a) the HTML with the stylesheet inlined, WeasyPrint's defaults; "
        "(b) the HTML given the same pre-parsed stylesheet and font configuration, WeasyPrint at "
        "its fastest, so that the overhead against (b) is the app's own work only. Overhead is "
        f"(app - WeasyPrint) / WeasyPrint; the target is under {TARGET_OVERHEAD:.0%}.",
        "",
        "| Letter | App: context + template | App: PDF | App total "
        "| (a) WeasyPrint, inlined CSS | Overhead vs (a) "
        "| (b) WeasyPrint, parsed CSS | Overhead vs (b) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for kind, f in renders.items():
        for label, x in (("wall", ""), ("CPU", "_cpu")):
            lines.append(
                f"| {kind} ({label}) | {ms(f['prepare' + x])} | {ms(f['pdf' + x])} | "
                f"{ms(f['app' + x])} | {ms(f['alone' + x])} | "
                f"{f['overhead_alone' + x]:+.1%} ({verdict(f['overhead_alone' + x])}) | "
                f"{ms(f['reuse' + x])} | "
                f"{f['overhead_reuse' + x]:+.1%} ({verdict(f['overhead_reuse' + x])}) |"
            )
    lines += [
        "",
        "Issuing (the render, SHA-256, write-once file, row and event, in one transaction), "
        "wall-clock median: "
        + ", ".join(f"{kind.lower()} {ms(figures['issue'])}" for kind, figures in renders.items())
        + ".",
    ]
    met = bulk["letters"] >= bulk["requested"] and bulk["elapsed"] <= TARGET_BULK_SECONDS
    lines += [
        "",
        f"## Bulk: {bulk['requested']:,} acknowledgements through django-q2 with {workers} workers",
        "",
        f"`letters_issue_bulk()` queues one task per {chunk} requests "
        f"(`DSAR_LETTER_BULK_CHUNK`; {bulk['tasks']} tasks, ORM broker); `manage.py qcluster` "
        f"with `Q_WORKERS={workers}` runs them. Time counts from starting the cluster (its "
        "start-up included) to the last letter issued. "
        f"Target: within {TARGET_BULK_SECONDS:.0f} s.",
        "",
        "| Letters issued | Queueing | Cluster start → last letter | First → last letter "
        "| Letters/s | 1-min load during (mean / max) | Target |",
        "|---|---|---|---|---|---|---|",
        f"| {bulk['letters']:,} of {bulk['requested']:,} | {bulk['enqueue']:.1f} s | "
        f"{bulk['elapsed']:.1f} s | {bulk['issuing']:.1f} s | {bulk['per_second']:.1f} | "
        f"{bulk['load_mean']:.2f} / {bulk['load_max']:.2f} | "
        f"{'met' if met else '**missed**'} |",
        "",
        "Each letter is a full issue: render, SHA-256, write-once PDF under "
        "`PRIVATE_STORAGE_ROOT`, the row, and an event on the request, in one transaction.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    private_root = tempfile.mkdtemp(prefix="dsar-bench-letters-")
    env = _environment(url, private_root, args.workers)
    pgdb.ensure_database(url, fresh=True, script="bench/letters_render.py")
    _setup_django(env)
    from dsar.letters.jobs import _chunk_size

    chunk = _chunk_size()
    load_before = _load()
    print(f"Load average before: {load_before}", flush=True)

    print(f"Logging {args.letters} requests…", flush=True)
    requests = _prepare(args.letters)
    machine = _machine()

    renders = {}
    for kind, label in (("acknowledgement", "Acknowledgement"), ("access", "Access response")):
        print(f"Rendering {label.lower()}s…", flush=True)
        renders[label] = _render_bench(requests[-1], kind, args.rounds)

    print(f"Issuing {args.letters} letters through qcluster ({args.workers} workers)…", flush=True)
    bulk = _bulk_bench(requests, env, args.timeout)
    load_after = _load()

    report = _report(
        machine,
        renders,
        bulk,
        database=url.rsplit("/", 1)[-1],
        rounds=args.rounds,
        chunk=chunk,
        workers=args.workers,
        load_before=load_before,
        load_after=load_after,
    )
    print()
    print(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")
    shutil.rmtree(private_root, ignore_errors=True)
    print(f"Written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
