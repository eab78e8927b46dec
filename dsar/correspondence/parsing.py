"""Read one raw email (RFC 5322) into what we keep of it, with the standard library alone.

No database here: ``services.receive`` decides where the message goes. Parsing uses
``email.policy.default``, which decodes headers (RFC 2047) and bodies (quoted-printable,
base64, charsets) and never raises on a malformed header: bad mail is still mail, and it is
evidence of what the requester sent.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

import nh3

from dsar.intake import files

#: Tags an HTML body keeps: nh3's (Ammonia's) safe default without <img>, whose remote source
#: would tell the sender when staff read the message.
HTML_TAGS = set(nh3.ALLOWED_TAGS) - {"img"}
URL_SCHEMES = {"http", "https", "mailto"}
#: Headers that say a message was sent by a machine (RFC 3834 Auto-Submitted; the others are what
#: common autoresponders write instead).
AUTO_REPLY_PRECEDENCE = {"auto_reply", "bulk", "junk", "list"}
BOUNCE_SENDERS = {"mailer-daemon", "postmaster"}
#: Where a recipient may appear: what the sender wrote, and what the receiving server added.
RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")


@dataclass(frozen=True)
class File:
    filename: str
    content_type: str  # proved by the bytes (``files.sniff``)
    content: bytes


@dataclass(frozen=True)
class Rejected:
    filename: str
    reason: str  # "type" or "size"
    size: int


@dataclass
class Parsed:
    sender: str  # the bare address of From, lowercased
    recipients: list[str]
    subject: str
    body_text: str
    body_html: str
    message_id: str
    in_reply_to: str
    auto_reply: bool
    bounce: bool
    files: list[File] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


def sanitize_html(value: str) -> str:
    """HTML with nothing that runs, loads or submits: safe to show on a staff page."""
    return nh3.clean(value, tags=HTML_TAGS, url_schemes=URL_SCHEMES)


def html_to_text(value: str) -> str:
    """The words of an HTML body, for a message sent as HTML only."""
    value = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>|</tr>|</h[1-6]>", "\n", value)
    text = html.unescape(nh3.clean(value, tags=set()))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _header(message: EmailMessage, name: str) -> str:
    value = message.get(name)
    return " ".join(str(value).split()) if value is not None else ""


def _recipients(message: EmailMessage, envelope: str = "") -> list[str]:
    values = [str(v) for name in RECIPIENT_HEADERS for v in message.get_all(name, [])]
    found = []
    for _name, address in getaddresses([*values, envelope]):
        address = address.strip().lower()
        if address and "@" in address and address not in found:
            found.append(address)
    return found


def _is_auto_reply(message: EmailMessage) -> bool:
    auto_submitted = _header(message, "Auto-Submitted").lower()
    if auto_submitted and auto_submitted != "no":
        return True
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return True
    return _header(message, "Precedence").lower() in AUTO_REPLY_PRECEDENCE


def _is_bounce(message: EmailMessage, sender: str) -> bool:
    """A delivery status notification (RFC 3464), or mail from a mailer daemon."""
    # A str: policy.default decodes RFC 2231 parameters. The stubs type get_param() for the
    # older API as well, where an encoded one is a (charset, language, value) tuple.
    report_type = message.get_param("report-type", "")
    if (
        message.get_content_type() == "multipart/report"
        and isinstance(report_type, str)
        and report_type.lower() == "delivery-status"
    ):
        return True
    local = sender.split("@", 1)[0]
    return local in BOUNCE_SENDERS or _header(message, "Return-Path") == "<>"


def _body(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    if part is None or part.get_content_type() != f"text/{subtype}":
        return ""
    try:
        return str(part.get_content())
    except (LookupError, ValueError):  # an unknown charset: keep what can be read
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""


def _clean_filename(value: str | None) -> str:
    name = (value or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isprintable())[:255]


def _attachments(message: EmailMessage, limit: int) -> tuple[list[File], list[Rejected]]:
    kept: list[File] = []
    rejected: list[Rejected] = []
    for part in message.iter_attachments():
        # A bounce's report parts and forwarded headers are not files the requester sent.
        if part.get_content_maintype() in ("message", "multipart") or part.get_content_type() in (
            "text/rfc822-headers",
        ):
            continue
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
        filename = _clean_filename(part.get_filename())
        if len(content) > limit:
            rejected.append(Rejected(filename, "size", len(content)))
            continue
        content_type = files.sniff(content[:16])
        if content_type is None:
            rejected.append(Rejected(filename, "type", len(content)))
            continue
        kept.append(File(filename, content_type, content))
    return kept, rejected


def parse(raw: bytes | EmailMessage, *, envelope_recipient: str = "") -> Parsed:
    """What ``raw`` says: its addresses, its bodies (HTML sanitized), its accepted files (same
    types and size limit as the intake's uploads) and the refused ones, and whether a machine
    sent it."""
    if isinstance(raw, EmailMessage):
        raw = raw.as_bytes(policy=policy.default)
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)  # noqa: S101 - policy.default makes one
    sender = parseaddr(_header(message, "From"))[1].strip().lower()
    text = _body(message, "plain")
    raw_html = _body(message, "html")
    clean_html = sanitize_html(raw_html) if raw_html else ""
    if not text.strip() and clean_html:
        text = html_to_text(clean_html)
    kept, rejected = _attachments(message, files.max_upload_bytes())
    return Parsed(
        sender=sender,
        recipients=_recipients(message, envelope_recipient),
        subject=_header(message, "Subject")[:500],
        body_text=text.strip(),
        body_html=clean_html,
        message_id=_header(message, "Message-ID")[:998],
        in_reply_to=_header(message, "In-Reply-To")[:998],
        auto_reply=_is_auto_reply(message),
        bounce=_is_bounce(message, sender),
        files=kept,
        rejected=rejected,
    )
