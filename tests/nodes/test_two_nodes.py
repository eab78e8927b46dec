"""Two nodes of one installation (slow): two web servers and two task clusters, as processes,
sharing one PostgreSQL database, one Redis broker and one object store, and nothing else.

- gunicorn on 127.0.0.2 and on 127.0.0.3, each with its own workers;
- two ``qcluster`` processes, each with its scheduler and workers, on one Redis queue;
- the test database (PostgreSQL), a bucket of moto (S3), and a mail folder they all write to.

What it shows: a staff member signs in on one node and is signed in on the other (sessions in the
database); a letter issued on one node downloads from the other (the PDF is in the bucket); the
public form's rate limit counts the posts to both (counted in the database); the letter's email
is sent once; and the reminders go out exactly once although the cluster that was sending them
is killed in the middle, the other taking over once the claim's lease is over.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from django.test import override_settings
from django.utils import timezone
from django_q.models import Schedule

from dsar.letters.models import Letter, LetterDelivery
from dsar.organizations.models import Role
from dsar.reminders.models import Notification, NotificationStatus, Reminder
from dsar.reminders.schedules import ensure_schedules
from tests.letters.conftest import Seeds, log_request, staff
from tests.ops_restore import slow
from tests.reminders import processes
from tests.reminders.test_processes import references, seed_due_requests
from tests.storage.moto_server import MotoServer, free_port

pytestmark = [slow.only_when_asked, pytest.mark.django_db(transaction=True)]

HOSTS = ("127.0.0.2", "127.0.0.3")
REDIS_URL = "redis://127.0.0.1:6379/14"
WEB = ["--workers", "2", "--timeout", "60"]  # gunicorn's options, as docs/deploy.md has them
LEASE = 3  # seconds: the killed cluster's claim is taken over after it
PASSWORD = "correct horse battery staple"  # a test account's


@dataclass
class Node:
    """A process of the installation, and the folder where it marks each send it starts."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path
    markers: Path
    url: str = ""

    def sends_started(self) -> int:
        return len(list(self.markers.iterdir()))


@dataclass
class Installation:
    tmp: Path
    env: dict[str, str]
    mail: Path
    nodes: list[Node] = field(default_factory=list)

    def start(self, name: str, args: list[str], **extra: str) -> Node:
        markers = self.tmp / "markers" / name
        markers.mkdir(parents=True)
        env = {**self.env, "DSAR_TEST_MARKER_DIR": str(markers), **extra}
        log = self.tmp / f"{name}.log"
        process = subprocess.Popen(
            args,
            cwd=processes.ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        node = Node(name, process, log, markers)
        self.nodes.append(node)
        return node

    def web(self, host: str) -> Node:
        port = free_port(host)
        node = self.start(
            f"web-{host}",
            [sys.executable, "-m", "gunicorn", "dsar.wsgi", "--bind", f"{host}:{port}", *WEB],
        )
        node.url = f"http://{host}:{port}"
        return node

    def cluster(self, name: str) -> Node:
        return self.start(name, [*processes.MANAGE, "qcluster"], Q_WORKERS="1")

    def logs(self) -> str:
        return "\n".join(
            f"== {n.name}\n{n.log.read_text(errors='replace')[-3000:]}" for n in self.nodes
        )


def wait_until_up(node: Node, installation: Installation, timeout: float = 60) -> None:
    def answers() -> bool:
        assert node.process.poll() is None, installation.logs()
        try:
            return requests.get(f"{node.url}/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    assert processes.wait_for(answers, timeout=timeout, step=0.2), installation.logs()


@pytest.fixture
def installation(tmp_path: Path, moto: MotoServer) -> Iterator[Installation]:
    redis = pytest.importorskip("redis")
    from django.db import connection

    slow.require(connection.vendor == "postgresql", "two nodes need PostgreSQL (DATABASE_URL)")
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        slow.require(False, f"two nodes need Redis at {REDIS_URL}")
    cluster_name = f"dsarnodes{uuid.uuid4().hex[:8]}"
    mail = tmp_path / "mail"
    mail.mkdir()
    base = os.environ.get("DJANGO_SETTINGS_MODULE", "dsar.settings")
    env = processes.child_env(
        DJANGO_SETTINGS_MODULE="tests.nodes.node_settings",
        DSAR_NODE_BASE_SETTINGS=base if base != "tests.nodes.node_settings" else "dsar.settings",
        DSAR_TEST_CLUSTER_NAME=cluster_name,
        DSAR_TEST_MAIL_DIR=str(mail),
        DSAR_TEST_SEND_DELAY="0.3",
        DSAR_REMINDER_LEASE_SECONDS=str(LEASE),
        DATABASE_URL=processes.database_url(),
        REDIS_URL=REDIS_URL,
        ALLOWED_HOSTS=",".join(HOSTS),
        DSAR_SITE_URL="http://127.0.0.2",
        **moto.env(moto.new_bucket(), "dsar"),
    )
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(processes.ROOT), os.environ.get("PYTHONPATH", "")])
    )
    found = Installation(tmp_path, env, mail)
    try:
        yield found
    finally:
        for node in found.nodes:
            processes.stop(node.process)
        for key in client.scan_iter(f"django_q:{cluster_name}:*"):
            client.delete(key)


class Browser:
    """One person's cookies, sent to whichever node the load balancer picks."""

    def __init__(self) -> None:
        self.http = requests.Session()
        self.cookies: dict[str, str] = {}

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        response = self.http.request(
            method, url, headers=headers, allow_redirects=False, timeout=60, **kwargs
        )
        self.cookies.update(response.cookies.get_dict())
        self.http.cookies.clear()
        return response

    def token(self, url: str) -> str:
        html = self.request("GET", url).text
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert found, html[:2000]
        return found.group(1)


def test_two_nodes_share_sessions_files_limits_and_send_each_email_once(
    installation: Installation,
) -> None:
    started = time.monotonic()
    # -- The installation's data, committed: the web servers and clusters read it.
    seeds = Seeds()
    officer = staff("nodes-officer", seeds["img"], Role.PRIVACY_OFFICER)
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        officer.set_password(PASSWORD)  # the nodes know PBKDF2, not the tests' fast hasher
    officer.save()
    request = log_request(seeds, received_at=timezone.now() - datetime.timedelta(hours=1))
    expected = seed_due_requests(handlers=8, per_handler=2, unassigned=2)
    ensure_schedules()
    Schedule.objects.exclude(name="dsar: reminder sweep").update(
        next_run=timezone.now() + datetime.timedelta(days=365)
    )

    # -- Two web servers (the clusters start later, when the sweep is due).
    a, b = (installation.web(host) for host in HOSTS)
    for node in (a, b):
        wait_until_up(node, installation)

    # -- A session made on one node works on the other.
    staff_member = Browser()
    login = f"{a.url}/staff/login/"
    signed_in = staff_member.request(
        "POST",
        login,
        data={
            "csrfmiddlewaretoken": staff_member.token(login),
            "username": "nodes-officer",
            "password": PASSWORD,
            "next": "/staff/",
        },
    )
    assert signed_in.status_code == 302, signed_in.text[:2000]
    assert "sessionid" in staff_member.cookies
    assert staff_member.request("GET", f"{b.url}/staff/").status_code == 200
    assert Browser().request("GET", f"{b.url}/staff/").status_code == 302  # not signed in

    # -- A letter issued on A downloads from B, as issued; its email is queued on B.
    preview = f"{a.url}/letters/requests/{request.pk}/new/acknowledgement/"
    token = staff_member.token(preview)
    issued = staff_member.request(
        "POST", preview, data={"csrfmiddlewaretoken": token, "action": "issue"}
    )
    assert issued.status_code == 302, issued.text[:3000]
    letter = Letter.objects.get(request=request)
    pdf = staff_member.request("GET", f"{b.url}/letters/{letter.pk}/pdf/")
    assert pdf.status_code == 200 and hashlib.sha256(pdf.content).hexdigest() == letter.sha256
    sent = staff_member.request(
        "POST",
        f"{b.url}/letters/{letter.pk}/send/",
        data={"csrfmiddlewaretoken": token, "method": "attachment"},
    )
    assert sent.status_code == 302, sent.text[:2000]

    # -- The public form's limit (10 posts an hour from one network) counts both nodes' posts.
    visitor = Browser()
    form = f"{a.url}/o/img/request/"
    token = visitor.token(form)
    answers = [
        visitor.request(
            "POST", f"{(a, b)[n % 2].url}/o/img/request/", data={"csrfmiddlewaretoken": token}
        ).status_code
        for n in range(11)
    ]
    assert answers == [200] * 10 + [429], answers  # five each, then refused on either
    assert (
        visitor.request(
            "POST", f"{a.url}/o/img/request/", data={"csrfmiddlewaretoken": token}
        ).status_code
        == 429
    )

    # -- Two clusters start with the sweep due (and the letter's email waiting in the queue):
    # whichever scheduler locks the schedule first queues the sweep.
    Schedule.objects.filter(name="dsar: reminder sweep").update(
        next_run=timezone.now() - datetime.timedelta(seconds=1)
    )
    clusters = [installation.cluster("cluster-1"), installation.cluster("cluster-2")]

    # -- The reminders: kill the cluster that is sending them, in the middle of a send.
    def one_is_sending() -> Node | None:
        return next((c for c in clusters if c.sends_started() >= 2), None)

    sending = processes.wait_for(one_is_sending, timeout=90, step=0.1)
    assert sending is not None, installation.logs()
    processes.stop(sending.process, signal.SIGKILL)
    survivor = next(c for c in clusters if c is not sending)
    killed_at = time.monotonic()
    # The sweep's next tick (every 15 minutes in production): the survivor's scheduler queues it.
    Schedule.objects.filter(name="dsar: reminder sweep").update(
        next_run=timezone.now() - datetime.timedelta(seconds=1)
    )

    def all_sent() -> bool:
        return not Notification.objects.exclude(status=NotificationStatus.SENT).exists() and (
            LetterDelivery.objects.filter(status="sent").count() == 1
        )

    assert processes.wait_for(all_sent, timeout=120, step=0.5), installation.logs()
    assert survivor.process.poll() is None, installation.logs()
    recovered = time.monotonic() - killed_at

    mail = processes.read_mail(installation.mail)
    reminders = [m for m in mail if m.to in expected]
    assert sorted(m.to for m in reminders) == sorted(expected), installation.logs()
    assert {m.to: references(m.body) for m in reminders} == expected
    assert Reminder.objects.count() == 18 and not Reminder.objects.unsent().exists()
    # The email the killed cluster was sending was tried again by the survivor, once.
    assert sorted(Notification.objects.values_list("attempts", flat=True)) == [1] * 8 + [2]
    assert sending.sends_started() >= 2 and survivor.sends_started() >= 1
    letter_mails = [m for m in mail if letter.reference in (m.subject or "") + m.body]
    assert len(letter_mails) == 1, [m.subject for m in mail]
    print(f"two nodes: {time.monotonic() - started:.0f}s, taken over in {recovered:.0f}s")
