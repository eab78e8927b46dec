"""Tenancy for admin pages outside the request workspace: organizations and policies.

The role groups (migration ``organizations 0003``) hand out model permissions across every
organization; ``Membership`` says where they apply. These mixins make the admin check both, as the
request pages do: a staff member sees the rows of the organizations they are a member of, changes
only those where they hold a writing role, and another tenant's object answers 404 on every URL
(change, history, delete and custom views), never the admin's "doesn't exist" redirect, which
would tell that the id exists.

Each admin names the path from its model to the organization in ``organization_path``.
``ReadOnlyTenantAdmin`` is the same for what the system records about requests (letters,
submissions, reminders): members of the request's organization view it, nobody edits it here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest

from dsar.lib.admin_search import PrivateSearchMixin
from dsar.organizations.models import Organization, Role, holds_role_anywhere, holds_role_in
from dsar.organizations.tenancy import ACTING_ROLES, acting_organizations_of, organizations_of

# Writing a policy, or an organization's staff list, is a privacy officer's job: a handler
# acts on requests, not on what the organization promises or who works on them.
PRIVACY_OFFICER_ONLY: tuple[str, ...] = (Role.PRIVACY_OFFICER.value,)


class TenantOrganizationFilter(admin.RelatedFieldListFilter):
    """An organization filter that lists the user's organizations only: never another tenant's
    name, and no scan of the filtered table to find its choices."""

    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> list[Any]:
        return [(o.pk, str(o)) for o in organizations_of(request.user).order_by("name")]


class TenantAdminMixin:
    """A ``ModelAdmin`` whose rows belong to an organization through ``organization_path``.

    - ``get_queryset``: the rows of the user's organizations (all for a superuser;
      ``tenant_rows`` says which).
    - ``get_object``: 404 for a row outside them.
    - add, change and delete: the model permission *and* one of ``writing_roles`` in the row's
      organization (a privacy officer of one organization may be an auditor of another).
    - foreign keys to ``Organization``: only the organizations where the user may write.
    """

    organization_path: str = "organization"
    writing_roles: tuple[str, ...] = tuple(ACTING_ROLES)

    def organization_id_of(self, obj: Model) -> int | None:
        """The id of the organization ``obj`` belongs to, following ``organization_path``."""
        if self.organization_path == "pk":
            return obj.pk
        *hops, last = self.organization_path.split("__")
        current: Model | None = obj
        for hop in hops:
            current = getattr(current, hop, None)
            if current is None:
                return None
        return getattr(current, f"{last}_id", None)

    def writing_organizations(self, request: HttpRequest) -> QuerySet[Organization]:
        return acting_organizations_of(request.user, self.writing_roles)

    def may_write(self, request: HttpRequest, obj: Model | None) -> bool:
        """Whether the user holds a writing role where ``obj`` belongs (anywhere, for None)."""
        if obj is None:
            return holds_role_anywhere(request.user, self.writing_roles)
        return holds_role_in(request.user, self.organization_id_of(obj), self.writing_roles)

    def tenant_rows(self, request: HttpRequest) -> Q:
        """The rows the user may see (a superuser sees all): their organizations' rows."""
        return Q(**{f"{self.organization_path}__in": organizations_of(request.user).values("pk")})

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        if request.user.is_superuser:
            return queryset
        return queryset.filter(self.tenant_rows(request))

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        obj = super().get_object(request, object_id, from_field)  # type: ignore[misc]
        if obj is None:
            raise Http404
        return obj

    def has_add_permission(self, request: HttpRequest) -> bool:
        allowed = super().has_add_permission(request)  # type: ignore[misc]
        return allowed and self.may_write(request, None)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)  # type: ignore[misc]
        return allowed and (obj is None or self.may_write(request, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)  # type: ignore[misc]
        return allowed and (obj is None or self.may_write(request, obj))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model is Organization:
            kwargs["queryset"] = self.writing_organizations(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class TenantInlineMixin:
    """An inline on a tenant's object: rows are added, changed or deleted only where the user
    holds one of ``writing_roles`` in the parent's organization (``parent_organization_id``)."""

    writing_roles: tuple[str, ...] = tuple(ACTING_ROLES)

    def parent_organization_id(self, obj: Model) -> int | None:
        return getattr(obj, "organization_id", None)

    def _may_write(self, request: HttpRequest, obj: Model | None) -> bool:
        if obj is None:
            return holds_role_anywhere(request.user, self.writing_roles)
        return holds_role_in(request.user, self.parent_organization_id(obj), self.writing_roles)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_add_permission(request, obj)  # type: ignore[misc]
        return allowed and self._may_write(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)  # type: ignore[misc]
        return allowed and self._may_write(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)  # type: ignore[misc]
        return allowed and self._may_write(request, obj)


class ReadOnly:
    """No adding, changing or deleting through the admin (an admin or an inline)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyTenantAdmin(ReadOnly, PrivateSearchMixin, TenantAdminMixin, admin.ModelAdmin):
    """A read-only list of rows that belong to a request: the rows of the user's
    organizations, 404 for another's, searched by token."""

    organization_path = "request__organization"
