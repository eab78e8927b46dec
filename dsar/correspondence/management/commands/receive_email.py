"""``manage.py receive_email < message.eml``: one raw email from standard input, for an MTA pipe.

Exit status 0 when the message is stored (attached or held); a mail server treats any other as a
temporary failure and tries again later, which is what a database outage needs
(docs/correspondence.md).
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dsar.correspondence.services import receive

#: The largest message read (25 MB: attachments are refused above the upload limit anyway).
MAX_BYTES = 25 * 1024 * 1024


class Command(BaseCommand):
    help = "Store one email read from standard input (RFC 5322) on the request it answers."
    # call_command(..., stdin=...) hands the input in (the tests; Django's own commands do so).
    stealth_options = ("stdin",)

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--recipient",
            default="",
            help="The envelope recipient (Postfix: ${recipient}) when headers do not name it.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stdin = options.get("stdin") or sys.stdin
        source = getattr(stdin, "buffer", stdin)
        raw = source.read(MAX_BYTES + 1)
        if isinstance(raw, str):
            raw = raw.encode("utf-8", errors="surrogateescape")
        if not raw.strip():
            raise CommandError("no message on standard input")
        if len(raw) > MAX_BYTES:
            raise CommandError("message too large")
        message = receive(raw, via="email", envelope_recipient=options["recipient"])
        state = f"held ({message.held_reason})" if message.is_held else "stored"
        self.stdout.write(f"message {message.pk} {state}")
