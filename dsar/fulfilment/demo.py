"""The demo register of each seed organization, and its tasks in several states.

Every system below holds categories its organization's policy names, verbatim (the policy's
``data_categories``), and applies to the rights that policy promises; the recipients are the
ones the policy names (its ``recipients``), each linked to the systems whose data it receives.
The system names are the ones the policies mention (IMG's Zoho CRM, WooCommerce store and
LiveChat; imservicecenter's member profile…) or, where a policy names none, a plain description.

``seed_register`` runs after the demo requests are logged (the demo's history was answered before
there was a register: its closed requests have no tasks, as on an installation that adopts the
register today); ``seed_tasks`` gives the open, verified requests their tasks, as verifying them
now would, and moves some of them along. IMG's
store reaches a database through the PostgreSQL connector when ``DSAR_DEMO_SHOP_DB_URL`` is set
(``manage.py demo_shop_db`` fills one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from dsar.fulfilment import register
from dsar.fulfilment.models import ChangeAction, Recipient, System, Task, TaskState
from dsar.fulfilment.tasks import task_complete, task_start
from dsar.organizations.models import Organization
from dsar.policies.models import PolicyVersion, RightKind

#: The rights a system task can answer: the others (opt-outs, complaints, 1798.83) are answered
#: from the register or the policy, not by working in each system.
SYSTEM_RIGHTS = (
    RightKind.ACCESS,
    RightKind.RECTIFICATION,
    RightKind.ERASURE,
    RightKind.RESTRICTION,
    RightKind.PORTABILITY,
    RightKind.ACCOUNT_CLOSURE,
    RightKind.OBJECTION,
)
DEMO_SHOP_ENV = "DSAR_DEMO_SHOP_DB_URL"
SHOP_ACCESS = (
    "SELECT c.email, c.name, c.since, o.item, o.total, o.ordered_on FROM customers c "
    "LEFT JOIN orders o ON o.customer_id = c.id WHERE lower(c.email) = lower(%(email)s) "
    "ORDER BY o.id"
)
SHOP_ERASURE = "DELETE FROM customers WHERE lower(email) = lower(%(email)s)"


@dataclass(frozen=True)
class DemoSystem:
    name: str
    kind: str
    categories: Sequence[str]
    location: str = ""
    retention: str = ""
    transfer: str = ""
    instructions: str = ""
    connector: dict[str, Any] = field(default_factory=dict)


REGISTERS: dict[str, list[DemoSystem]] = {
    "img": [
        DemoSystem(
            "FoneTrac-go accounts",
            "in_house",
            ["Identity Data", "Contact Data", "Profile Data", "Usage Data"],
            location="United States",
            retention="While the account is open; backups 90 days",
            instructions="Find the account by email on the FoneTrac-go admin page; export it.",
        ),
        DemoSystem(
            "Zoho CRM",
            "processor",
            ["Contact Data", "Marketing and Communications Data"],
            location="United States (Zoho)",
            transfer="Standard contractual clauses (Art. 46(2)(c))",
            instructions="Search Contacts and Leads by email; export the record as CSV.",
        ),
        DemoSystem(
            "WooCommerce store",
            "in_house",
            [
                "Checkout data (WooCommerce), including emergency contacts",
                "Transaction Data (including emergency contacts)",
            ],
            location="United States",
            retention="7 years for invoices (tax law)",
            instructions="Automated: run the connector; check refunds by hand.",
            connector={
                "connector": "postgresql",
                "dsn_env": DEMO_SHOP_ENV,
                "access_query": SHOP_ACCESS,
                "erasure_statement": SHOP_ERASURE,
            },
        ),
        DemoSystem(
            "LiveChat",
            "processor",
            ["LiveChat data (IP address and submitted information)"],
            location="European Union",
            instructions="Search transcripts by email in the LiveChat archive.",
        ),
    ],
    "imgwg": [
        DemoSystem(
            "Member database",
            "in_house",
            [
                "Member Information (name, email address, firm address, user ID, password)",
                "User communications",
            ],
            instructions="Look the member up by email; user ID and firm address too.",
        ),
        DemoSystem(
            "Newsletter list",
            "processor",
            ["Newsletter requests (name, email address)"],
            instructions="Search the list by email.",
        ),
    ],
    "imt": [
        DemoSystem(
            "phonedoctorbiz.com accounts",
            "in_house",
            ["Name and password", "Email address", "Content you create, including feedback"],
            retention="Backups removed after a delay",
            instructions="Delete the account in the site admin; note the backup purge date.",
        ),
    ],
    "ims-consulting": [
        DemoSystem(
            "Customer accounts",
            "in_house",
            ["First and last name", "Email address", "Phone number", "Postal address"],
            instructions="Find the account by email or phone.",
        ),
        DemoSystem(
            "E-commerce orders",
            "in_house",
            ["Purchase history (e-commerce Services)", "Opinion on products (e-commerce Services)"],
            instructions="Search orders by the account's email.",
        ),
    ],
    "imservicecenter": [
        DemoSystem(
            "Member profile",
            "in_house",
            [
                "Membership contact information (name and email address)",
                "Product registration and personal profile",
                "User name and password",
            ],
            location="Lakeland, FL, United States",
            instructions="Open the profile ('Update Profile') of the member's user name.",
        ),
    ],
}


def _recipient_systems(name: str, systems: list[System]) -> list[System]:
    """The systems a recipient of the policy receives data from: the one it names, or all."""
    named = [s for s in systems if s.name.lower() in name.lower()]
    return named or systems


@transaction.atomic
def seed_register(owner: Any) -> int:
    """The register of each seed organization (once: an organization with systems is left as
    it is); ``owner`` owns every system. Returns the number of systems made."""
    made = 0
    for slug, specs in REGISTERS.items():
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None or organization.systems.exists():
            continue
        version = PolicyVersion.objects.in_force_for(organization)
        promised = set(version.rights.values_list("kind", flat=True)) if version else set()
        rights = [r.value for r in SYSTEM_RIGHTS if r.value in promised]
        systems = []
        for spec in specs:
            system = System(
                organization=organization,
                name=spec.name,
                kind=spec.kind,
                owner=owner,
                data_categories="\n".join(spec.categories),
                rights=rights,
                retention=spec.retention,
                location=spec.location,
                transfer_safeguards=spec.transfer,
                instructions=spec.instructions,
                **spec.connector,
            )
            system.full_clean()
            system.save()
            register.register_record(
                entry=system, action=ChangeAction.CREATED, actor=owner, before=None
            )
            systems.append(system)
            made += 1
        names = version.recipients.values_list("name", flat=True) if version else []
        for name in names:
            recipient = Recipient.objects.create(organization=organization, name=name[:200])
            recipient.systems.set(_recipient_systems(name, systems))
            register.register_record(
                entry=recipient, action=ChangeAction.CREATED, actor=owner, before=None
            )
    return made


def seed_tasks(actor: Any) -> dict[str, int]:
    """Tasks for the demo's open, verified requests, then several states: of every four, one
    is started, one done, one not applicable, one left open. Connector systems stay open for the
    demo to run."""
    from dsar.fulfilment.tasks import tasks_create
    from dsar.requests.models import IdentityStatus, PrivacyRequest

    working = PrivacyRequest.objects.filter(
        organization__slug__in=list(REGISTERS),
        status__in=["in_progress", "waiting_requester"],
        identity_status__in=[IdentityStatus.VERIFIED, IdentityStatus.NOT_REQUIRED],
    ).select_related("organization")
    for request in working.order_by("pk"):
        with transaction.atomic():
            tasks_create(request=request)
    counts = {state.value: 0 for state in TaskState}
    pending = (
        Task.objects.pending()
        .filter(request__status__in=["in_progress", "waiting_requester"], state=TaskState.OPEN)
        .exclude(system__connector="postgresql")
        .order_by("request_id", "system__name")
    )
    for n, task in enumerate(pending):
        step = n % 4
        if step == 0:
            task_start(task=task, actor=actor)
            counts[TaskState.IN_PROGRESS] += 1
        elif step == 1:
            task_complete(
                task=task,
                actor=actor,
                outcome="Found the record and exported it.",
                records=[{"email": task.request.requester_email, "status": "active"}]
                if task.request.right_kind == RightKind.ACCESS
                else None,
            )
            counts[TaskState.DONE] += 1
        elif step == 2:
            task_complete(
                task=task, actor=actor, outcome="No record of this person.", not_applicable=True
            )
            counts[TaskState.NOT_APPLICABLE] += 1
        else:
            counts[TaskState.OPEN] += 1
    return counts
