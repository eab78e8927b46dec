"""The staff workspace for requests: the Django admin, customized (style rule 13).

- The list is filterable, searchable and fast on a million rows: no full COUNT(*) (a capped
  paginator, ``show_full_result_count = False``, no facets), ``list_select_related``, and filter
  choices that never scan the requests table.
- The "add" page is the intake form and the "change" page is the request page: fields are never
  edited directly, every change goes through an action button and its service, which writes the
  audit event (``views_staff``).
- Tenancy: ``get_queryset`` is ``PrivacyRequest.objects.for_user(user)``, and an object outside
  it is a 404, on every page, action and export.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, Model, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import URLPattern, path
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dsar.core.actors import staff_user
from dsar.lib.admin_search import (
    PrivateSearchChangeList,
    PrivateSearchMixin,
    is_search_post,
    recall,
)
from dsar.organizations.admin_tenancy import TenantOrganizationFilter
from dsar.organizations.tenancy import acting_organizations_of, organizations_of
from dsar.policies.models import OPT_OUT_KINDS, RightKind
from dsar.requests import services, views_staff, workspace
from dsar.requests.models import PrivacyRequest, PrivacyRequestQuerySet, RequestEvent
from dsar.requests.services import TransitionError

# A whole reference (IMG-2026-00042) or email address, looked up exactly rather than by substring.
REFERENCE_RE = re.compile(r"[A-Za-z][A-Za-z0-9]{0,11}-\d{4}-\d{5,}")
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

# -- A paginator for very large tables -------------------------------------------------------------


class CappedCountPaginator(Paginator):
    """Counts at most ``cap`` matching rows: ``SELECT COUNT(*) FROM (… LIMIT cap + 1)``.

    Counting a million rows on every page view is the slow part of a big admin list; past the
    cap the list says "more than 10,000" and the filters and search narrow it down.
    """

    cap = 10_000

    @cached_property
    def _bounded_count(self) -> int:
        rows = self.object_list[: self.cap + 1]
        # A list has no count(); the admin gives a queryset, counted in the database.
        return rows.count() if isinstance(rows, QuerySet) else len(rows)

    @cached_property
    def count(self) -> int:
        return min(self._bounded_count, self.cap)

    @property
    def more(self) -> bool:
        """Whether more rows match than were counted."""
        return self._bounded_count > self.cap


class SearchResultsPaginator(CappedCountPaginator):
    """A substring search cannot use the list's order to stop early, so counting its matches
    costs a scan; a thousand is as many as anyone pages through before refining the search."""

    cap = 1_000


# -- Filters ---------------------------------------------------------------------------------------


def _requests(queryset: QuerySet[Any]) -> PrivacyRequestQuerySet:
    """The admin's queryset, which comes from ``PrivacyRequest.objects``: a filter's ``queryset``
    is typed as any model's, and the request-only methods (``open``, ``overdue``...) need this."""
    if not isinstance(queryset, PrivacyRequestQuerySet):
        raise TypeError(f"expected requests, got {type(queryset).__name__}")
    return queryset


class DeadlineFilter(admin.SimpleListFilter):
    """Open requests by legal deadline, "today" being each organization's own today."""

    title = _("deadline")
    parameter_name = "deadline"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("overdue", _("Overdue")),
            ("week", _("Due within %(days)d days") % {"days": workspace.DUE_SOON_DAYS}),
            ("later", _("Due later")),
            ("none", _("Date set by the organization")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value == "none":
            return _requests(queryset).open().filter(due_date__isnull=True)
        if value not in ("overdue", "week", "later"):
            return queryset
        today = workspace.todays_for(request.user)
        if value == "overdue":
            return _requests(queryset).overdue(today)
        if value == "week":
            return _requests(queryset).due_within(today, workspace.DUE_SOON_DAYS)
        return (
            _requests(queryset)
            .open()
            .filter(PrivacyRequestQuerySet.due_after_q(today, workspace.DUE_SOON_DAYS))
        )


class AssigneeFilter(admin.SimpleListFilter):
    title = _("assignee")
    parameter_name = "assignee"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("me", _("Assigned to me")), ("none", _("Unassigned (open)"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        match self.value():
            case "me":
                return queryset.filter(assignee=request.user)
            case "none":
                return _requests(queryset).unassigned()
        return queryset


class ToDoFilter(admin.SimpleListFilter):
    """Open requests waiting on staff for a step other than the answer: the staff home's
    "unverified" and "unacknowledged" link here, with the same conditions, so counts agree."""

    title = _("to do")
    parameter_name = "todo"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("unverified", _("Identity not yet verified")),
            ("unacknowledged", _("Receipt not yet acknowledged")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        match self.value():
            case "unverified":
                return _requests(queryset).open().filter(PrivacyRequestQuerySet.unverified_q())
            case "unacknowledged":
                return _requests(queryset).open().filter(PrivacyRequestQuerySet.unacknowledged_q())
        return queryset


class GpcFilter(admin.SimpleListFilter):
    """Requests sent with the Global Privacy Control signal (``Sec-GPC: 1``): opt-outs of sale
    and sharing the browser made (Cal. Code Regs. tit. 11 §7025)."""

    title = _("Global Privacy Control")
    parameter_name = "gpc"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("yes", _("Sent with Global Privacy Control")),
            ("no", _("Sent without it")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        match self.value():
            case "yes":
                return queryset.filter(gpc=True)
            case "no":
                return queryset.filter(gpc=False)
        return queryset


class OptOutFilter(admin.SimpleListFilter):
    """The US state opt-outs and California's limit, together or by kind."""

    title = _("opt-out")
    parameter_name = "opt_out"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        kinds = [kind for kind in RightKind if kind in OPT_OUT_KINDS]
        return [("any", _("Every opt-out")), *[(kind.value, kind.label) for kind in kinds]]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value == "any":
            return queryset.filter(right_kind__in=[kind.value for kind in OPT_OUT_KINDS])
        if value in {kind.value for kind in OPT_OUT_KINDS}:
            return queryset.filter(right_kind=value)
        return queryset


def was_appealed() -> Exists:
    """Whether a request has an appeal: a correlated probe of the appeal_of index per row."""
    return Exists(PrivacyRequest.objects.filter(appeal_of=OuterRef("pk")))


class AppealFilter(admin.SimpleListFilter):
    """Appeals of refusals (all, or those still awaiting a decision), and the requests whose
    refusal was appealed."""

    title = _("appeals")
    parameter_name = "appeal"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("appeals", _("Appeals")),
            ("open", _("Appeals awaiting decision")),
            ("appealed", _("Requests that were appealed")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        match self.value():
            case "appeals":
                return queryset.filter(workspace.APPEALS_Q)
            case "open":
                return _requests(queryset).open().filter(workspace.APPEALS_Q)
            case "appealed":
                return queryset.filter(was_appealed())
        return queryset


class RequestChangeList(PrivateSearchChangeList):
    """The list, searching privately (``PrivateSearchChangeList``), whose rows say whether each
    was appealed (``was_appealed``), for its marker: one correlated probe per row of the page
    (through the appeal_of index), never a query per row, and none in the count."""

    def get_results(self, request: HttpRequest) -> None:
        # The page's rows only: the paginator's bounded count never runs the probe.
        super().get_results(request)
        self.result_list = self.result_list.annotate(was_appealed=was_appealed())


# -- Requests --------------------------------------------------------------------------------------


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(PrivateSearchMixin, admin.ModelAdmin):
    list_display = (
        "reference",
        "requester_name",
        "organization",
        "request_right",
        "status",
        "deadline",
        "assignee",
        "received",
    )
    list_filter = (
        ("organization", TenantOrganizationFilter),
        "right_kind",
        "status",
        DeadlineFilter,
        AssigneeFilter,
        ToDoFilter,
        GpcFilter,
        OptOutFilter,
        AppealFilter,
    )
    search_fields = ("reference", "requester_name", "requester_email")
    search_help_text = _("Reference, requester name or email.")
    list_select_related = ("organization", "assignee")
    sortable_by = ("reference", "received", "deadline", "status")
    list_per_page = 50
    paginator = CappedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    actions = ["assign_to_me", "issue_acknowledgements", "export_csv"]

    class Media:
        css = {"all": ["requests/workspace.css"]}

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return RequestChangeList

    # -- Tenancy and permissions --

    def get_queryset(self, request: HttpRequest) -> QuerySet[PrivacyRequest]:
        queryset = _requests(super().get_queryset(request)).for_user(request.user)
        if request.user.is_superuser:
            return queryset
        # The same rows, with the organizations spelled out as constants: PostgreSQL then reads
        # the index requests_org_received newest first instead of sorting every request of the
        # join (measured on 1M rows: 1.5 s -> under 25 ms for a page).
        organization_ids = list(organizations_of(request.user).values_list("pk", flat=True))
        return queryset.filter(organization_id__in=organization_ids)

    def get_paginator(
        self, request: HttpRequest, queryset: Any, per_page: int, *args: Any, **kwargs: Any
    ) -> Paginator:
        if (recall(request) or "").strip():
            return SearchResultsPaginator(queryset, per_page, *args, **kwargs)
        return super().get_paginator(request, queryset, per_page, *args, **kwargs)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[PrivacyRequest], search_term: str
    ) -> tuple[QuerySet[PrivacyRequest], bool]:
        """A whole reference or email address is looked up exactly, through an index; anything
        else is a substring search of reference, name and email (a scan of the user's rows)."""
        term = search_term.strip()
        exact = None
        if REFERENCE_RE.fullmatch(term):
            exact = queryset.filter(reference=term.upper())
        elif EMAIL_RE.fullmatch(term):
            exact = queryset.filter(requester_email__in={term, term.lower()})
        if exact is not None and exact.exists():
            return exact, False
        # Nothing exact (say, an address stored in capitals): the substring search still finds it.
        return super().get_search_results(request, queryset, search_term)

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        # The admin would redirect to its index with "doesn't exist"; another tenant's request
        # is a plain 404, like every other staff page.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # The fields of a request are never edited as a form (only through actions): the admin's
        # own change form is view-only. Without an object this is the list's "may act" check.
        if obj is not None:
            return False
        return super().has_change_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # requests and their trails are evidence

    def has_export_permission(self, request: HttpRequest) -> bool:
        # The export holds personal data of many requesters: the roles that act, not auditors.
        return super().has_change_permission(request)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "organization":
            kwargs["queryset"] = organizations_of(request.user)
        elif db_field.name == "assignee":
            kwargs["queryset"] = db_field.related_model.objects.filter(
                memberships__organization__in=organizations_of(request.user)
            ).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [field.name for field in self.model._meta.concrete_fields]

    # -- The list --

    @admin.display(description=_("right"))
    def request_right(self, obj: PrivacyRequest) -> str:
        """The right, with a marker for what the list would otherwise hide: sent with Global
        Privacy Control, an appeal (and of which request), a refusal that was appealed. Read
        from the row itself (``appeal_of_id``; ``gpc``) and the list's annotation: no query."""
        markers = []
        if obj.gpc:
            markers.append(
                format_html(
                    '<span class="marker marker-gpc" title="{}">GPC</span>',
                    _("Sent with the Global Privacy Control signal"),
                )
            )
        if getattr(obj, "was_appealed", False):
            markers.append(
                format_html('<span class="marker marker-appealed">{}</span>', _("appealed"))
            )
        return format_html(
            "{}{}",
            obj.get_right_kind_display(),
            format_html_join("", " {}", ((m,) for m in markers)),
        )

    @admin.display(description=_("deadline"), ordering="due_date")
    def deadline(self, obj: PrivacyRequest) -> str:
        status = workspace.deadline_status(obj, obj.organization.today())
        return format_html(
            '<span class="deadline deadline-{}" title="{}">{}</span>',
            status.tone,
            status.text,
            status.short,
        )

    @admin.display(description=_("received"), ordering="received_at")
    def received(self, obj: PrivacyRequest) -> str:
        """When it arrived, in the organization's time zone, named: the list mixes organizations
        of several zones, and a time in the server's zone would put a Florida evening request
        on the next day."""
        when = workspace.local_time(obj.received_at, obj.organization)
        return format_html('<time datetime="{}">{}</time>', when.iso, when.text)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # Bulk actions are POSTs: a read-only role is refused outright, not sent back quietly.
        # (A posted search is not an action: lib.admin_search turns it into a token and redirects.)
        acting = request.method == "POST" and not is_search_post(request)
        if acting and not self.has_change_permission(request):
            raise PermissionDenied
        extra_context = {
            "title": _("Requests"),
            **(extra_context or {}),
            "can_log": workspace.can_log(request.user),
        }
        return super().changelist_view(request, extra_context)

    def _outside_tenancy(self, request: HttpRequest, queryset: QuerySet[Any]) -> bool:
        """Whether the POST named requests the user may not see (queryset is already limited)."""
        if request.POST.get(ACTION_CHECKBOX_NAME) is None:
            return False
        if request.POST.get("select_across") == "1":
            return False
        selected = set(request.POST.getlist(ACTION_CHECKBOX_NAME))
        return len(selected) != queryset.count()

    @admin.action(description=_("Assign to me"), permissions=["change"])
    def assign_to_me(self, request: HttpRequest, queryset: QuerySet[PrivacyRequest]) -> None:
        if self._outside_tenancy(request, queryset):
            raise Http404
        acting = acting_organizations_of(request.user).values("pk")
        done, refused = 0, []
        for privacy_request in queryset.filter(organization__in=acting).select_related(
            "organization"
        ):
            try:
                services.request_assign(
                    request=privacy_request, actor=staff_user(request), assignee=staff_user(request)
                )
            except TransitionError as error:
                refused.append(f"{privacy_request.reference}: {error}")
            else:
                done += 1
        skipped = queryset.exclude(organization__in=acting).count()
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d request assigned to you.",
                    "%(count)d requests assigned to you.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d request skipped: you are an auditor of its organization.",
                    "%(count)d requests skipped: you are an auditor of their organizations.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
        for message in refused:
            self.message_user(request, message, messages.ERROR)

    @admin.action(description=_("Issue acknowledgement letters"), permissions=["change"])
    def issue_acknowledgements(
        self, request: HttpRequest, queryset: QuerySet[PrivacyRequest]
    ) -> None:
        """Queue an acknowledgement of receipt for each selected request of an organization the
        user acts for; the task queue renders and issues them (dsar.letters), each with its
        event on the request, so a hundred letters never hold up the page."""
        if self._outside_tenancy(request, queryset):
            raise Http404
        from dsar.letters.kinds import LetterKind
        from dsar.letters.services import letters_issue_bulk

        acting = acting_organizations_of(request.user).values("pk")
        chosen = list(queryset.filter(organization__in=acting).select_related(None).only("pk"))
        skipped = queryset.exclude(organization__in=acting).count()
        if chosen:
            letters_issue_bulk(
                requests=chosen, kind=LetterKind.ACKNOWLEDGEMENT, actor=staff_user(request)
            )
            self.message_user(
                request,
                ngettext(
                    "%(count)d acknowledgement queued: it appears on the request once issued.",
                    "%(count)d acknowledgements queued: each appears on its request once issued.",
                    len(chosen),
                )
                % {"count": len(chosen)},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d request skipped: you are an auditor of its organization.",
                    "%(count)d requests skipped: you are an auditor of their organizations.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    @admin.action(description=_("Export selected requests as CSV"), permissions=["export"])
    def export_csv(
        self, request: HttpRequest, queryset: QuerySet[PrivacyRequest]
    ) -> StreamingHttpResponse | None:
        if self._outside_tenancy(request, queryset):
            raise Http404
        acting = acting_organizations_of(request.user).values("pk")
        if queryset.exclude(organization__in=acting).exists():
            raise PermissionDenied  # an auditor of some of these organizations
        if queryset[: workspace.EXPORT_LIMIT + 1].count() > workspace.EXPORT_LIMIT:
            self.message_user(
                request,
                _("More than %(limit)d requests selected: narrow the list with the filters.")
                % {"limit": workspace.EXPORT_LIMIT},
                messages.ERROR,
            )
            return None
        return views_staff.export_csv(request, queryset)

    # -- The workspace's own pages --

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        own = {"model_admin": self}
        return [
            path(
                "dashboard/",
                view(views_staff.dashboard),
                own,
                name="requests_privacyrequest_dashboard",
            ),
            path(
                "<int:pk>/act/<slug:action>/",
                view(views_staff.act),
                own,
                name="requests_privacyrequest_act",
            ),
            *super().get_urls(),
        ]

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        return views_staff.intake(request, model_admin=self)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: Any = None,
    ) -> HttpResponse:
        return views_staff.request_page(request, object_id, model_admin=self)


# -- Events ----------------------------------------------------------------------------------------


@admin.register(RequestEvent)
class RequestEventAdmin(PrivateSearchMixin, admin.ModelAdmin):
    """The audit trail across requests, read-only (events are append-only evidence)."""

    list_display = ("at", "request", "kind", "actor_label", "summary")
    list_filter = ("kind",)
    search_fields = ("=request__reference",)
    search_help_text = _("The exact reference of a request.")
    list_select_related = ("request",)
    list_per_page = 100
    paginator = CappedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    sortable_by = ("at",)
    ordering = ("-at", "-id")

    def get_queryset(self, request: HttpRequest) -> QuerySet[RequestEvent]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(
            request__organization__in=organizations_of(request.user).values("pk")
        )

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}
