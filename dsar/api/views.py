"""The API's views: thin, over the same services, tenancy and rules as the staff pages.

Every view starts from the key's organization (``ApiView.organization_id``): another
organization's object is a 404, never a 403 that would tell it exists. Every write runs inside
``events.acting_as(key.label)``, so each event it writes names the key ("api:crm-sync"), with
``actor=None``: a key is not a staff member. Actions on a request call the very functions of
the staff page's buttons (``views_staff.ACTIONS``), so the rules, the events and the refusals
are the same; a refusal is a 409 problem with the service's message.
"""

from __future__ import annotations

import contextlib
import logging
import time
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from dsar.api import idempotency
from dsar.api import serializers as s
from dsar.api.auth import ApiClient
from dsar.api.problems import Gone
from dsar.correspondence import selectors as correspondence_selectors
from dsar.correspondence import services as correspondence_services
from dsar.fulfilment import tasks as task_services
from dsar.fulfilment.models import Task
from dsar.intake import selectors as intake_selectors
from dsar.letters import services as letter_services
from dsar.letters.models import DataPackage, Letter
from dsar.letters.views import _file_response
from dsar.organizations.models import Organization
from dsar.policies.models import Channel, ChannelKind, PolicyVersion, Right
from dsar.requests import events, reports, services, views_staff
from dsar.requests.models import PrivacyRequest, PrivacyRequestQuerySet, Status
from dsar.webhooks.models import receiving_known

access_log = logging.getLogger("dsar.api.access")

PROBLEM = OpenApiResponse(
    OpenApiTypes.OBJECT, description="A problem document (application/problem+json)"
)
ERRORS = {400: PROBLEM, 401: PROBLEM, 403: PROBLEM, 404: PROBLEM, 429: PROBLEM}
WRITE_ERRORS = {**ERRORS, 409: PROBLEM}


class ApiView(viewsets.GenericViewSet):
    """The base of every API view: tenancy, the key's label on the trail, the access log."""

    _acting: Any = None
    _started: float = 0.0

    @property
    def client(self) -> ApiClient:
        return self.request.user  # type: ignore[return-value]

    @property
    def organization_id(self) -> int:
        if getattr(self, "swagger_fake_view", False):
            return 0  # the schema generator's call: no key, no rows
        return self.client.organization_id

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self._started = time.perf_counter()
        super().initial(request, *args, **kwargs)
        self._acting = events.acting_as(self.client.label)
        self._acting.__enter__()

    # DRF finalizes any HttpResponse (a PDF, a ZIP); its stubs say a Response only.
    def finalize_response(  # type: ignore[override]
        self, request: Request, response: HttpResponse, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        if self._acting is not None:
            self._acting.__exit__(None, None, None)
            self._acting = None
        limit = getattr(request, "rate_limit", None)
        if limit is not None:
            response["RateLimit-Limit"] = str(limit[0])
            response["RateLimit-Remaining"] = str(limit[1])
            response["RateLimit-Reset"] = str(int(limit[2]))
        response = super().finalize_response(
            request,
            response,  # type: ignore[arg-type]
            *args,
            **kwargs,
        )
        # One line per call, without personal data: the key's prefix, the route's pattern
        # (never the path's values), the status and the time.
        if access_log.isEnabledFor(logging.INFO):
            user = getattr(request, "_user", None)
            match = request._request.resolver_match
            access_log.info(
                "key=%s %s %s %s %.1fms",
                user.api_key.prefix if isinstance(user, ApiClient) else "-",
                request.method,
                match.view_name if match else "-",
                response.status_code,
                (time.perf_counter() - self._started) * 1000,
            )
        return response


# -- Organizations and policies --------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="The key's organization (a list of one)", responses=ERRORS),
    retrieve=extend_schema(summary="The key's organization", responses=ERRORS),
)
class OrganizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiView):
    serializer_class = s.OrganizationSerializer
    lookup_field = "slug"
    pagination_class = None

    def get_queryset(self) -> QuerySet[Organization]:
        return Organization.objects.filter(pk=self.organization_id)

    @extend_schema(
        summary="The years the CCPA §7102 report covers",
        operation_id="organizations_report_years",
        responses={200: s.ReportYearsSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get"], url_path="reports")
    def report_years(self, request: Request, slug: str) -> Response:
        organization = self.get_object()
        return Response(
            {"organization": organization.slug, "years": reports.report_years(organization)}
        )

    @extend_schema(
        summary="The CCPA §7102 figures of a year (as /staff/reports/)",
        operation_id="organizations_report",
        parameters=[OpenApiParameter("year", int, OpenApiParameter.PATH)],
        responses={200: s.ReportSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get"], url_path=r"reports/(?P<year>\d{4})")
    def report(self, request: Request, slug: str, year: str) -> Response:
        organization = self.get_object()
        report = reports.request_metrics(organization=organization, year=int(year))
        return Response(s.ReportSerializer(report).data)


@extend_schema_view(
    list=extend_schema(summary="Policy versions of the key's organization", responses=ERRORS),
    retrieve=extend_schema(
        summary="A policy version with its rights and channels", responses=ERRORS
    ),
)
class PolicyVersionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiView):
    pagination_class = None

    def get_serializer_class(self) -> type[serializers.Serializer]:
        if self.action == "retrieve":
            return s.PolicyVersionDetailSerializer
        return s.PolicyVersionSerializer

    def get_queryset(self) -> QuerySet[PolicyVersion]:
        versions = PolicyVersion.objects.filter(organization_id=self.organization_id)
        versions = versions.select_related("organization").defer("text")
        if self.action == "retrieve":
            versions = versions.prefetch_related(
                Prefetch(
                    "rights",
                    queryset=Right.objects.prefetch_related("channels", "exemptions"),
                ),
                Prefetch("channels", queryset=Channel.objects.prefetch_related("designated_for")),
            )
        return versions


# -- Requests --------------------------------------------------------------------------------------


class RequestCursor(CursorPagination):
    """Newest first, as the staff list; a cursor, never a COUNT over a million rows."""

    ordering = ("-received_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class RequestFilters(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    right = serializers.ChoiceField(
        choices=[(k, k) for k in sorted(s.RightKind.values)], required=False
    )
    organization = serializers.SlugField(required=False)
    overdue = serializers.BooleanField(required=False, default=None, allow_null=True)
    due_before = serializers.DateField(required=False)
    assignee = serializers.CharField(required=False)


REQUEST_FILTERS = [
    OpenApiParameter("status", str, enum=Status.values),
    OpenApiParameter("right", str, enum=sorted(s.RightKind.values)),
    OpenApiParameter("organization", str, description="Slug (the key's own organization)."),
    OpenApiParameter("overdue", bool, description="true: open requests past their deadline."),
    OpenApiParameter("due_before", OpenApiTypes.DATE, description="Open, due before this day."),
    OpenApiParameter("assignee", str, description='A username, or "none" for unassigned.'),
]


def _action_view(name: str, serializer: type[s.ActionSerializer], summary: str) -> Any:
    """A POST on a request that runs the staff page's action ``name`` (or a note)."""

    def run(self: RequestViewSet, request: Request, reference: str) -> Response:
        privacy_request = self.get_object()
        given = serializer(data=request.data, context={"privacy_request": privacy_request})
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        today = privacy_request.organization.today()
        staff_action = name
        if name == "note":
            done = services.request_note(request=privacy_request, actor=None, text=data["text"])
        else:
            if name == "ask_requester":
                staff_action = f"ask_{data['waiting_for']}"
            if "override_reason" in data:
                data["override"] = data.pop("override_reason")
            data.setdefault("answered_on", today)
            data.setdefault("at", timezone.now())
            done = views_staff.ACTIONS[staff_action].run(privacy_request, None, data, today)
        return Response(s.RequestSerializer(self._fresh(done)).data)

    run.__name__ = name
    return extend_schema(
        summary=summary, request=serializer, responses={200: s.RequestSerializer, **WRITE_ERRORS}
    )(
        action(
            detail=True,
            methods=["post"],
            url_path=name.replace("_", "-"),
            serializer_class=serializer,
        )(run)
    )


@extend_schema_view(
    list=extend_schema(
        summary="Requests of the key's organization, newest first",
        parameters=REQUEST_FILTERS,
        responses={200: s.RequestSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(summary="A request", responses=ERRORS),
)
class RequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiView):
    serializer_class = s.RequestSerializer
    lookup_field = "reference"
    lookup_value_regex = r"[A-Za-z0-9-]+"
    pagination_class = RequestCursor

    def get_queryset(self) -> QuerySet[PrivacyRequest]:
        requests = PrivacyRequest.objects.filter(organization_id=self.organization_id)
        requests = requests.select_related("organization", "assignee")
        if self.action == "list":
            requests = self._filtered(requests)
        return requests

    def _filtered(self, requests: PrivacyRequestQuerySet) -> PrivacyRequestQuerySet:
        given = RequestFilters(data=self.request.query_params)
        given.is_valid(raise_exception=True)
        f = given.validated_data
        if f.get("organization"):
            requests = requests.filter(organization__slug=f["organization"])
        if f.get("status"):
            requests = requests.filter(status=f["status"])
        if f.get("right"):
            requests = requests.filter(right_kind=f["right"])
        if f.get("overdue") is not None:
            organization = Organization.objects.only("time_zone").get(pk=self.organization_id)
            overdue = requests.overdue(organization.today())
            requests = overdue if f["overdue"] else requests.exclude(pk__in=overdue.values("pk"))
        if f.get("due_before"):
            requests = requests.due_before(f["due_before"])
        if f.get("assignee") == "none":
            requests = requests.unassigned()
        elif f.get("assignee"):
            requests = requests.filter(assignee__username=f["assignee"])
        return requests

    def _fresh(self, privacy_request: PrivacyRequest) -> PrivacyRequest:
        return self.get_queryset().get(pk=privacy_request.pk)

    @extend_schema(
        summary="Create a request (channel api); idempotent with an Idempotency-Key header",
        request=s.RequestCreateSerializer,
        responses={201: s.RequestSerializer, 422: PROBLEM, **WRITE_ERRORS},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description="The same key and body within 24 hours: the same answer, one request.",
            )
        ],
    )
    def create(self, request: Request) -> Response:
        # Taken before the policy is read, so the version read is the one in force at receipt.
        now = timezone.now()
        given = s.RequestCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        received_at = data.pop("received_at", None) or now
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > 255:
            raise serializers.ValidationError({"Idempotency-Key": "At most 255 characters."})
        # The version in force, read as the public form reads it (kept per process, checked
        # by row version); request_log reads another when received_at says so. The check and
        # the webhook subscriptions were read with the key, when it was (``keys.ReadAhead``).
        api_key, ahead = self.client.api_key, self.client.ahead
        organization, version = intake_selectors.form_policy(
            api_key.organization.slug,
            **({"row_versions": ahead.form_rows} if ahead else {}),
        )
        if organization is None or organization.pk != self.organization_id:
            organization, version = api_key.organization, None
        known = receiving_known(self.organization_id, ahead.hooks) if ahead else None
        with known or contextlib.nullcontext():
            if not key:
                created = self._log(organization, version, received_at, data)
                return self._created(s.RequestSerializer(created).data, created)
            with transaction.atomic():
                claimed = idempotency.claim(
                    api_key=api_key,
                    key=key,
                    digest=idempotency.body_digest(request.data),
                    now=now,
                )
                if claimed.replay is not None:
                    code, body = claimed.replay
                    response = Response(body, status=code)
                    response["Idempotent-Replayed"] = "true"
                    response["Location"] = body["url"]
                    return response
                created = self._log(organization, version, received_at, data)
                body = s.RequestSerializer(created).data
                idempotency.store(claimed, status_code=201, response=body, request_id=created.pk)
            return self._created(body, created)

    def _log(
        self,
        organization: Organization,
        version: PolicyVersion | None,
        received_at: Any,
        data: dict[str, Any],
    ) -> PrivacyRequest:
        return services.request_log(
            organization=organization,
            channel_kind=ChannelKind.API,
            received_at=received_at,
            actor=None,
            actor_label=self.client.label,
            policy_version=version,
            **data,
        )

    def _created(self, body: Any, created: PrivacyRequest) -> Response:
        response = Response(body, status=status.HTTP_201_CREATED)
        response["Location"] = body["url"]
        return response

    # The staff page's actions, as POSTs on the request.
    start = _action_view("start", s.NoInputSerializer, "Start work")
    assign = _action_view("assign", s.AssignSerializer, "Assign (or unassign)")
    verify_identity = _action_view(
        "verify_identity", s.VerifyIdentitySerializer, "Record how the identity was verified"
    )
    ask_requester = _action_view(
        "ask_requester", s.AskRequesterSerializer, "Ask for identity, clarification or a fee"
    )
    requester_answered = _action_view(
        "requester_answered", s.RequesterAnsweredSerializer, "The requester answered"
    )
    extend = _action_view("extend", s.ExtendSerializer, "Extend the deadline")
    set_target = _action_view("set_target", s.SetTargetSerializer, "Set the internal target")
    acknowledge = _action_view(
        "acknowledge", s.AcknowledgeSerializer, "Record an acknowledgement of receipt"
    )
    fulfil = _action_view("fulfil", s.FulfilSerializer, "Close as fulfilled")
    partially_fulfil = _action_view(
        "partially_fulfil", s.PartialFulfilSerializer, "Close as partly fulfilled"
    )
    deny = _action_view("deny", s.OutcomeSerializer, "Deny")
    withdraw = _action_view("withdraw", s.ClosingSerializer, "Withdrawn by the requester")
    close = _action_view("close", s.CloseSerializer, "Close as unverifiable or duplicate")
    note = _action_view("note", s.NoteSerializer, "Add a staff note to the timeline")

    @extend_schema(
        summary="The request's timeline (read-only)",
        responses={200: s.EventSerializer(many=True), **ERRORS},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request: Request, reference: str) -> Response:
        privacy_request = self.get_object()
        return Response(s.EventSerializer(privacy_request.events.all(), many=True).data)

    @extend_schema(
        methods=["GET"],
        summary="The request's letters",
        responses={200: s.LetterSerializer(many=True), **ERRORS},
    )
    @extend_schema(
        methods=["POST"],
        summary="Issue a letter (rendered, archived with its SHA-256, on the timeline)",
        request=s.LetterIssueSerializer,
        responses={201: s.LetterSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def letters(self, request: Request, reference: str) -> Response:
        privacy_request = self.get_object()
        if request.method == "GET":
            letters = Letter.objects.filter(request=privacy_request).select_related("request")
            return Response(s.LetterSerializer(letters.order_by("number"), many=True).data)
        given = s.LetterIssueSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        corrects = None
        if given.validated_data.get("corrects") is not None:
            corrects = get_object_or_404(
                Letter, pk=given.validated_data["corrects"], request=privacy_request
            )
        letter = letter_services.letter_issue(
            request=privacy_request,
            kind=given.validated_data["kind"],
            actor=None,
            parts=given.validated_data["parts"],
            corrects=corrects,
        )
        return Response(s.LetterSerializer(letter).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The request's data packages",
        responses={200: s.DataPackageSerializer(many=True), **ERRORS},
    )
    @action(detail=True, methods=["get"], url_path="data-packages", pagination_class=None)
    def data_packages(self, request: Request, reference: str) -> Response:
        privacy_request = self.get_object()
        packages = DataPackage.objects.filter(request=privacy_request).select_related("request")
        return Response(s.DataPackageSerializer(packages.order_by("number"), many=True).data)

    @extend_schema(
        summary="The request's tasks: one per system of the register its right applies to",
        responses={200: s.TaskSerializer(many=True), **ERRORS},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def tasks(self, request: Request, reference: str) -> Response:
        privacy_request = self.get_object()
        found = _tasks().filter(request=privacy_request).order_by("system__name", "id")
        return Response(s.TaskSerializer(found, many=True).data)

    @extend_schema(
        methods=["GET"],
        summary="The request's messages, oldest first (bodies included: see docs/api.md)",
        responses={200: s.MessageSerializer(many=True), **ERRORS},
    )
    @extend_schema(
        methods=["POST"],
        summary="Write to the requester: stored, on the timeline, emailed through the outbox",
        request=s.MessageSendSerializer,
        responses={201: s.MessageSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def messages(self, request: Request, reference: str) -> Response:
        privacy_request = self.get_object()
        if request.method == "GET":
            conversation = correspondence_selectors.conversation(privacy_request)
            return Response(s.MessageSerializer(conversation, many=True).data)
        given = s.MessageSendSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        message = correspondence_services.message_send(
            request=privacy_request,
            actor=None,
            subject=given.validated_data["subject"],
            body=given.validated_data["body"],
        )
        return Response(s.MessageSerializer(message).data, status=status.HTTP_201_CREATED)


# -- Tasks -----------------------------------------------------------------------------------------


def _tasks() -> QuerySet[Task]:
    return Task.objects.select_related("request", "system", "owner", "completed_by")


@extend_schema_view(retrieve=extend_schema(summary="A task", responses=ERRORS))
class TaskViewSet(mixins.RetrieveModelMixin, ApiView):
    """A task of one of the organization's requests, and the task page's three buttons; each
    runs the page's service (``fulfilment.tasks``), which records the event on the request's
    timeline (``task_completed`` is also the ``task.completed`` webhook)."""

    serializer_class = s.TaskSerializer

    def get_queryset(self) -> QuerySet[Task]:
        return _tasks().filter(request__organization_id=self.organization_id)

    def _answer(self, task: Task) -> Response:
        return Response(s.TaskSerializer(self.get_queryset().get(pk=task.pk)).data)

    @extend_schema(
        summary="Start the task", request=None, responses={200: s.TaskSerializer, **WRITE_ERRORS}
    )
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str) -> Response:
        return self._answer(task_services.task_start(task=self.get_object(), actor=None))

    @extend_schema(
        summary="Complete the task, saying what was done (for access: with the rows found)",
        request=s.TaskCompleteSerializer,
        responses={200: s.TaskSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        task = self.get_object()
        given = s.TaskCompleteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        done = task_services.task_complete(
            task=task,
            actor=None,
            outcome=given.validated_data["outcome"],
            not_applicable=given.validated_data["not_applicable"],
            records=given.validated_data["records"],
        )
        return self._answer(done)

    @extend_schema(
        summary="Reopen a finished task, saying why",
        request=s.TaskReopenSerializer,
        responses={200: s.TaskSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        task = self.get_object()
        given = s.TaskReopenSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        reopened = task_services.task_reopen(
            task=task, actor=None, reason=given.validated_data["reason"]
        )
        return self._answer(reopened)


# -- Letters and data packages ---------------------------------------------------------------------


@extend_schema_view(retrieve=extend_schema(summary="A letter", responses=ERRORS))
class LetterViewSet(mixins.RetrieveModelMixin, ApiView):
    serializer_class = s.LetterSerializer

    def get_queryset(self) -> QuerySet[Letter]:
        return Letter.objects.filter(request__organization_id=self.organization_id).select_related(
            "request"
        )

    @extend_schema(
        summary="Release the letter to the requester and queue the email that carries it",
        request=s.LetterSendSerializer,
        responses={202: s.DeliverySerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def send(self, request: Request, pk: str) -> Response:
        letter = self.get_object()
        given = s.LetterSendSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        delivery = letter_services.letter_send(
            letter=letter, actor=None, method=given.validated_data["method"]
        )
        return Response(s.DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="The letter's PDF, as archived (Repr-Digest: its SHA-256)",
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            410: PROBLEM,
            **ERRORS,
        },
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, pk: str) -> HttpResponse:
        letter = self.get_object()
        if letter.purged_at is not None:
            raise Gone("This letter's PDF was deleted when the request's data was purged.")
        return _file_response(
            letter.read(), filename=letter.filename, content_type="application/pdf"
        )


@extend_schema_view(retrieve=extend_schema(summary="A data package", responses=ERRORS))
class DataPackageViewSet(mixins.RetrieveModelMixin, ApiView):
    serializer_class = s.DataPackageSerializer

    def get_queryset(self) -> QuerySet[DataPackage]:
        return DataPackage.objects.filter(
            request__organization_id=self.organization_id
        ).select_related("request")

    @extend_schema(
        summary="The package's ZIP (Repr-Digest: its SHA-256)",
        responses={(200, "application/zip"): OpenApiTypes.BINARY, 410: PROBLEM, **ERRORS},
    )
    @action(detail=True, methods=["get"])
    def zip(self, request: Request, pk: str) -> HttpResponse:
        package = self.get_object()
        if package.file_deleted:
            raise Gone("This package's ZIP was deleted: its link expired or the data was purged.")
        return _file_response(
            package.read(), filename=package.filename, content_type="application/zip"
        )
