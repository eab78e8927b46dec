"""Forms of the staff workspace: intake of requests that came by email, mail, phone or fax, and one
small form per action on a request. Forms only validate input; the services decide and write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dsar import jurisdictions
from dsar.organizations.models import Organization
from dsar.policies.models import ChannelKind, Exemption, RightKind
from dsar.requests import workspace
from dsar.requests.models import PrivacyRequest, Status

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The channels staff key in by hand; web-form and self-service requests arrive by themselves.
INTAKE_CHANNELS = [
    ChannelKind.EMAIL,
    ChannelKind.POSTAL_MAIL,
    ChannelKind.CERTIFIED_MAIL,
    ChannelKind.PHONE,
    ChannelKind.FAX,
]


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return f"{obj.name} ({obj.time_zone})"


class IntakeForm(forms.Form):
    """A request received outside the public form, as staff read it from the email or letter."""

    organization = OrganizationChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        help_text=_("Only the organizations you handle requests for."),
    )
    right_kind = forms.ChoiceField(label=_("Right"), choices=RightKind.choices)
    channel_kind = forms.ChoiceField(
        label=_("Channel"), choices=[(c.value, c.label) for c in INTAKE_CHANNELS]
    )
    received_at = forms.DateTimeField(
        label=_("Received at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_(
            "Date and time of receipt in the organization's time zone (shown beside its name): "
            "the deadline counts from this day."
        ),
    )
    requester_name = forms.CharField(label=_("Requester name"), max_length=200)
    requester_email = forms.EmailField(label=_("Requester email"), required=False)
    requester_phone = forms.CharField(label=_("Requester phone"), max_length=40, required=False)
    requester_address = forms.CharField(
        label=_("Requester postal address"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    jurisdiction = forms.CharField(
        label=_("Jurisdiction of residence"),
        max_length=8,
        required=False,
        help_text=_("ISO 3166: a country (FR, GB), a US state (US-CA), US, EU or OTHER."),
    )
    is_agent = forms.BooleanField(
        label=_("Sent by an authorized agent"),
        required=False,
        help_text=_("Someone acts for the data subject."),
    )
    agent_name = forms.CharField(label=_("Agent name"), max_length=200, required=False)
    subject_line = forms.CharField(
        label=_("Subject line as received"),
        max_length=500,
        required=False,
        help_text=_("Copy it exactly: some policies demand words in the subject line."),
    )
    message = forms.CharField(
        label=_("Message as received"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The text of the email or letter, or a note of the call."),
    )

    fieldsets = [
        (_("The request"), ["organization", "right_kind", "channel_kind", "received_at"]),
        (
            _("The requester"),
            [
                "requester_name",
                "requester_email",
                "requester_phone",
                "requester_address",
                "jurisdiction",
                "is_agent",
                "agent_name",
            ],
        ),
        (_("As received"), ["subject_line", "message"]),
    ]

    required_css_class = "required"

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - for the type checker
        organizations = list(workspace.acting_organizations_for(user).order_by("name"))
        field.queryset = workspace.acting_organizations_for(user).order_by("name")
        if len(organizations) == 1:
            field.initial = organizations[0].pk
        for each in self.fields.values():
            if isinstance(each.widget, forms.TextInput | forms.EmailInput):
                each.widget.attrs.setdefault("class", "vTextField")

    def clean_jurisdiction(self) -> str:
        code = self.cleaned_data["jurisdiction"].strip()
        if not code:
            return ""
        try:
            return jurisdictions.Jurisdiction.parse(code).code
        except ValueError as error:
            raise ValidationError(
                _("Use an ISO 3166 country code (FR, GB), a US state (US-CA), US, EU or OTHER.")
            ) from error

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        organization, received_at = data.get("organization"), data.get("received_at")
        if organization is not None and received_at is not None:
            # Typed as a wall-clock time where the organization is, not where the server is.
            wall = timezone.make_naive(received_at)
            received_at = timezone.make_aware(wall, ZoneInfo(organization.time_zone))
            if received_at > timezone.now():
                self.add_error("received_at", _("The time of receipt cannot be in the future."))
            data["received_at"] = received_at
        if data.get("agent_name") and not data.get("is_agent"):
            data["is_agent"] = True
        if not any(data.get(f"requester_{how}") for how in ("email", "address", "phone")):
            raise ValidationError(
                _("Give at least one way to answer the requester: email, address or phone.")
            )
        return data

    def service_kwargs(self) -> dict[str, Any]:
        """The cleaned data as ``services.request_log`` takes it."""
        return dict(self.cleaned_data)


# -- Actions on a request --------------------------------------------------------------------------


class ActionForm(forms.Form):
    """An action's input. ``privacy_request`` scopes the choices (assignees, exemptions)."""

    def __init__(self, *args: Any, privacy_request: PrivacyRequest, **kwargs: Any) -> None:
        self.privacy_request = privacy_request
        super().__init__(*args, **kwargs)


class NoInputForm(ActionForm):
    pass


class VerifyIdentityForm(ActionForm):
    how = forms.CharField(
        label=_("How was the identity verified?"),
        max_length=300,
        help_text=_("e.g. matched the account's email and last order number."),
    )


class AskRequesterForm(ActionForm):
    note = forms.CharField(
        label=_("What you ask for"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the timeline; the requester is told."),
    )


class AskFeeForm(AskRequesterForm):
    fee_amount = forms.DecimalField(
        label=_("Fee"),
        max_digits=9,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text=_(
            "Only where the policy and the law allow one (e.g. a manifestly excessive request)."
        ),
    )


class RequesterAnsweredForm(ActionForm):
    answered_on = forms.DateField(label=_("Answer received on"), widget=DATE_INPUT)


class ExtendForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason for the extension"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The requester must be told the reason before the current deadline."),
    )


class SetTargetForm(ActionForm):
    target = forms.DateField(
        label=_("Internal target"),
        widget=DATE_INPUT,
        help_text=_("The team's own date; it may not be later than the legal deadline."),
    )


class AssignForm(ActionForm):
    assignee = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("(nobody)"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - for the type checker
        field.queryset = (
            get_user_model()
            .objects.filter(
                is_active=True,
                memberships__organization_id=self.privacy_request.organization_id,
                memberships__role__in=workspace.ACTING_ROLES,
            )
            .order_by("username")
        )


class OutcomeForm(ActionForm):
    """Fulfil, partly fulfil or deny: the reasons, and the policy's exemptions relied on."""

    reason = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))
    exemptions = forms.ModelMultipleChoiceField(
        label=_("Exemptions relied on"),
        queryset=Exemption.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The grounds the policy keeps for this right."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["exemptions"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101
        right_id = self.privacy_request.right_id
        if right_id is None:
            del self.fields["exemptions"]
        else:
            field.queryset = Exemption.objects.filter(right_id=right_id)


class FulfilForm(ActionForm):
    note = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PartialFulfilForm(OutcomeForm):
    pass


class DenyForm(OutcomeForm):
    pass


class WithdrawForm(ActionForm):
    note = forms.CharField(
        label=_("How the requester withdrew (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CloseForm(ActionForm):
    as_status = forms.ChoiceField(
        label=_("Close as"),
        choices=[
            (Status.CLOSED_UNVERIFIABLE.value, Status.CLOSED_UNVERIFIABLE.label),
            (Status.CLOSED_DUPLICATE.value, Status.CLOSED_DUPLICATE.label),
        ],
    )
    note = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
