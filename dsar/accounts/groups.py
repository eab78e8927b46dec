"""The identity provider's groups said as dsar's memberships (``DSAR_OIDC_GROUP_MAP``).

The map reads ``group=org-slug:role`` entries separated by commas, e.g.::

    DSAR_OIDC_GROUP_MAP="privacy-img=img:privacy_officer,support=img:handler,support=imt:handler"

A group may appear several times (one group, several organizations), and several groups may name
the same organization: the strongest role wins (privacy officer, then handler, then auditor).
Pure: no database, so the system check can parse the setting at startup.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dsar.organizations.models import Role

#: Strongest first: where several groups give one organization a role, the first of these wins.
STRENGTH = (Role.PRIVACY_OFFICER, Role.HANDLER, Role.AUDITOR)


class GroupMapError(ValueError):
    """``DSAR_OIDC_GROUP_MAP`` cannot be read."""


@dataclass(frozen=True)
class Grant:
    group: str
    organization: str  # slug
    role: Role


def parse(text: str) -> list[Grant]:
    """The entries of the map. An entry is ``group=org-slug:role``; the group is what precedes
    the last ``=`` (a group path may contain one), the role one of dsar's role values."""
    grants = []
    for raw in text.split(","):
        entry = raw.strip()
        if not entry:
            continue
        group, sep, target = entry.rpartition("=")
        organization, colon, role = target.partition(":")
        group, organization, role = group.strip(), organization.strip(), role.strip()
        if not sep or not colon or not group or not organization:
            raise GroupMapError(f"{entry!r} is not group=org-slug:role")
        if role not in Role.values:
            raise GroupMapError(
                f"{entry!r}: the role must be one of {', '.join(Role.values)}, not {role!r}"
            )
        grants.append(Grant(group, organization, Role(role)))
    return grants


def managed_organizations(grants: Iterable[Grant]) -> set[str]:
    """The organizations whose memberships single sign-on decides: every one the map names.
    A membership in an organization the map does not name is left as staff set it."""
    return {grant.organization for grant in grants}


def roles_for(groups: Iterable[str], grants: Iterable[Grant]) -> dict[str, Role]:
    """The role in each organization that ``groups`` give, by organization slug."""
    mine = set(groups)
    found: dict[str, Role] = {}
    for grant in grants:
        if grant.group not in mine:
            continue
        current = found.get(grant.organization)
        if current is None or STRENGTH.index(grant.role) < STRENGTH.index(current):
            found[grant.organization] = grant.role
    return found
