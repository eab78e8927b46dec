"""The demo's mailbox: every email sent is kept as a ``.eml`` file, for staff to read in the
browser (``/staff/mailbox/``) instead of in the terminal's log.

Files, not memory nor the outbox's rows: the task cluster sends the mail in its own process while
the web process shows it, and the outbox forgets an email's recipients and bodies once it is sent
(``outbox_email_finished_is_cleared``). On only with ``DSAR_DEMO_MAILBOX``, which the settings
refuse without ``DEBUG``: a real installation must not keep addresses and working links.
"""

from __future__ import annotations

import datetime
import email.utils
import os
import re
import secrets
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage as ParsedMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import nh3
from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

#: A kept email's name: the nanosecond it was sent, then a random part, so that names sort by
#: time and none can be guessed or point outside the folder.
NAME = re.compile(r"^[0-9]{19}-[0-9a-f]{16}$")
#: The newest emails the list shows.
LIST_LIMIT = 200


def enabled() -> bool:
    """Whether the mailbox page exists (a demo setting, refused by the settings without DEBUG)."""
    return bool(settings.DEBUG and settings.DSAR_DEMO_MAILBOX)


def folder() -> Path:
    return Path(settings.DSAR_DEMO_MAILBOX_DIR)


class MailboxBackend(BaseEmailBackend):
    """An email backend that keeps each message as a file in ``DSAR_DEMO_MAILBOX_DIR``."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        target = folder()
        target.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            name = f"{time.time_ns():019d}-{secrets.token_hex(8)}"
            # Written aside then renamed: the web process never reads half a message.
            fd, tmp = tempfile.mkstemp(dir=target, suffix=".tmp")
            with os.fdopen(fd, "wb") as out:
                out.write(message.message().as_bytes(linesep="\n"))
            os.replace(tmp, target / f"{name}.eml")
            sent += 1
        return sent


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class KeptEmail:
    """An email as the mailbox shows it."""

    name: str
    to: str
    subject: str
    sent_at: datetime.datetime | None
    text: str
    html: str
    attachments: list[Attachment]

    @property
    def safe_html(self) -> str:
        """The HTML body as nh3 (Ammonia) leaves it: no script, no style, no remote image, its
        links kept, so it is shown in the page itself under the staff pages' content policy."""
        return nh3.clean(self.html, tags=set(nh3.ALLOWED_TAGS) - {"img"})


def _read(path: Path) -> KeptEmail:
    with path.open("rb") as handle:
        parsed: Any = BytesParser(policy=policy.default).parse(handle)
    message: ParsedMessage = parsed
    text_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    attachments = [
        Attachment(
            part.get_filename() or "",
            part.get_content_type(),
            len(part.get_payload(decode=True) or b""),
        )
        for part in message.iter_attachments()
        if part.get_filename()
    ]
    date = message.get("Date")
    return KeptEmail(
        name=path.stem,
        to=str(message.get("To", "")),
        subject=str(message.get("Subject", "")),
        sent_at=email.utils.parsedate_to_datetime(str(date)) if date else None,
        text=text_part.get_content() if text_part is not None else "",
        html=html_part.get_content() if html_part is not None else "",
        attachments=attachments,
    )


def newest(limit: int = LIST_LIMIT) -> list[KeptEmail]:
    """The emails sent, newest first."""
    target = folder()
    if not target.is_dir():
        return []
    paths = sorted(
        (p for p in target.glob("*.eml") if NAME.match(p.stem)),
        key=lambda p: p.name,
        reverse=True,
    )
    return [_read(path) for path in paths[:limit]]


def get(name: str) -> KeptEmail | None:
    """The email kept under ``name``, or None (a name that is not one of ours finds nothing)."""
    if not NAME.match(name):
        return None
    path = folder() / f"{name}.eml"
    return _read(path) if path.is_file() else None
