"""Writes the reminder jobs make to requests: closing unverified ones, purging personal data.

Each is one transaction that writes one event (style rules 3 and 4).

Retention (CCPA record-keeping, Cal. Code Regs. tit. 11 §7101): a business keeps records of
consumer requests and how it responded "for at least 24 months", and "may" keep them as a ticket
or log holding the date and nature of the request, the manner in which it was made, the date and
nature of the response and the basis for a denial (§7101(b)); it need not keep personal
information only to fulfil a request (§7101(e)). So after ``DSAR_PURGE_AFTER_DAYS`` the
requester's personal data is blanked, and the anonymised record is **kept**, not deleted after
24 months: its events are append-only evidence (the database refuses to delete them), and an
anonymised record costs the data subject nothing.

The reasons the requester was told in words (a refusal's, a partial fulfilment's, an extension's)
are personal data too: they quote and describe the requester's case. The purge blanks them in
the request (``outcome_reason``, which a refused request must keep non-empty: it becomes
``PURGED_REASON``) and in the events that quote them (``events.blank_reasons``); the basis of a
denial stays on the record as the exemptions relied on, which name law, not the person. The purge
event vouches for each blanked event, so ``verify_trail`` still verifies the trail
(``dsar.requests.chain``).
"""

from __future__ import annotations

import uuid
from functools import reduce
from operator import or_

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dsar.reminders import claims, hooks
from dsar.reminders.models import Notification, NotificationKind, Reminder, ReminderKind
from dsar.requests import chain, events
from dsar.requests.models import EventKind, PrivacyRequest
from dsar.requests.services import TransitionError

#: What a purge blanks: who the requester is and what they wrote; then the reasons
#: (``outcome_reason``, and in the events). The record keeps the reference, dates, status, right,
#: channel, jurisdiction, outcome and the exemptions relied on (§7101(b)).
PERSONAL_FIELDS = (
    "requester_name",
    "requester_email",
    "requester_phone",
    "requester_address",
    "agent_name",
    "subject_line",
    "message",
)


#: What ``outcome_reason`` reads once purged (a refusal must have one: a database constraint).
PURGED_REASON = "[purged]"


def holds_personal_data() -> Q:
    """The requests that still hold personal data, as a filter (the purge job's)."""
    holds = reduce(or_, (~Q(**{name: ""}) for name in PERSONAL_FIELDS))
    return holds | (~Q(outcome_reason="") & ~Q(outcome_reason=PURGED_REASON))


class PurgeError(Exception):
    """A purge the request's state does not allow (it is still open)."""


def has_personal_data(request: PrivacyRequest) -> bool:
    return any(
        getattr(request, name) for name in PERSONAL_FIELDS
    ) or request.outcome_reason not in (
        "",
        PURGED_REASON,
    )


@transaction.atomic
def request_purge(*, request: PrivacyRequest) -> PrivacyRequest:
    """Blank the requester's personal data of a closed request and record that it was done.

    Idempotent: a request with nothing left to purge is returned unchanged, with no event.
    Files of the request (uploads, letters) are deleted by the other apps' ``purge_request``
    hooks, where they exist (``dsar.reminders.hooks.PURGE_FILES``).
    """
    request = PrivacyRequest.objects.select_for_update().get(pk=request.pk)
    if request.is_open:
        raise PurgeError(_("An open request keeps its personal data."))
    purged = [name for name in PERSONAL_FIELDS if getattr(request, name)]
    if request.outcome_reason not in ("", PURGED_REASON):
        purged.append("outcome_reason")
    blanked = events.blank_reasons(request.pk)
    if not (purged or blanked):
        return request
    for name in purged:
        setattr(request, name, PURGED_REASON if name == "outcome_reason" else "")
    request.save(update_fields=[*purged, "updated_at"])
    files = hooks.purge_files(request)
    events.record(
        request,
        actor=None,
        actor_label="system",
        kind=EventKind.PURGED,
        summary=_("Personal data purged; the anonymised record is kept"),
        purged=purged,
        file_hooks=files,
        **{chain.VOUCH_KEY: blanked},
    )
    return request


def close_unverified_request(request_id: int, *, run: uuid.UUID) -> bool:
    """Claim, close and queue the notice for one unverified request; False when another sweep
    has it or it no longer qualifies (verified, closed, or no address to tell)."""
    with transaction.atomic():
        request = PrivacyRequest.objects.select_for_update().get(pk=request_id)
        if not claims.is_awaiting_verification(request) or not request.requester_email:
            return False
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(
                    request=request,
                    kind=ReminderKind.CLOSED_UNVERIFIED,
                    deadline=request.received_on,
                    offset=0,
                    run=run,
                    claimed_at=timezone.now(),
                )
        except IntegrityError:
            return False  # another sweep closed it
        try:
            hooks.close_unverified(
                request=request,
                note=_("identity not verified in time; the requester is told"),
            )
        except TransitionError:
            transaction.set_rollback(True)
            return False
        notification = Notification.objects.create(
            kind=NotificationKind.CLOSED_UNVERIFIED, request=request, run=run
        )
        notification.reminders.add(reminder)
    return True
