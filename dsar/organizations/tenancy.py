"""Tenancy: what a staff member may see, by the organizations they are a member of.

Every staff page loads its object through ``get_for_staff``: an object of another organization
answers 404, like one that does not exist, so a member of another tenant learns nothing (not even
that the id exists). Querysets that belong to an organization expose ``for_user(user)``; the
organizations themselves are ``organizations_of(user)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

from dsar.organizations.models import Organization, Role, member_roles

#: The roles that may change requests (privacy officers and handlers; auditors read).
ACTING_ROLES = (Role.PRIVACY_OFFICER, Role.HANDLER)

#: The largest id a column holds (a bigger number would fail in the database, not be "not found").
MAX_ID = 2**63 - 1

M = TypeVar("M", bound=Model)


def member_organization_ids(user: Any) -> list[int]:
    """The ids of the organizations ``user`` is a member of (read once per user object)."""
    return list(member_roles(user))


def organizations_of(user: Any) -> QuerySet[Organization]:
    """The organizations ``user`` is a member of (all of them for a superuser)."""
    if user.is_superuser:
        return Organization.objects.all()
    return Organization.objects.filter(pk__in=member_organization_ids(user))


def acting_organizations_of(
    user: Any, roles: Iterable[str] = ACTING_ROLES
) -> QuerySet[Organization]:
    """The organizations in which ``user`` holds one of ``roles``: by default those where they may
    change requests and log new ones (all for a superuser)."""
    if user.is_superuser:
        return Organization.objects.all()
    held = set(roles)
    return Organization.objects.filter(
        pk__in=[pk for pk, role in member_roles(user).items() if role in held]
    )


def get_for_staff(queryset: QuerySet[M], user: Any, **lookup: Any) -> M:
    """The one object of ``queryset`` matching ``lookup`` that ``user`` may see, else 404.

    ``queryset`` is one with ``for_user`` (requests, letters, messages…) or of organizations.
    A ``pk`` that is not a whole number, or is beyond any id, is not found rather than an error:
    it comes from a URL or a form."""
    if "pk" in lookup:
        try:
            lookup["pk"] = int(lookup["pk"])
        except (TypeError, ValueError):
            raise Http404 from None
        if not 0 < lookup["pk"] <= MAX_ID:
            raise Http404
    if queryset.model is Organization:
        visible: QuerySet[Any] = queryset.filter(pk__in=organizations_of(user).values("pk"))
    else:
        visible = queryset.for_user(user)  # type: ignore[attr-defined]
    try:
        return visible.get(**lookup)
    except ObjectDoesNotExist:
        raise Http404 from None
