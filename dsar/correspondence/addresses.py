"""Reply addresses: ``<mailbox local part>+<token>@<mailbox domain>``, one token per request.

The mailbox is the organization's (``CorrespondenceSettings.reply_mailbox``) or the
installation's (``DSAR_REPLY_ADDRESS``). Plus-addressing needs no DNS or mailbox per request:
the mail server delivers every ``replies+…`` address to the ``replies`` mailbox
(docs/correspondence.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from dsar.correspondence.models import CorrespondenceSettings, ReplyAddress
from dsar.organizations.models import Organization
from dsar.requests.models import PrivacyRequest


def installation_mailbox() -> str:
    return str(settings.DSAR_REPLY_ADDRESS or "").strip().lower()


def settings_for(organization: Organization) -> CorrespondenceSettings:
    """The organization's choices; the defaults (unsaved) when it made none."""
    try:
        return organization.correspondence_settings
    except CorrespondenceSettings.DoesNotExist:
        return CorrespondenceSettings(organization=organization)


def mailbox_for(organization: Organization) -> str:
    """The mailbox replies to this organization go to; "" when none is configured."""
    return (settings_for(organization).reply_mailbox or installation_mailbox()).lower()


def plus(mailbox: str, token: str) -> str:
    local, _at, domain = mailbox.partition("@")
    return f"{local}+{token}@{domain}"


def reply_address_for(request: PrivacyRequest) -> str:
    """The request's reply address (its token made on first use); "" without a mailbox.

    The token and the organization's mailbox are read in one query: the request page shows the
    address on every load (bench/request_page.py)."""
    token, own_mailbox = (
        PrivacyRequest.objects.filter(pk=request.pk)
        .values_list("reply_address__token", "organization__correspondence_settings__reply_mailbox")
        .get()
    )
    mailbox = (own_mailbox or installation_mailbox()).lower()
    if not mailbox:
        return ""
    if token is None:
        token = ReplyAddress.objects.get_or_create(request=request)[0].token
    return plus(mailbox, token)


@dataclass(frozen=True)
class Match:
    """What the recipients of an inbound message name."""

    reply_address: ReplyAddress | None  # the token we gave out, with its request
    organization: Organization | None  # whose mailbox it reached, when that is known


def match(recipients: list[str]) -> Match:
    """The first recipient that is a plus-address on one of our mailboxes, and its token."""
    own: dict[str, Organization | None] = (
        {installation_mailbox(): None} if installation_mailbox() else {}
    )
    for each in CorrespondenceSettings.objects.exclude(reply_mailbox="").select_related(
        "organization"
    ):
        own[each.reply_mailbox.lower()] = each.organization
    fallback: Organization | None = None
    for address in recipients:
        local, _at, domain = address.lower().partition("@")
        base, plus_sign, token = local.partition("+")
        mailbox = f"{base}@{domain}"
        if mailbox not in own:
            continue
        fallback = fallback or own[mailbox]
        if not plus_sign or not token:
            continue
        found = (
            ReplyAddress.objects.select_related("request__organization").filter(token=token).first()
        )
        # A token only counts on its own organization's mailbox (or the installation's).
        if found is not None and own[mailbox] in (None, found.request.organization):
            return Match(found, found.request.organization)
    return Match(None, fallback)
