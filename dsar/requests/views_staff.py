"""Custom pages of the staff workspace, served inside the admin (``PrivacyRequestAdmin.get_urls``).

Thin views (style rule 12): each loads the request through ``_get_request_for_user()``, which
404s for another tenant's request, checks the role, and calls one service. The services write the
changes and the audit events; a refusal (``TransitionError``) is shown on the form, with what was
typed kept, and nothing is written.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.admin import ModelAdmin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    StreamingHttpResponse,
)
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dsar import residences
from dsar.core.actors import staff_user
from dsar.organizations.tenancy import get_for_staff
from dsar.requests import csv_io, forms, services, workspace
from dsar.requests.models import (
    Flag,
    IdentityStatus,
    PrivacyRequest,
    Status,
    WaitingFor,
)
from dsar.requests.services import TransitionError

OPTS = PrivacyRequest._meta


def _get_request_for_user(user: Any, pk: Any) -> PrivacyRequest:
    """The request ``pk`` with what its page shows, if ``user`` may see it; else 404."""
    queryset = workspace.with_unsent_letters(
        PrivacyRequest.objects.select_related(
            "organization", "policy_version", "right", "channel", "assignee", "appeal_of"
        )
    )
    return get_for_staff(queryset, user, pk=pk)


def _change_url(privacy_request: PrivacyRequest) -> str:
    return reverse("admin:requests_privacyrequest_change", args=[privacy_request.pk])


def _admin_context(
    request: HttpRequest, model_admin: ModelAdmin[PrivacyRequest], title: str
) -> dict[str, Any]:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": OPTS,
        "app_label": OPTS.app_label,
        "title": title,
        "media": model_admin.media,
    }


# -- Actions on a request --------------------------------------------------------------------------

Run = Callable[[PrivacyRequest, Any, dict[str, Any], datetime.date], PrivacyRequest]


@dataclass(frozen=True)
class StaffAction:
    """A button on the request page: its form, the service it calls, and when it is offered.

    ``offered`` only decides which buttons are shown; the service alone decides what is allowed
    (a POST of an action not offered reaches the service and is refused with its message).
    """

    name: str
    label: str | Promise
    form_class: type[forms.ActionForm]
    run: Run
    offered: Callable[[PrivacyRequest], bool]
    closes: bool = False  # ends the request: shown apart, after the others


def _can_become(*targets: Status) -> Callable[[PrivacyRequest], bool]:
    return lambda r: any(r.status_enum.can_move_to(target) for target in targets)


def _asking(what: WaitingFor) -> Run:
    def run(r: PrivacyRequest, actor: Any, data: dict[str, Any], today: datetime.date) -> Any:
        return services.request_ask_requester(
            request=r,
            actor=actor,
            waiting_for=what,
            note=data["note"],
            today=today,
            fee_amount=data.get("fee_amount"),
        )

    return run


def _can_ask(what: WaitingFor) -> Callable[[PrivacyRequest], bool]:
    def offered(r: PrivacyRequest) -> bool:
        if what == WaitingFor.IDENTITY and r.identity_status == IdentityStatus.VERIFIED:
            return False
        return r.status_enum.can_move_to(Status.WAITING_REQUESTER) or (
            what == WaitingFor.IDENTITY and r.status == Status.AWAITING_VERIFICATION
        )

    return offered


ACTIONS: dict[str, StaffAction] = {
    action.name: action
    for action in [
        StaffAction(
            "start",
            _("Start work"),
            forms.NoInputForm,
            lambda r, actor, data, today: services.request_start(request=r, actor=actor),
            lambda r: r.status == Status.RECEIVED,
        ),
        StaffAction(
            "verify_identity",
            _("Verify identity"),
            forms.VerifyIdentityForm,
            lambda r, actor, data, today: services.request_verify_identity(
                request=r, actor=actor, how=data["how"], method=data["method"]
            ),
            lambda r: (
                r.is_open and r.identity_status in (IdentityStatus.PENDING, IdentityStatus.FAILED)
            ),
        ),
        StaffAction(
            "match_data_points",
            _("Record matched data points"),
            forms.MatchDataPointsForm,
            lambda r, actor, data, today: services.request_match_data_points(
                request=r, actor=actor, points=data["points"], how=data["how"]
            ),
            workspace.data_points_offered,
        ),
        StaffAction(
            "record_declaration",
            _("Record the signed declaration"),
            forms.DeclarationForm,
            lambda r, actor, data, today: services.request_record_declaration(
                request=r, actor=actor, signed_on=data["signed_on"]
            ),
            workspace.declaration_offered,
        ),
        StaffAction(
            "check_agent",
            _("Check the agent's authority"),
            forms.CheckAgentForm,
            lambda r, actor, data, today: services.request_check_agent(
                request=r, actor=actor, authority=data["authority"], how=data["how"]
            ),
            workspace.agent_check_offered,
        ),
        StaffAction(
            "consumer_confirmed_agent",
            _("Consumer confirmed the agent"),
            forms.ConsumerConfirmedAgentForm,
            lambda r, actor, data, today: services.request_consumer_confirmed_agent(
                request=r, actor=actor, confirmed_on=data["confirmed_on"], how=data["how"]
            ),
            workspace.agent_confirmation_offered,
        ),
        StaffAction(
            "acknowledge",
            _("Record acknowledgement"),
            forms.AcknowledgeForm,
            lambda r, actor, data, today: services.request_acknowledge(
                request=r, actor=actor, how=data["how"], at=data["at"]
            ),
            lambda r: r.is_open and r.acknowledged_at is None,
        ),
        StaffAction(
            "ask_clarification",
            _("Ask for clarification"),
            forms.AskRequesterForm,
            _asking(WaitingFor.CLARIFICATION),
            _can_ask(WaitingFor.CLARIFICATION),
        ),
        StaffAction(
            "ask_identity",
            _("Ask for identity information"),
            forms.AskRequesterForm,
            _asking(WaitingFor.IDENTITY),
            _can_ask(WaitingFor.IDENTITY),
        ),
        StaffAction(
            "ask_fee",
            _("Ask for a fee"),
            forms.AskFeeForm,
            _asking(WaitingFor.FEE),
            _can_ask(WaitingFor.FEE),
        ),
        StaffAction(
            "requester_answered",
            _("Requester answered"),
            forms.RequesterAnsweredForm,
            lambda r, actor, data, today: services.request_requester_answered(
                request=r, actor=actor, answered_on=data["answered_on"]
            ),
            lambda r: r.status == Status.WAITING_REQUESTER,
        ),
        StaffAction(
            "extend",
            _("Extend the deadline"),
            forms.ExtendForm,
            lambda r, actor, data, today: services.request_extend(
                request=r, actor=actor, reason=data["reason"], today=today
            ),
            workspace.extension_offered,
        ),
        StaffAction(
            "set_target",
            _("Set internal target"),
            forms.SetTargetForm,
            lambda r, actor, data, today: services.request_set_target(
                request=r, actor=actor, target=data["target"]
            ),
            lambda r: r.is_open,
        ),
        StaffAction(
            "assign",
            _("Assign"),
            forms.AssignForm,
            lambda r, actor, data, today: services.request_assign(
                request=r, actor=actor, assignee=data["assignee"]
            ),
            lambda r: r.is_open,
        ),
        StaffAction(
            "fulfil",
            _("Fulfil"),
            forms.FulfilForm,
            lambda r, actor, data, today: services.request_fulfil(
                request=r,
                actor=actor,
                reason=data["reason"],
                note=data["note"],
                override=data.get("override") or "",
            ),
            _can_become(Status.FULFILLED),
            closes=True,
        ),
        StaffAction(
            "partially_fulfil",
            _("Partially fulfil"),
            forms.PartialFulfilForm,
            lambda r, actor, data, today: services.request_fulfil(
                request=r,
                actor=actor,
                partial=True,
                reason=data["reason"],
                note=data["note"],
                exemptions=list(data.get("exemptions") or []),
                override=data.get("override") or "",
            ),
            _can_become(Status.PARTIALLY_FULFILLED),
            closes=True,
        ),
        StaffAction(
            "deny",
            _("Deny"),
            forms.DenyForm,
            lambda r, actor, data, today: services.request_deny(
                request=r,
                actor=actor,
                reason=data["reason"],
                note=data["note"],
                exemptions=list(data.get("exemptions") or []),
            ),
            _can_become(Status.DENIED),
            closes=True,
        ),
        StaffAction(
            "withdraw",
            _("Withdrawn by the requester"),
            forms.WithdrawForm,
            lambda r, actor, data, today: services.request_withdraw(
                request=r, actor=actor, note=data["note"], reason=data["reason"]
            ),
            _can_become(Status.WITHDRAWN),
            closes=True,
        ),
        StaffAction(
            "close",
            _("Close as unverifiable or duplicate"),
            forms.CloseForm,
            lambda r, actor, data, today: services.request_close(
                request=r,
                actor=actor,
                as_status=data["as_status"],
                note=data["note"],
                reason=data["reason"],
            ),
            _can_become(Status.CLOSED_UNVERIFIABLE, Status.CLOSED_DUPLICATE),
            closes=True,
        ),
    ]
}


@dataclass
class ShownAction:
    action: StaffAction
    form: forms.ActionForm
    open: bool = False  # a refused or invalid form stays unfolded, with its message


def _action_form(
    action: StaffAction, privacy_request: PrivacyRequest, today: datetime.date, data: Any = None
) -> forms.ActionForm:
    form = action.form_class(data, privacy_request=privacy_request, prefix=action.name)
    if data is None:
        for name in ("answered_on", "signed_on", "confirmed_on"):
            if name in form.fields:
                form.fields[name].initial = today
        if "assignee" in form.fields:
            form.fields["assignee"].initial = privacy_request.assignee_id
        if "at" in form.fields:
            # Now, as a wall-clock time where the organization is (the form reads it so).
            zone = ZoneInfo(privacy_request.organization.time_zone)
            now = timezone.localtime(timezone=zone).replace(second=0, microsecond=0)
            form.fields["at"].initial = now.replace(tzinfo=None)
    return form


def _shown_actions(
    privacy_request: PrivacyRequest,
    today: datetime.date,
    refused: ShownAction | None,
    exemptions: workspace.PageExemptions,
) -> list[ShownAction]:
    shown = []
    # Read once for every closing form, not once per form; dropped after, so that nothing
    # later reads a list the page's own actions may have made stale.
    privacy_request.__dict__[forms.UNSENT_LETTERS] = workspace.letters_issued_not_sent(
        privacy_request
    )
    privacy_request.__dict__[forms.OFFERED_EXEMPTIONS] = exemptions.offered
    try:
        for action in ACTIONS.values():
            if refused is not None and refused.action is action:
                shown.append(refused)
            elif action.offered(privacy_request):
                shown.append(ShownAction(action, _action_form(action, privacy_request, today)))
    finally:
        del privacy_request.__dict__[forms.UNSENT_LETTERS]
        del privacy_request.__dict__[forms.OFFERED_EXEMPTIONS]
    if refused is not None and refused not in shown:
        shown.insert(0, refused)
    return shown


# How a flag is named on the request page where its stored label would say it wrongly: a request
# without a statutory or promised date has the organization's own, and is said so (dsar never
# says that no law sets a deadline: legal-rules.md).
FLAG_LABELS: dict[str, Promise] = {
    Flag.NO_LEGAL_DEADLINE: _("date set by the organization: internal target"),
}


def _flags(privacy_request: PrivacyRequest) -> list[tuple[str, str]]:
    labels = {**dict(Flag.choices), **FLAG_LABELS}
    return [
        (str(labels.get(flag.get("code"), flag.get("code"))), flag.get("message", ""))
        for flag in privacy_request.flags
    ]


def _render_request_page(
    request: HttpRequest,
    privacy_request: PrivacyRequest,
    model_admin: ModelAdmin[PrivacyRequest],
    *,
    refused: ShownAction | None = None,
) -> TemplateResponse:
    organization = privacy_request.organization
    today = organization.today()
    can_act = workspace.can_act_on(request.user, privacy_request)
    exemptions = workspace.page_exemptions(privacy_request)
    actions = _shown_actions(privacy_request, today, refused, exemptions) if can_act else []
    events = list(privacy_request.events.all())

    def local(value: datetime.datetime | None) -> workspace.LocalTime | None:
        return workspace.local_time(value, organization) if value is not None else None

    context = {
        **_admin_context(request, model_admin, str(privacy_request)),
        "original": privacy_request,
        "privacy_request": privacy_request,
        "today": today,
        "deadline": workspace.deadline_status(privacy_request, today),
        "basis": workspace.basis_statement(privacy_request),
        "no_extension": workspace.extension_unavailable(privacy_request),
        "residence": residences.label(privacy_request.jurisdiction),
        "received": local(privacy_request.received_at),
        "acknowledged": local(privacy_request.acknowledged_at),
        "closed": local(privacy_request.closed_at),
        "flags": _flags(privacy_request),
        "events": events,
        "timeline": [(event, local(event.at)) for event in events],
        "exemptions": exemptions.relied_on,
        "verification": workspace.verification_state(privacy_request),
        "agent": workspace.agent_state(privacy_request),
        "gpc_required_by_law": workspace.gpc_required_by_law(privacy_request),
        "appeal": workspace.appeal_facts(privacy_request),
        "appeal_open_until": local(services.appeal_open_until(privacy_request)),
        "can_act": can_act,
        "actions": [a for a in actions if not a.action.closes],
        "closing_actions": [a for a in actions if a.action.closes],
        "refused": refused,
        "has_view_permission": True,
    }
    return TemplateResponse(request, "requests/request_page.html", context)


def request_page(
    request: HttpRequest, object_id: str, *, model_admin: ModelAdmin[PrivacyRequest]
) -> HttpResponse:
    """The request page (the admin's change view): details, deadline, flags, the policy's words,
    the action buttons (for those who may act) and the timeline."""
    privacy_request = _get_request_for_user(request.user, object_id)
    if not model_admin.has_view_permission(request, privacy_request):
        raise PermissionDenied
    if request.method not in ("GET", "HEAD"):
        # No field is edited as a form: every change is an action, with its service and event.
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return _render_request_page(request, privacy_request, model_admin)


@require_POST
def act(
    request: HttpRequest, pk: int, action: str, *, model_admin: ModelAdmin[PrivacyRequest]
) -> HttpResponse:
    """Run one action on a request: 404 outside the tenancy, 403 for a read-only role."""
    privacy_request = _get_request_for_user(request.user, pk)
    staff_action = ACTIONS.get(action)
    if staff_action is None:
        raise Http404
    if not workspace.can_act_on(request.user, privacy_request):
        raise PermissionDenied
    today = privacy_request.organization.today()
    form = _action_form(staff_action, privacy_request, today, data=request.POST)
    if form.is_valid():
        try:
            staff_action.run(privacy_request, request.user, form.cleaned_data, today)
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _t("%(action)s: done for %(ref)s.")
                % {"action": staff_action.label, "ref": privacy_request.reference},
            )
            # Back to the actions, not the top of the page: the browser focuses the panel the
            # fragment names (it has tabindex="-1"), so the next action is a few tab stops
            # away; the confirmation is in the messages' live region (admin/base_site.html).
            return redirect(_change_url(privacy_request) + "#actions")
    # Refused or invalid: the page again, this form unfolded with its message and its input.
    privacy_request = _get_request_for_user(request.user, pk)
    return _render_request_page(
        request, privacy_request, model_admin, refused=ShownAction(staff_action, form, open=True)
    )


# -- Intake ----------------------------------------------------------------------------------------


def intake(request: HttpRequest, *, model_admin: ModelAdmin[PrivacyRequest]) -> HttpResponse:
    """Log a request that came by email, mail, phone or fax (the admin's "add" page)."""
    if not workspace.can_log(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = forms.IntakeForm(data, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            privacy_request = services.request_log(
                actor=staff_user(request), **form.service_kwargs()
            )
        except (TransitionError, ValidationError) as error:
            messages_ = error.messages if isinstance(error, ValidationError) else [str(error)]
            form.add_error(None, messages_)
        else:
            messages.success(
                request,
                _t("Logged %(ref)s. %(deadline)s.")
                % {
                    "ref": privacy_request.reference,
                    "deadline": workspace.deadline_status(
                        privacy_request, privacy_request.organization.today()
                    ).text,
                },
            )
            return redirect(_change_url(privacy_request))
    context = {
        **_admin_context(
            request, model_admin, _t("Log a request received by email, mail, phone or fax")
        ),
        "form": form,
        "add": True,
    }
    return TemplateResponse(request, "requests/intake.html", context)


# -- Dashboard -------------------------------------------------------------------------------------

CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM = 560, 220, 24, 36


@dataclass(frozen=True)
class ChartBar:
    label: str
    x: int
    width: int
    on_time_y: float
    on_time_height: float
    late_y: float
    late_height: float
    text_y: float
    caption: str
    month: workspace.MonthOnTime


def _chart(months: list[workspace.MonthOnTime]) -> list[ChartBar]:
    """Geometry of a stacked bar per month (on time below, late above), scaled to the busiest."""
    busiest = max((m.total for m in months), default=0) or 1
    plot = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    slot = CHART_WIDTH // max(len(months), 1)
    bars = []
    for i, month in enumerate(months):
        on_h = plot * month.on_time / busiest
        late_h = plot * month.late / busiest
        base = CHART_HEIGHT - CHART_BOTTOM
        percent = month.percent_on_time
        bars.append(
            ChartBar(
                label=month.month.strftime("%b %Y"),
                x=i * slot + slot // 4,
                width=slot // 2,
                on_time_y=base - on_h,
                on_time_height=on_h,
                late_y=base - on_h - late_h,
                late_height=late_h,
                text_y=base - on_h - late_h - 6,
                caption=f"{percent}%" if percent is not None else "-",
                month=month,
            )
        )
    return bars


def dashboard(request: HttpRequest, *, model_admin: ModelAdmin[PrivacyRequest]) -> HttpResponse:
    """The queues that matter and the on-time record, for the user's organizations."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    board = workspace.dashboard(request.user)
    urgent = [(r, workspace.deadline_status(r, r.organization.today())) for r in board.urgent]
    appeals = [(r, workspace.deadline_status(r, r.organization.today())) for r in board.appeals]
    context = {
        **_admin_context(request, model_admin, _t("Requests dashboard")),
        "queues": board.queues,
        "urgent": urgent,
        "appeals": appeals,
        "todays": board.todays,
        "chart": _chart(board.on_time),
        "chart_width": CHART_WIDTH,
        "chart_height": CHART_HEIGHT,
        "chart_baseline": CHART_HEIGHT - CHART_BOTTOM,
        "changelist_url": reverse("admin:requests_privacyrequest_changelist"),
        "can_log": workspace.can_log(request.user),
    }
    return TemplateResponse(request, "requests/dashboard.html", context)


# -- CSV export ------------------------------------------------------------------------------------


class _Echo:
    """A file-like object whose write returns the line, for streaming csv rows."""

    def write(self, value: str) -> str:
        return value


def export_csv(request: HttpRequest, requests: QuerySet[PrivacyRequest]) -> StreamingHttpResponse:
    """Stream ``requests`` (already limited to the user's tenancy) as CSV, after recording the
    export in the admin's log: who exported which requests, when. The file name carries the
    time only, never a name or an address."""
    exported = list(requests.select_related(None).order_by("pk").only("pk", "reference"))
    references = [r.reference for r in exported]
    user = staff_user(request)
    services.requests_exported(requests=exported, actor=user, how=_t("CSV export"))
    LogEntry.objects.create(
        user_id=user.pk,
        content_type_id=ContentType.objects.get_for_model(PrivacyRequest).pk,
        object_id=None,
        object_repr=ngettext(
            "CSV export of %(count)d request", "CSV export of %(count)d requests", len(references)
        )
        % {"count": len(references)},
        action_flag=CHANGE,
        change_message=_t("Exported to CSV: %(refs)s") % {"refs": ", ".join(references)},
    )
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        for row in csv_io.export_rows(requests):
            yield writer.writerow(row)

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="requests-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
