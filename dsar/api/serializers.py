"""What the API reads and writes, field by field.

Serializers only check input (types, choices, lengths, what the staff forms check) and shape
output; every decision about a request is its service's (``dsar.requests.services``), which the
views call as the staff pages do. Output never needs a query beyond the view's own
(``select_related``): the organization is shown by slug, the assignee by username.
"""

from __future__ import annotations

import copy
import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dsar import residences
from dsar.correspondence.models import Message
from dsar.correspondence.services import MAX_BODY
from dsar.fulfilment.models import System, Task
from dsar.letters.kinds import LetterKind
from dsar.letters.models import DataPackage, DeliveryMethod, Letter
from dsar.organizations.models import Organization
from dsar.policies.models import Channel, Exemption, PolicyVersion, Right, RightKind
from dsar.requests import workspace
from dsar.requests.models import (
    PrivacyRequest,
    RequestEvent,
    Status,
    VerificationMethod,
    WaitingFor,
)

# -- Organizations and policies --------------------------------------------------------------------


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = [
            "slug",
            "name",
            "legal_name",
            "reference_prefix",
            "time_zone",
            "jurisdictions",
            "out_of_scope",
            "currency",
            "web_form_enabled",
        ]


class PolicyVersionSerializer(serializers.ModelSerializer):
    organization: serializers.SlugRelatedField[Organization] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = PolicyVersion
        fields = [
            "id",
            "organization",
            "number",
            "status",
            "title",
            "effective_date",
            "source",
            "in_force_from",
            "in_force_until",
        ]


class ExemptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Exemption
        fields = ["id", "name", "clause"]


class RightSerializer(serializers.ModelSerializer):
    channels: serializers.SlugRelatedField[Channel] = serializers.SlugRelatedField(
        slug_field="key", many=True, read_only=True
    )
    exemptions = ExemptionSerializer(many=True, read_only=True)

    class Meta:
        model = Right
        fields = [
            "kind",
            "clause",
            "channels",
            "identity_verification",
            "fee",
            "frequency_limit",
            "deadline_promise",
            "deadline_rule",
            "requires",
            "exemptions",
        ]


class ChannelSerializer(serializers.ModelSerializer):
    designated_for: serializers.SlugRelatedField[Right] = serializers.SlugRelatedField(
        slug_field="kind", many=True, read_only=True
    )

    class Meta:
        model = Channel
        fields = ["key", "kind", "address", "notes", "designated_for"]


class PolicyVersionDetailSerializer(PolicyVersionSerializer):
    rights = RightSerializer(many=True, read_only=True)
    channels = ChannelSerializer(many=True, read_only=True)

    class Meta(PolicyVersionSerializer.Meta):
        fields = [*PolicyVersionSerializer.Meta.fields, "rights", "channels"]


# -- Requests --------------------------------------------------------------------------------------


class FlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class RequestSerializer(serializers.ModelSerializer):
    """A request as staff see it on its page, with the requester's data (the key is the
    organization's own system)."""

    organization: serializers.SlugRelatedField[Organization] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    assignee: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    flags = FlagSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = PrivacyRequest
        fields = [
            "reference",
            "url",
            "organization",
            "policy_version",
            "right_kind",
            "channel_kind",
            "designated",
            "status",
            "received_at",
            "received_on",
            "clock_started_on",
            "due_date",
            "deadline_rule",
            "deadline_basis",
            "extended",
            "internal_target",
            "acknowledge_by",
            "acknowledged_at",
            "identity_status",
            "waiting_for",
            "waiting_since",
            "fee_amount",
            "fee_currency",
            "assignee",
            "flags",
            "outcome_reason",
            "closed_at",
            "requester_name",
            "requester_email",
            "requester_phone",
            "requester_address",
            "jurisdiction",
            "language",
            "is_agent",
            "agent_name",
            "subject_line",
            "message",
        ]
        read_only_fields = fields

    def get_url(self, obj: PrivacyRequest) -> str:
        return request_url(obj.reference)

    def to_representation(self, instance: PrivacyRequest) -> dict[str, Any]:
        """The fields above, written out directly. A ModelSerializer builds and deep-copies its
        forty fields on every use, which was a third of the CPU a creation cost through the
        API (bench/api_throughput.py); the declaration above stays the schema, and
        ``tests/api/test_serializers.py`` checks that both give the same answer."""
        r = instance
        return {
            "reference": r.reference,
            "url": request_url(r.reference),
            "organization": r.organization.slug,
            "policy_version": r.policy_version_id,
            "right_kind": r.right_kind,
            "channel_kind": r.channel_kind,
            "designated": r.designated,
            "status": r.status,
            "received_at": _instant(r.received_at),
            "received_on": _day(r.received_on),
            "clock_started_on": _day(r.clock_started_on),
            "due_date": _day(r.due_date),
            "deadline_rule": r.deadline_rule,
            "deadline_basis": r.deadline_basis,
            "extended": r.extended,
            "internal_target": _day(r.internal_target),
            "acknowledge_by": _day(r.acknowledge_by),
            "acknowledged_at": _instant(r.acknowledged_at),
            "identity_status": r.identity_status,
            "waiting_for": r.waiting_for,
            "waiting_since": _day(r.waiting_since),
            "fee_amount": None if r.fee_amount is None else f"{r.fee_amount:.2f}",
            "fee_currency": r.fee_currency,
            "assignee": r.assignee.get_username() if r.assignee is not None else None,
            "flags": [{"code": f["code"], "message": f["message"]} for f in r.flags],
            "outcome_reason": r.outcome_reason,
            "closed_at": _instant(r.closed_at),
            "requester_name": r.requester_name,
            "requester_email": r.requester_email,
            "requester_phone": r.requester_phone,
            "requester_address": r.requester_address,
            "jurisdiction": r.jurisdiction,
            "language": r.language,
            "is_agent": r.is_agent,
            "agent_name": r.agent_name,
            "subject_line": r.subject_line,
            "message": r.message,
        }


_URL_PREFIX: list[str] = []


def request_url(reference: str) -> str:
    """``/api/v1/requests/<reference>/``: reversed once, then formatted."""
    if not _URL_PREFIX:
        _URL_PREFIX.append(reverse("api:request-detail", args=["REF"])[: -len("REF/")])
    return f"{_URL_PREFIX[0]}{reference}/"


def _day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _instant(value: datetime.datetime | None) -> str | None:
    """As DRF's DateTimeField writes it: in the current time zone, ISO 8601, UTC as Z."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _not_future(value: datetime.datetime) -> None:
    if value > timezone.now():
        raise serializers.ValidationError("Cannot be in the future.")


class ShallowFields:
    """A serializer whose fields are shallow copies of the declared ones, not deep copies.

    DRF deep-copies every declared field for each serializer it makes, which re-runs each
    field's ``__init__``: a tenth of the CPU of a request creation (bench/api_throughput.py).
    The copies are bound to the serializer as usual; what they share with the declaration
    (validators, choices, error messages) nothing changes after start-up. Only for flat
    serializers of plain fields."""

    _declared_fields: dict[str, serializers.Field]

    def get_fields(self) -> dict[str, serializers.Field]:
        return {name: copy.copy(field) for name, field in self._declared_fields.items()}


class RequestCreateSerializer(ShallowFields, serializers.Serializer):
    """A request received by the organization's own system. The channel is "api"; the
    deadline, flags and acknowledgement date are computed as for every channel
    (``services.request_log``)."""

    right_kind = serializers.ChoiceField(choices=RightKind.choices)
    requester_name = serializers.CharField(max_length=200)
    requester_email = serializers.EmailField(required=False, allow_blank=True)
    requester_phone = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default=""
    )
    requester_address = serializers.CharField(required=False, allow_blank=True, default="")
    jurisdiction = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Where the requester lives: ISO 3166 (FR, GB, US-CA) or OTHER; its law "
        "decides the deadline. The same list as the public form.",
    )
    language = serializers.ChoiceField(
        choices=[("en", "English"), ("es", "Spanish")], required=False, default="en"
    )
    is_agent = serializers.BooleanField(required=False, default=False)
    agent_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    subject_line = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default=""
    )
    message = serializers.CharField(required=False, allow_blank=True, default="")
    received_at = serializers.DateTimeField(
        required=False,
        help_text="When the organization's system received it (default: now); the deadline "
        "counts from that day in the organization's time zone.",
        validators=[_not_future],
    )

    def validate_jurisdiction(self, value: str) -> str:
        """As the staff intake form checks it (``residences.parse``)."""
        if not value:
            return ""
        try:
            return residences.parse(value)
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from error

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        # As the staff intake form: some way to answer, and an agent's name makes an agent.
        if not any(data.get(f"requester_{how}") for how in ("email", "address", "phone")):
            raise serializers.ValidationError(
                "Give at least one way to answer the requester: email, address or phone."
            )
        if data.get("agent_name"):
            data["is_agent"] = True
        return data


# -- Actions ---------------------------------------------------------------------------------------


class ActionSerializer(serializers.Serializer):
    """An action's input; ``context["privacy_request"]`` scopes choices (assignee, exemptions)."""

    @property
    def privacy_request(self) -> PrivacyRequest:
        return self.context["privacy_request"]


class NoInputSerializer(ActionSerializer):
    pass


class AssignSerializer(ActionSerializer):
    assignee = serializers.CharField(
        allow_null=True,
        help_text="Username of a handler or privacy officer of the organization; null unassigns.",
    )

    def validate_assignee(self, value: str | None) -> Any:
        if value is None:
            return None
        user = (
            get_user_model()
            .objects.filter(
                username=value,
                memberships__organization_id=self.privacy_request.organization_id,
            )
            .first()
        )
        if user is None:
            raise serializers.ValidationError("Not a staff member of the organization.")
        return user


class VerifyIdentitySerializer(ActionSerializer):
    method = serializers.ChoiceField(choices=VerificationMethod.choices)
    how = serializers.CharField(max_length=300, help_text="What was seen or matched.")


class AskRequesterSerializer(ActionSerializer):
    waiting_for = serializers.ChoiceField(
        choices=[(w.value, w.label) for w in (WaitingFor.IDENTITY, WaitingFor.CLARIFICATION)]
        + [(WaitingFor.FEE.value, WaitingFor.FEE.label)]
    )
    note = serializers.CharField(help_text="Shown to the requester on their status page.")
    fee_amount = serializers.DecimalField(
        max_digits=9, decimal_places=2, min_value=Decimal("0.01"), required=False, allow_null=True
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if data["waiting_for"] == WaitingFor.FEE and not data.get("fee_amount"):
            raise serializers.ValidationError({"fee_amount": "Say how much the fee is."})
        return data


class RequesterAnsweredSerializer(ActionSerializer):
    answered_on = serializers.DateField(
        required=False, help_text="Default: today in the organization's time zone."
    )


class ExtendSerializer(ActionSerializer):
    reason = serializers.CharField(help_text="The requester is told the reason.")


class SetTargetSerializer(ActionSerializer):
    target = serializers.DateField()


class AcknowledgeSerializer(ActionSerializer):
    how = serializers.CharField(max_length=300)
    at = serializers.DateTimeField(required=False, help_text="Default: now.")

    def validate_at(self, value: datetime.datetime) -> datetime.datetime:
        # As the staff form (``forms.AcknowledgeForm.clean_at``).
        if value > timezone.now():
            raise serializers.ValidationError("An acknowledgement cannot be in the future.")
        if value < self.privacy_request.received_at:
            raise serializers.ValidationError(
                "An acknowledgement cannot come before the request arrived."
            )
        return value


class ClosingSerializer(ActionSerializer):
    """An action that ends the request: ``reason`` is what the requester is told, ``note`` is
    internal. As on the staff page, a request with a letter issued but never sent closes only
    with ``confirm_unsent_letters`` (``workspace.letters_issued_not_sent``)."""

    reason = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    confirm_unsent_letters = serializers.BooleanField(required=False, default=False)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        unsent = workspace.letters_issued_not_sent(self.privacy_request)
        if unsent and not data.get("confirm_unsent_letters"):
            references = ", ".join(letter.reference for letter in unsent)
            raise serializers.ValidationError(
                {
                    "confirm_unsent_letters": f"Letters {references} were issued but never sent "
                    "to the requester: send them first, or confirm to close anyway."
                }
            )
        return data


def _override_reason() -> serializers.CharField:
    """``override_reason``: the service's ``override``. A key holds no role, so the service
    refuses it while tasks are open (docs/api.md, "Tasks"); it is accepted so that the refusal
    is the service's own message, and is one rule, not two."""
    return serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Why to answer while tasks are open. Only a privacy officer may (staff page): "
        "an API key holds no role, so while tasks are open the fulfilment is refused (409).",
    )


class FulfilSerializer(ClosingSerializer):
    override_reason = _override_reason()


class OutcomeSerializer(ClosingSerializer):
    reason = serializers.CharField(help_text="Required: the requester is told why.")
    exemptions = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text="Ids of the exemptions of the request's right (policy versions) relied on.",
    )

    def validate_exemptions(self, value: list[int]) -> list[Exemption]:
        if not value:
            return []
        right_id = self.privacy_request.right_id
        if right_id is None:
            raise serializers.ValidationError("Not an exemption of the request's right.")
        found = list(Exemption.objects.filter(right_id=right_id, pk__in=value))
        if len(found) != len(set(value)):
            raise serializers.ValidationError("Not an exemption of the request's right.")
        return found


class PartialFulfilSerializer(OutcomeSerializer):
    override_reason = _override_reason()


class CloseSerializer(ClosingSerializer):
    as_status = serializers.ChoiceField(
        choices=[
            (Status.CLOSED_UNVERIFIABLE.value, Status.CLOSED_UNVERIFIABLE.label),
            (Status.CLOSED_DUPLICATE.value, Status.CLOSED_DUPLICATE.label),
        ]
    )


class NoteSerializer(ActionSerializer):
    text = serializers.CharField(help_text="A staff note on the timeline; changes nothing else.")


# -- The trail, letters, packages ------------------------------------------------------------------


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_label", read_only=True)

    class Meta:
        model = RequestEvent
        fields = ["id", "at", "kind", "actor", "from_status", "to_status", "summary", "data"]


class LetterSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    request: serializers.SlugRelatedField[PrivacyRequest] = serializers.SlugRelatedField(
        slug_field="reference", read_only=True
    )
    pdf = serializers.SerializerMethodField()

    class Meta:
        model = Letter
        fields = [
            "id",
            "reference",
            "request",
            "number",
            "kind",
            "language",
            "parts",
            "template_version",
            "sha256",
            "size",
            "issued_at",
            "corrects",
            "released_at",
            "purged_at",
            "pdf",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_pdf(self, obj: Letter) -> str:
        return reverse("api:letter-pdf", args=[obj.pk])


class LetterIssueSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LetterKind.choices)
    parts = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=10_000),
        required=False,
        default=dict,
        help_text="The letter's free-text parts by name; unnamed parts take their defaults.",
    )
    corrects = serializers.IntegerField(
        required=False, allow_null=True, help_text="Id of a letter of this request it corrects."
    )


class LetterSendSerializer(serializers.Serializer):
    method = serializers.ChoiceField(
        choices=[(m.value, m.label) for m in (DeliveryMethod.ATTACHMENT, DeliveryMethod.LINK)],
        required=False,
        default=DeliveryMethod.ATTACHMENT.value,
    )


class DeliverySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    letter = serializers.IntegerField(source="letter_id")
    method = serializers.CharField()
    status = serializers.CharField()


class DataPackageSerializer(serializers.ModelSerializer):
    request: serializers.SlugRelatedField[PrivacyRequest] = serializers.SlugRelatedField(
        slug_field="reference", read_only=True
    )
    zip = serializers.SerializerMethodField()

    class Meta:
        model = DataPackage
        fields = [
            "id",
            "request",
            "number",
            "cover_letter",
            "sha256",
            "size",
            "item_count",
            "built_at",
            "released_at",
            "link_expires_at",
            "download_count",
            "file_deleted_at",
            "zip",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_zip(self, obj: DataPackage) -> str:
        return reverse("api:package-zip", args=[obj.pk])


# -- Tasks and messages ----------------------------------------------------------------------------


class TaskSerializer(serializers.ModelSerializer):
    """A task as its page shows it; the system by name, people by username."""

    url = serializers.SerializerMethodField()
    request: serializers.SlugRelatedField[PrivacyRequest] = serializers.SlugRelatedField(
        slug_field="reference", read_only=True
    )
    system: serializers.SlugRelatedField[System] = serializers.SlugRelatedField(
        slug_field="name", read_only=True
    )
    owner: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    completed_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = Task
        fields = [
            "id",
            "url",
            "request",
            "system",
            "state",
            "owner",
            "due_date",
            "instructions",
            "outcome",
            "created_at",
            "completed_at",
            "completed_by",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj: Task) -> str:
        return reverse("api:task-detail", args=[obj.pk])


class TaskCompleteSerializer(serializers.Serializer):
    """The staff page's completion form (``fulfilment.forms.CompleteForm``), without the file:
    rows found go into the data package as the page's "Rows found (JSON)" do."""

    outcome = serializers.CharField(help_text="What was done; on the request's timeline.")
    not_applicable = serializers.BooleanField(
        required=False, default=False, help_text="The system holds nothing of this person."
    )
    records = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        allow_null=True,
        default=None,
        max_length=100_000,
        help_text="For access: what the system holds, as a list of objects (field: value); "
        "added to the request's data package.",
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if data.get("records") == []:
            data["records"] = None  # an empty list is no rows, as an empty box on the page
        return data


class TaskReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the task is reopened; on the timeline.")


class MessageSerializer(serializers.ModelSerializer):
    """One message of the request's conversation, as the request page shows it: the text, not
    the sanitized HTML; attachments by name (their files stay on the staff pages)."""

    written_by = serializers.SerializerMethodField()
    body = serializers.CharField(source="body_text", read_only=True)
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = [
            "id",
            "direction",
            "kind",
            "via",
            "subject",
            "body",
            "at",
            "written_by",
            "attachments",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_written_by(self, obj: Message) -> str | None:
        """Staff messages only: the username, or null for one sent through the API (its
        event on the timeline names the key)."""
        return obj.created_by.username if obj.created_by else None

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "filename": {"type": "string"},
                    "content_type": {"type": "string"},
                    "size": {"type": "integer"},
                },
            },
        }
    )
    def get_attachments(self, obj: Message) -> list[dict[str, Any]]:
        return [
            {"filename": a.filename, "content_type": a.content_type, "size": a.size}
            for a in obj.attachments.all()
        ]


class MessageSendSerializer(serializers.Serializer):
    subject = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=500,
        help_text='Default: "Your request <reference>", in the requester\'s language.',
    )
    body = serializers.CharField(max_length=MAX_BODY, help_text="The text the requester reads.")


# -- Reports ---------------------------------------------------------------------------------------


class FiguresSerializer(serializers.Serializer):
    key = serializers.CharField()
    # The stubs see Field.label here; the serializer's metaclass takes declared fields off the
    # class, so at run time this is the "label" key of the output, as intended.
    label = serializers.CharField()  # type: ignore[assignment]
    received = serializers.IntegerField()
    complied = serializers.IntegerField()
    denied = serializers.IntegerField()
    closed_otherwise = serializers.IntegerField()
    open = serializers.IntegerField()
    answered = serializers.IntegerField()
    median_days = serializers.FloatField(allow_null=True)
    mean_days = serializers.FloatField(allow_null=True)
    with_deadline = serializers.IntegerField()
    on_time = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True)


class ReportSerializer(serializers.Serializer):
    organization = serializers.CharField(source="organization.slug")
    year = serializers.IntegerField()
    by_right = FiguresSerializer(many=True)
    by_channel = FiguresSerializer(many=True)
    total = FiguresSerializer()


class ReportYearsSerializer(serializers.Serializer):
    organization = serializers.CharField()
    years = serializers.ListField(child=serializers.IntegerField())
