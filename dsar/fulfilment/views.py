"""Staff pages of the fulfilment app, served inside the admin (``admin.py`` routes them).

Thin views: each loads its object through ``_get_task_for_user`` (404 outside the user's
organizations), checks the role, and calls a service. What a task's owner does is a service of
``tasks`` or ``runs``; the register's CSV goes through ``register``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from dsar.core.actors import staff_user
from dsar.fulfilment import notices, register, runs, tasks
from dsar.fulfilment.forms import CompleteForm, ImportForm, ReopenForm
from dsar.fulfilment.models import ConnectorRun, RecipientNotice, RunKind, Task
from dsar.organizations.admin_tenancy import PRIVACY_OFFICER_ONLY
from dsar.organizations.models import Organization, holds_role_in
from dsar.organizations.tenancy import acting_organizations_of, get_for_staff
from dsar.requests import workspace
from dsar.requests.models import PrivacyRequest


def _get_task_for_user(user: Any, pk: Any) -> Task:
    queryset = Task.objects.select_related("request__organization", "system", "owner")
    return get_for_staff(queryset, user, pk=pk)


def _context(request: HttpRequest, model_admin: Any, title: str) -> dict[str, Any]:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
    }


#: Pending tasks per page of "My tasks": an owner of every system of a busy organization can
#: hold a thousand, and one page of them all took seconds to draw (bench/request_page.py).
TASKS_PER_PAGE = 50


def my_tasks(request: HttpRequest, *, model_admin: Any) -> HttpResponse:
    """The pending tasks the user owns, across their organizations, soonest due first, a page
    at a time; then the ones they finished lately."""
    mine = Task.objects.owned_by(request.user).select_related("request__organization", "system")
    page = Paginator(mine.pending().order_by("due_date", "id"), TASKS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    pending = list(page.object_list)
    today = {o.pk: o.today() for o in {t.request.organization for t in pending}}
    rows = [
        (t, t.due_date is not None and t.due_date < today[t.request.organization_id])
        for t in pending
    ]
    done = list(mine.finished().order_by("-completed_at", "-id")[:20])
    context = {
        **_context(request, model_admin, _("My tasks")),
        "rows": rows,
        "page": page,
        "done": done,
    }
    return TemplateResponse(request, "fulfilment/my_tasks.html", context)


def _task_page(
    request: HttpRequest,
    task: Task,
    model_admin: Any,
    *,
    complete: CompleteForm | None = None,
    reopen: ReopenForm | None = None,
) -> TemplateResponse:
    can_act = workspace.can_act_on(request.user, task.request)
    offered = runs.runs_offered(task) if can_act else ()
    context = {
        **_context(request, model_admin, _("Task: %(system)s") % {"system": task.system.name}),
        "task": task,
        "privacy_request": task.request,
        "can_act": can_act,
        "complete": complete or CompleteForm(),
        "reopen": reopen or ReopenForm(),
        "runs": list(task.runs.select_related("requested_by").order_by("-requested_at", "-id")),
        "offers_access": RunKind.ACCESS in offered,
        "offers_erasure": RunKind.ERASURE_COUNT in offered,
        "offers_erasure_request": RunKind.ERASURE_REQUEST in offered,
        "latest_count": runs.unconfirmed_count(task) if RunKind.ERASURE in offered else None,
        "request_url": reverse("admin:requests_privacyrequest_change", args=[task.request_id]),
    }
    return TemplateResponse(request, "fulfilment/task_page.html", context)


def task_page(request: HttpRequest, object_id: str, *, model_admin: Any) -> HttpResponse:
    task = _get_task_for_user(request.user, object_id)
    return _task_page(request, task, model_admin)


@require_POST
def task_act(request: HttpRequest, pk: int, action: str, *, model_admin: Any) -> HttpResponse:
    """Start, complete or reopen a task, or run its connector: 404 outside the tenancy, 403
    for a read-only role."""
    task = _get_task_for_user(request.user, pk)
    if not workspace.can_act_on(request.user, task.request):
        raise PermissionDenied
    here = reverse("admin:fulfilment_task_change", args=[task.pk])
    try:
        if action == "start":
            tasks.task_start(task=task, actor=staff_user(request))
        elif action == "complete":
            complete = CompleteForm(request.POST, request.FILES)
            if not complete.is_valid():
                return _task_page(request, task, model_admin, complete=complete)
            upload = complete.cleaned_data.get("file")
            tasks.task_complete(
                task=task,
                actor=staff_user(request),
                outcome=complete.cleaned_data["outcome"],
                not_applicable=complete.cleaned_data["not_applicable"],
                records=complete.cleaned_data.get("records"),
                content=upload.read() if upload else None,
                original_name=upload.name if upload else "",
                content_type=(upload.content_type or "") if upload else "",
            )
        elif action == "reopen":
            reopen = ReopenForm(request.POST)
            if not reopen.is_valid():
                return _task_page(request, task, model_admin, reopen=reopen)
            tasks.task_reopen(
                task=task, actor=staff_user(request), reason=reopen.cleaned_data["reason"]
            )
        elif action in ("access", "erasure_count", "erasure_request"):
            runs.run_request(task=task, kind=action, actor=staff_user(request))
            messages.info(request, _("The connector run is queued; this page shows its result."))
        elif action == "erasure":
            confirms = ConnectorRun.objects.filter(
                task=task, pk=request.POST.get("confirms") or 0
            ).first()
            runs.run_request(
                task=task, kind=RunKind.ERASURE, actor=staff_user(request), confirms=confirms
            )
            messages.info(request, _("The erasure is queued; this page shows its result."))
        else:
            raise Http404
    except tasks.TaskError as error:
        messages.error(request, str(error))
    return redirect(here)


# -- The register's CSV ----------------------------------------------------------------------------


def register_export(
    request: HttpRequest, organization_id: int, what: str, *, model_admin: Any
) -> HttpResponse:
    """The organization's systems or recipients as CSV, for those who may see the register."""
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None or not holds_role_in(
        request.user, organization.pk, ("privacy_officer", "handler", "auditor")
    ):
        raise Http404
    if what == "systems":
        content = register.export_csv(organization)
    elif what == "recipients":
        content = register.export_recipients_csv(organization)
    else:
        raise Http404
    response = HttpResponse("\ufeff" + content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{organization.slug}-{what}.csv"'
    return response


def register_import(request: HttpRequest, *, model_admin: Any) -> HttpResponse:
    """Import systems or recipients from CSV: all rows or none, with each row's errors."""
    organizations = acting_organizations_of(request.user, PRIVACY_OFFICER_ONLY)
    if not organizations.exists():
        raise PermissionDenied
    errors: list[str] = []
    form = ImportForm(request.POST or None, request.FILES or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        organization = form.cleaned_data["organization"]
        importer = (
            register.import_systems_csv
            if form.cleaned_data["what"] == "systems"
            else register.import_recipients_csv
        )
        try:
            result = importer(
                organization=organization,
                content=form.cleaned_data["file"],
                actor=staff_user(request),
            )
        except register.ImportRefused as refused:
            errors = refused.errors
        else:
            messages.success(
                request,
                _("Imported: %(created)d new, %(changed)d changed, %(unchanged)d unchanged.")
                % {
                    "created": result.created,
                    "changed": result.changed,
                    "unchanged": result.unchanged,
                },
            )
            return redirect(
                reverse(f"admin:fulfilment_{model_admin.model._meta.model_name}_changelist")
            )
    context = {
        **_context(request, model_admin, _("Import the register from CSV")),
        "form": form,
        "errors": errors,
        "organizations": organizations,
    }
    return TemplateResponse(request, "fulfilment/register_import.html", context)


# -- The HTTP connector's callback -----------------------------------------------------------------


@csrf_exempt  # called by a system, not a browser: the single-use token in the URL is the key
@require_POST
def connector_callback(request: HttpRequest, token: str) -> HttpResponse:
    """A system's later answer to an HTTP connector call: 204 once taken, 400 for a body that
    is not a result (the token still works), 404 for an unknown token, 410 once answered."""
    try:
        runs.accept_callback(token=token, body=request.body.decode("utf-8", errors="replace"))
    except runs.CallbackRefused as refused:
        return JsonResponse({"error": str(refused)}, status=refused.status)
    return HttpResponse(status=204)


# -- Recipients told (Art. 19) ---------------------------------------------------------------------


def _get_request_for_user(user: Any, pk: Any) -> PrivacyRequest:
    return get_for_staff(PrivacyRequest.objects.select_related("organization"), user, pk=pk)


@require_POST
def tell_recipients(request: HttpRequest, pk: int, *, model_admin: Any) -> HttpResponse:
    """Tell the register's recipients of a rectification, erasure or restriction."""
    privacy_request = _get_request_for_user(request.user, pk)
    if not workspace.can_act_on(request.user, privacy_request):
        raise PermissionDenied
    try:
        made = notices.recipients_tell(request=privacy_request, actor=staff_user(request))
    except tasks.TaskError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(n)d recipients told.") % {"n": len(made)})
    url = reverse("admin:requests_privacyrequest_change", args=[privacy_request.pk])
    return redirect(f"{url}#tasks")


@require_POST
def send_recipients_list(request: HttpRequest, pk: int, *, model_admin: Any) -> HttpResponse:
    """Send the requester the list of the recipients told, as they asked (GDPR Art. 19)."""
    privacy_request = _get_request_for_user(request.user, pk)
    if not workspace.can_act_on(request.user, privacy_request):
        raise PermissionDenied
    try:
        notices.recipients_list_send(request=privacy_request, actor=staff_user(request))
    except tasks.TaskError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The requester was sent the list of recipients."))
    url = reverse("admin:requests_privacyrequest_change", args=[privacy_request.pk])
    return redirect(f"{url}#messages")


@require_POST
def answer_notice(request: HttpRequest, pk: int, *, model_admin: Any) -> HttpResponse:
    """Record what a recipient answered."""
    notice = RecipientNotice.objects.filter(pk=pk).select_related("request").first()
    if notice is None:
        raise Http404
    privacy_request = _get_request_for_user(request.user, notice.request_id)
    if not workspace.can_act_on(request.user, privacy_request):
        raise PermissionDenied
    try:
        notices.notice_answer(
            notice=notice, actor=staff_user(request), answer=request.POST.get("answer", "")
        )
    except tasks.TaskError as error:
        messages.error(request, str(error))
    url = reverse("admin:requests_privacyrequest_change", args=[privacy_request.pk])
    return redirect(f"{url}#tasks")
