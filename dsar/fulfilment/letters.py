"""The register's answer to an access request's lists (GDPR Art. 15(1)(b), (c), (d), 15(2)).

The policy says in general what the organization may collect and share; the register says what
its systems hold and whom it discloses to today. The access letter's preview starts from the
register where it has an answer (``dsar.letters.context.register_source``), and staff still make
each list the requester's own before issuing.
"""

from __future__ import annotations

from dsar.fulfilment.models import Recipient, System
from dsar.requests.models import PrivacyRequest


def access_lists(request: PrivacyRequest) -> dict[str, list[str]]:
    """Categories, recipients, retention and transfers from the organization's register: the
    systems this request's right applies to, and the recipients of those systems."""
    systems = [
        s
        for s in System.objects.filter(organization_id=request.organization_id).order_by("name")
        if s.applies_to(request.right_kind)
    ]
    if not systems:
        return {}
    categories: list[str] = []
    for system in systems:
        categories += [c for c in system.category_list if c not in categories]
    recipients = (
        Recipient.objects.filter(organization_id=request.organization_id, systems__in=systems)
        .distinct()
        .order_by("name")
    )
    return {
        "categories": categories,
        "recipients": [f"{r.name} ({r.category})" if r.category else r.name for r in recipients],
        "retention": [f"{s.name}: {s.retention}" for s in systems if s.retention],
        "transfers": [
            f"{s.name} ({s.location}): {s.transfer_safeguards}"
            if s.location
            else f"{s.name}: {s.transfer_safeguards}"
            for s in systems
            if s.transfer_safeguards
        ],
    }
