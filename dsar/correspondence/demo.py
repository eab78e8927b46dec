"""A conversation for the demo (``manage.py seed_demo_messages``, run by ``demo_setup``).

Told through the real services: staff write from the request page, the requester answers by
email (a raw message through ``receive``, as the MTA pipe hands it over) and on the status page,
and a stranger's mail to the same address waits in the held list.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

from dsar.correspondence import addresses, services
from dsar.correspondence.models import CorrespondenceSettings, Message
from dsar.organizations.models import Organization
from dsar.requests.models import PrivacyRequest

ORGANIZATION = "img"
#: The demo's reply mailbox for IMG, when the installation has none (DSAR_REPLY_ADDRESS).
DEMO_MAILBOX = "privacy-replies@img.example"


def _email(*, sender: str, to: str, subject: str, body: str, in_reply_to: str = "") -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="mail.example.com")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    message.set_content(body)
    return message.as_bytes()


def seed_demo_conversation(*, actor: Any) -> list[Message]:
    """Messages on IMG's newest open request with an email address; nothing when any message
    exists already (safe to run twice)."""
    if Message.objects.exists():
        return []
    organization = Organization.objects.filter(slug=ORGANIZATION).first()
    request = (
        PrivacyRequest.objects.open()
        .filter(organization=organization)
        .exclude(requester_email="")
        .order_by("-received_at")
        .first()
    )
    if organization is None or request is None:
        return []
    if not addresses.mailbox_for(organization):
        CorrespondenceSettings.objects.update_or_create(
            organization=organization, defaults={"reply_mailbox": DEMO_MAILBOX}
        )
        organization.refresh_from_db()
    reply_address = addresses.reply_address_for(request)
    asked = services.message_send(
        request=request,
        actor=actor,
        subject=f"Your request {request.reference}: which account?",
        body=(
            "Thank you for your request. We found two customer accounts with your name. "
            "Could you tell us the postcode you used when you signed up?"
        ),
    )
    answered = services.receive(
        _email(
            sender=request.requester_email,
            to=reply_address,
            subject=f"Re: {asked.subject}",
            body="It is the account with the postcode I gave on the form. Thank you.",
            in_reply_to=asked.message_id,
        ),
        via="email",
    )
    stranger = services.receive(
        _email(
            sender="someone.else@example.net",
            to=reply_address,
            subject=f"Re: {asked.subject}",
            body="I think this email reached me by mistake.",
        ),
        via="email",
    )
    return [asked, answered, stranger]
