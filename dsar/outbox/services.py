"""Queue an email: render it now, write it with what caused it, send it after commit.

``enqueue`` is the one way the app emails anyone outside the reminders' and the letters' own
outboxes (docs/security.md, "Email"). It renders the named templates (``dsar.lib.emails``) in
the caller's transaction, so the email says what was true when it was queued (a confirmation
token hashes the state just written), and writes one ``Email`` row. Once the transaction
commits, one task is queued on the cluster to send it within seconds; the every-minute sweep
(``dsar.outbox.schedules``) sends it should that task be lost.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction

from dsar.lib.emails import make_message
from dsar.outbox.models import Email

if TYPE_CHECKING:
    from dsar.requests.models import PrivacyRequest

logger = logging.getLogger(__name__)

#: The task the cluster runs after each commit, for the emails that commit queued.
SEND_TASK = "dsar.outbox.delivery.deliver_ids"


def enqueue(
    name: str,
    *,
    to: Sequence[str],
    context: Mapping[str, Any],
    language: str | None = None,
    request: PrivacyRequest | None = None,
    reply_to: Sequence[str] = (),
    from_email: str | None = None,
    headers: Mapping[str, str] | None = None,
    addressee: str = "requester",
) -> Email:
    """Render ``emails/<name>.*`` and write the email, in the caller's transaction.

    ``request``: the request it is about; its sending (or failure) goes on that timeline.
    ``headers``: extra headers, such as a conversation's Message-ID and In-Reply-To.
    ``addressee``: who it is for (``Addressee``), as the timeline says.
    A template error raises here, in the caller's transaction: better a form that fails than a
    request stored with an email that can never be built.
    """
    if not to:
        raise ValueError("an email needs at least one recipient")
    message = make_message(
        name,
        to=to,
        context=context,
        language=language,
        reply_to=reply_to,
        from_email=from_email,
    )
    html = next(
        (content for content, mimetype in message.alternatives if mimetype == "text/html"), ""
    )
    email = Email.objects.create(
        kind=name[:60],
        request=request,
        to=list(message.to),
        reply_to=list(message.reply_to),
        from_email=message.from_email,
        subject=message.subject[:300],
        text=str(message.body),  # a str (render_to_string); the stubs allow a lazy string
        html=str(html),
        language=language or "",
        headers=dict(headers or {}),
        addressee=addressee,
    )
    transaction.on_commit(lambda: kick([email.pk]))
    return email


def kick(ids: Sequence[int]) -> None:
    """Ask the cluster to send these emails now (after commit: the worker must see the rows).

    Queuing the task is one insert into the broker's table (or one Redis push): nothing here
    waits on the mail server. A broker that is down loses only the hurry; the sweep sends."""
    try:
        from django_q.tasks import async_task

        async_task(SEND_TASK, list(ids), task_name="dsar: outbox now", save=False)
    except Exception:
        logger.warning("outbox: could not queue an immediate send", exc_info=True)
