"""Writing the register: every change is recorded, and the whole register goes in and out as CSV.

``register_record`` is called by every write (the staff pages, the CSV import, the demo): it
stores the entry's values before and after as a ``RegisterChange``, in the write's transaction.

CSV import is all or nothing: every row is checked first (the model's own validation, the
owner, the rights, the systems a recipient names), and one bad row stops the import with a
message per row and field; nothing is written until every row is good. Export writes cells a
spreadsheet would run as a formula with a leading apostrophe (``dsar.lib.spreadsheet``), and
import takes that apostrophe off again, so a register exported and imported again is unchanged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dsar.core.actors import Actor
from dsar.fulfilment.models import (
    ChangeAction,
    ConnectorKind,
    Recipient,
    RegisterChange,
    System,
    SystemKind,
)
from dsar.lib import spreadsheet
from dsar.organizations.models import Organization
from dsar.policies.models import RightKind

SYSTEM_COLUMNS = (
    "name",
    "kind",
    "owner",
    "data_categories",
    "rights",
    "retention",
    "location",
    "transfer_safeguards",
    "instructions",
    "connector",
    "dsn_env",
    "access_query",
    "erasure_statement",
    "timeout_seconds",
    "endpoint_url",
    "secret_env",
)
RECIPIENT_COLUMNS = ("name", "category", "contact_email", "contact_url", "secret_env", "systems")
#: Between the items of a list in one cell: rights, categories, a recipient's systems.
SEPARATOR = "; "


def snapshot(entry: System | Recipient) -> dict[str, Any]:
    """The entry's values as the register shows them (owner by username, systems by name)."""
    if isinstance(entry, System):
        return {
            "name": entry.name,
            "kind": entry.kind,
            "owner": entry.owner.get_username() if entry.owner else "",
            "data_categories": entry.category_list,
            "rights": list(entry.rights or []),
            "retention": entry.retention,
            "location": entry.location,
            "transfer_safeguards": entry.transfer_safeguards,
            "instructions": entry.instructions,
            "connector": entry.connector,
            "dsn_env": entry.dsn_env,
            "access_query": entry.access_query,
            "erasure_statement": entry.erasure_statement,
            "timeout_seconds": entry.timeout_seconds,
            "endpoint_url": entry.endpoint_url,
            "secret_env": entry.secret_env,
        }
    return {
        "name": entry.name,
        "category": entry.category,
        "contact_email": entry.contact_email,
        "contact_url": entry.contact_url,
        "secret_env": entry.secret_env,
        "systems": sorted(s.name for s in entry.systems.all()) if entry.pk else [],
    }


def register_record(
    *,
    entry: System | Recipient,
    action: ChangeAction,
    actor: Actor,
    before: dict[str, Any] | None,
) -> RegisterChange | None:
    """Record a change of ``entry`` (``before``: its snapshot before, None when created); a save
    that changed nothing records nothing."""
    after = None if action == ChangeAction.DELETED else snapshot(entry)
    if before is not None and before == after:
        return None
    return RegisterChange.objects.create(
        organization_id=entry.organization_id,
        entry="system" if isinstance(entry, System) else "recipient",
        entry_id=entry.pk,
        name=entry.name,
        action=action,
        actor=actor,
        before=before,
        after=after,
    )


# -- Export ----------------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return SEPARATOR.join(str(v) for v in value)
    return value


def export_csv(organization: Organization) -> str:
    """The organization's systems as CSV (``SYSTEM_COLUMNS``; lists joined by "; "). The
    recipients are a file of their own (``export_recipients_csv``): one table per file is
    what a spreadsheet edits."""
    out = io.StringIO()
    writer = spreadsheet.writer(out, lineterminator="\r\n")
    writer.writerow(SYSTEM_COLUMNS)
    systems = System.objects.filter(organization=organization).select_related("owner")
    for system in systems.order_by("name"):
        values = snapshot(system)
        writer.writerow([_cell(values[c]) for c in SYSTEM_COLUMNS])
    return out.getvalue()


def export_recipients_csv(organization: Organization) -> str:
    out = io.StringIO()
    writer = spreadsheet.writer(out, lineterminator="\r\n")
    writer.writerow(RECIPIENT_COLUMNS)
    recipients = Recipient.objects.filter(organization=organization).prefetch_related("systems")
    for recipient in recipients.order_by("name"):
        values = snapshot(recipient)
        writer.writerow([_cell(values[c]) for c in RECIPIENT_COLUMNS])
    return out.getvalue()


# -- Import ----------------------------------------------------------------------------------------


class ImportRefused(Exception):
    """The CSV has errors; nothing was written. ``errors`` has one line per row and field."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Imported:
    created: int = 0
    changed: int = 0
    unchanged: int = 0


def _text(value: str | None) -> str:
    """A cell as written, without the apostrophe export put before a formula-like value."""
    value = (value or "").strip()
    if value.startswith("'") and value[1:].startswith(spreadsheet.FORMULA_PREFIXES):
        return value[1:]
    return value


def _items(value: str | None) -> list[str]:
    return [item.strip() for item in _text(value).split(";") if item.strip()]


def _rows(content: str, columns: Iterable[str]) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    header = reader.fieldnames or []
    if "name" not in header:
        raise ImportRefused([_("The first row must name the columns, among them “name”.")])
    unknown = [h for h in header if h not in columns]
    if unknown:
        raise ImportRefused(
            [_("Unknown columns: %(names)s.") % {"names": ", ".join(map(str, unknown))}]
        )
    # Row numbers as a spreadsheet shows them: the header is row 1.
    return [(number, row) for number, row in enumerate(reader, start=2)]


def _errors_of(number: int, error: ValidationError) -> list[str]:
    found = []
    for field, messages in error.message_dict.items():
        label = "" if field == "__all__" else f"{field}: "
        found += [
            _("Row %(row)d: %(field)s%(message)s")
            % {"row": number, "field": label, "message": message}
            for message in messages
        ]
    return found


@transaction.atomic
def import_systems_csv(*, organization: Organization, content: str, actor: Actor) -> Imported:
    """Create or update the organization's systems from CSV (matched by name, any case)."""
    rows = _rows(content, SYSTEM_COLUMNS)
    existing = {s.name.lower(): s for s in System.objects.filter(organization=organization)}
    users = {
        u.get_username(): u
        for u in get_user_model().objects.filter(memberships__organization=organization)
    }
    errors: list[str] = []
    planned: list[tuple[System, dict[str, Any] | None]] = []
    seen: set[str] = set()
    for number, row in rows:
        name = _text(row.get("name"))
        if name.lower() in seen:
            errors.append(
                _("Row %(row)d: the name %(name)s appears twice.") % {"row": number, "name": name}
            )
            continue
        seen.add(name.lower())
        system = existing.get(name.lower()) or System(organization=organization)
        before = snapshot(system) if system.pk else None
        for column in SYSTEM_COLUMNS:
            if column in row and column not in (
                "owner",
                "rights",
                "data_categories",
                "timeout_seconds",
            ):
                setattr(system, column, _text(row[column]))
        system.name = name
        system.kind = system.kind or SystemKind.IN_HOUSE
        system.connector = system.connector or ConnectorKind.NONE
        if "data_categories" in row:
            system.data_categories = "\n".join(_items(row["data_categories"]))
        if "rights" in row:
            system.rights = _items(row["rights"])
            unknown = [r for r in system.rights if r not in RightKind.values]
            if unknown:
                errors.append(
                    _("Row %(row)d: rights: unknown %(names)s (use %(known)s).")
                    % {
                        "row": number,
                        "names": ", ".join(unknown),
                        "known": ", ".join(RightKind.values),
                    }
                )
        if "timeout_seconds" in row and _text(row["timeout_seconds"]):
            try:
                system.timeout_seconds = int(_text(row["timeout_seconds"]))
            except ValueError:
                errors.append(
                    _("Row %(row)d: timeout_seconds: give a whole number.") % {"row": number}
                )
                continue
        if "owner" in row:
            owner = _text(row["owner"])
            if owner and owner not in users:
                errors.append(
                    _("Row %(row)d: owner: %(name)s is not a member of %(org)s.")
                    % {"row": number, "name": owner, "org": organization.name}
                )
            system.owner = users.get(owner) if owner else None
        try:
            system.full_clean(validate_unique=False)
        except ValidationError as error:
            errors += _errors_of(number, error)
        planned.append((system, before))
    if errors:
        raise ImportRefused(errors)
    result = Imported()
    for system, before in planned:
        if before is not None and snapshot(system) == before:
            result.unchanged += 1
            continue
        system.save()
        register_record(entry=system, action=ChangeAction.IMPORTED, actor=actor, before=before)
        if before is None:
            result.created += 1
        else:
            result.changed += 1
    return result


@transaction.atomic
def import_recipients_csv(*, organization: Organization, content: str, actor: Actor) -> Imported:
    """Create or update the organization's recipients from CSV (matched by name, any case)."""
    rows = _rows(content, RECIPIENT_COLUMNS)
    existing = {
        r.name.lower(): r
        for r in Recipient.objects.filter(organization=organization).prefetch_related("systems")
    }
    systems = {s.name.lower(): s for s in System.objects.filter(organization=organization)}
    errors: list[str] = []
    planned: list[tuple[Recipient, dict[str, Any] | None, list[System] | None]] = []
    for number, row in rows:
        name = _text(row.get("name"))
        recipient = existing.get(name.lower()) or Recipient(organization=organization)
        before = snapshot(recipient) if recipient.pk else None
        recipient.name = name
        for column in ("category", "contact_email", "contact_url", "secret_env"):
            if column in row:
                setattr(recipient, column, _text(row[column]))
        shared = None
        if "systems" in row:
            names = _items(row["systems"])
            unknown = [n for n in names if n.lower() not in systems]
            if unknown:
                errors.append(
                    _("Row %(row)d: systems: %(names)s not in the register.")
                    % {"row": number, "names": ", ".join(unknown)}
                )
            shared = [systems[n.lower()] for n in names if n.lower() in systems]
        try:
            recipient.full_clean(validate_unique=False)
        except ValidationError as error:
            errors += _errors_of(number, error)
        planned.append((recipient, before, shared))
    if errors:
        raise ImportRefused(errors)
    result = Imported()
    for recipient, before, shared in planned:
        recipient.save()
        if shared is not None:
            recipient.systems.set(shared)
        made = register_record(
            entry=recipient, action=ChangeAction.IMPORTED, actor=actor, before=before
        )
        if before is None:
            result.created += 1
        elif made is None:
            result.unchanged += 1
        else:
            result.changed += 1
    return result
