"""Forms of the staff workspace: intake of requests that came by email, mail, phone or fax, and one
small form per action on a request. Forms only validate input; the services decide and write."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dsar import residences
from dsar.organizations.models import Organization
from dsar.organizations.tenancy import ACTING_ROLES, acting_organizations_of
from dsar.policies.models import ChannelKind, Exemption, RightKind
from dsar.requests import services, workspace
from dsar.requests.models import AgentAuthority, PrivacyRequest, Status, VerificationMethod

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT_FORMAT = "%Y-%m-%dT%H:%M"
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
    jurisdiction = forms.ChoiceField(
        label=_("Jurisdiction of residence"),
        required=False,
        help_text=_(
            "Where the requester lives, as they said it: its law decides the deadline. The same "
            "list as the public form and the CSV import; leave it at “not known” if they did "
            "not say."
        ),
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
        # The list is translated when the form is made: one per request, in its language.
        residence = self.fields["jurisdiction"]
        assert isinstance(residence, forms.ChoiceField)  # noqa: S101 - for the type checker
        residence.choices = [("", _("Not known")), *residences.grouped_choices()]
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - for the type checker
        organizations = list(acting_organizations_of(user).order_by("name"))
        field.queryset = acting_organizations_of(user).order_by("name")
        if len(organizations) == 1:
            field.initial = organizations[0].pk
        for each in self.fields.values():
            if isinstance(each.widget, forms.TextInput | forms.EmailInput):
                each.widget.attrs.setdefault("class", "vTextField")

    def clean_jurisdiction(self) -> str:
        """The residence's code, checked as the CSV import checks it (``residences.parse``)."""
        code = self.cleaned_data["jurisdiction"]
        if not code:
            return ""
        try:
            return residences.parse(code)
        except ValueError as error:
            raise ValidationError(str(error)) from error

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data  # Form.clean may return None
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


def _aware_in(organization: Organization, value: datetime.datetime) -> datetime.datetime:
    """A time typed as wall-clock time where the organization is, not where the server is."""
    wall = timezone.make_naive(value) if timezone.is_aware(value) else value
    return timezone.make_aware(wall, ZoneInfo(organization.time_zone))


class VerifyIdentityForm(ActionForm):
    """How the identity was verified (a kind of evidence) and with what: both go on the
    timeline and into the evidence pack. Confirming an email address is not one of them
    (docs/legal-decisions.md, "Email confirmation is not identity verification")."""

    method = forms.ChoiceField(
        label=_("How was the identity verified?"),
        choices=[("", _("Choose one")), *VerificationMethod.choices],
        help_text=_(
            "A confirmed email address is not a verification: anyone can open an address in "
            "another's name."
        ),
    )
    how = forms.CharField(
        label=_("With what?"),
        max_length=300,
        help_text=_(
            "What you saw or matched, e.g. a passport, or the account's email and last order "
            "number. Name the document, never copy its number."
        ),
    )


def _day_of_this_request(
    form: ActionForm, value: datetime.date, *, future: Any, before: Any
) -> datetime.date:
    """A day on or after the request arrived and not after today where the organization is;
    ``future`` and ``before`` are the messages (whole sentences, for the translators)."""
    request = form.privacy_request
    if value > request.organization.today():
        raise ValidationError(future)
    if value < request.received_on:
        raise ValidationError(before)
    return value


class MatchDataPointsForm(ActionForm):
    """The data points staff matched between what the requester gave and the organization's
    records (Cal. Code Regs. tit. 11 §7062): only the organization's own list, the ones not
    matched yet. The service refuses any other."""

    points = forms.MultipleChoiceField(
        label=_("Data points matched"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tick each one the requester gave and that matches our records. The organization's "
            "privacy officer keeps this list on the organization's page."
        ),
    )
    how = forms.CharField(
        label=_("Matched against what?"),
        max_length=300,
        help_text=_(
            "e.g. the account record, or the last order. Name the record, never copy the data."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["points"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101 - for the type checker
        field.choices = [(p, p) for p in workspace.unmatched_data_points(self.privacy_request)]


class DeclarationForm(ActionForm):
    """A declaration signed under penalty of perjury that the requester is the consumer, which
    a request for specific pieces of information needs (§7062(c))."""

    signed_on = forms.DateField(
        label=_("Declaration signed on"),
        widget=DATE_INPUT,
        help_text=_("The date on the declaration, signed under penalty of perjury."),
    )

    def clean_signed_on(self) -> datetime.date:
        return _day_of_this_request(
            self,
            self.cleaned_data["signed_on"],
            future=_("A declaration cannot be in the future."),
            before=_("A declaration cannot come before the request arrived."),
        )


class CheckAgentForm(ActionForm):
    """How an authorized agent's authority was shown (§7063(a)); a power of attorney under the
    Probate Code stands for the consumer's own steps too (§7063(b))."""

    authority = forms.ChoiceField(
        label=_("The agent's authority"),
        choices=[("", _("Choose one")), *AgentAuthority.choices],
        help_text=_(
            "A power of attorney may not be required of the consumer (§7063(b)); it is recorded "
            "when the agent has one."
        ),
    )
    how = forms.CharField(
        label=_("What was checked?"),
        max_length=300,
        help_text=_("e.g. the consumer's signed permission, dated and naming the agent."),
    )


class ConsumerConfirmedAgentForm(ActionForm):
    """The consumer confirmed directly with the organization that they gave the agent
    permission (§7063(a)(2)). The agent confirming its own email address is not this."""

    confirmed_on = forms.DateField(label=_("Confirmed on"), widget=DATE_INPUT)
    how = forms.CharField(
        label=_("How did the consumer confirm it?"),
        max_length=300,
        help_text=_(
            "e.g. a call to the number on the account. The consumer, not the agent: an agent "
            "confirming its own address shows nothing about the consumer."
        ),
    )

    def clean_confirmed_on(self) -> datetime.date:
        return _day_of_this_request(
            self,
            self.cleaned_data["confirmed_on"],
            future=_("A confirmation cannot be in the future."),
            before=_("A confirmation cannot come before the request arrived."),
        )


class AcknowledgeForm(ActionForm):
    """Receipt confirmed to the requester outside dsar (a call, a letter sent by other means):
    recorded with how and when, which stops the acknowledgement reminders (CCPA §7021(a))."""

    how = forms.CharField(
        label=_("How was receipt acknowledged?"),
        max_length=300,
        help_text=_(
            "e.g. by telephone, telling them how the request will be processed and verified "
            "and when to expect an answer (Cal. Code Regs. tit. 11 §7021(a))."
        ),
    )
    at = forms.DateTimeField(
        label=_("When?"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT_FORMAT),
        help_text=_("In the organization's time zone."),
    )

    def clean_at(self) -> datetime.datetime:
        at = _aware_in(self.privacy_request.organization, self.cleaned_data["at"])
        if at > timezone.now():
            raise ValidationError(_("An acknowledgement cannot be in the future."))
        if at < self.privacy_request.received_at:
            raise ValidationError(_("An acknowledgement cannot come before the request arrived."))
        return at


class AskRequesterForm(ActionForm):
    note = forms.CharField(
        label=_("What you ask the requester for — the requester is shown this text"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Written to the requester: their status page shows it. It is also kept on the "
            "timeline. Keep internal remarks out of it."
        ),
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
                memberships__role__in=ACTING_ROLES,
            )
            .order_by("username")
        )
        # An appeal is decided by someone other than who refused, where the organization wants
        # it so: that person is not offered (and ``request_assign`` refuses them anyway).
        decider = services.first_decider(self.privacy_request)
        if decider is not None:
            field.queryset = field.queryset.exclude(pk=decider)
            field.help_text = _(
                "Whoever refused the request this one appeals is left out: the organization "
                "has its appeals decided by someone else."
            )


# What the requester is told and what only staff read are two fields, labelled as such: a
# remark typed as the requester's reasons is published on their status page and in letters.
REQUESTER_REASON_LABEL = _(
    "Reasons given to the requester — shown on their status page and in letters"
)
INTERNAL_NOTE_LABEL = _("Internal note (staff only, never shown to the requester)")
INTERNAL_NOTE_HELP = _("Kept on the timeline and in the evidence pack, for staff and auditors.")


def _reason_field(*, required: bool, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=REQUESTER_REASON_LABEL,
        required=required,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
    )


def _note_field(help_text: Any = INTERNAL_NOTE_HELP) -> forms.CharField:
    return forms.CharField(
        label=INTERNAL_NOTE_LABEL,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=help_text,
    )


#: Where the request page leaves the unsent letters it read for the forms it builds.
UNSENT_LETTERS = "_unsent_letters"
#: And the exemptions the policy keeps for the request's right (``workspace.page_exemptions``).
OFFERED_EXEMPTIONS = "_offered_exemptions"


def _unsent_letters(privacy_request: PrivacyRequest) -> list[Any]:
    """``workspace.letters_issued_not_sent``, or what the request page read for all its closing
    forms at once (``views_staff._shown_actions``): each form asked the database the same
    question (bench/request_page.py)."""
    known = privacy_request.__dict__.get(UNSENT_LETTERS)
    return known if known is not None else workspace.letters_issued_not_sent(privacy_request)


class ClosingForm(ActionForm):
    """An action that ends the request: the reasons the requester is told (``reason``) apart
    from the internal note (``note``), and, when one of its letters was issued but never sent,
    a required confirmation that staff know it: once the request is closed, nothing reminds
    anyone that the requester never got that letter."""

    reason = _reason_field(required=False)
    note = _note_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unsent_letters = _unsent_letters(self.privacy_request)
        if self.unsent_letters:
            references = ", ".join(
                f"{letter.reference} ({letter.get_kind_display()})"
                for letter in self.unsent_letters
            )
            count = len(self.unsent_letters)
            self.fields["confirm_unsent_letters"] = forms.BooleanField(
                label=ngettext(
                    "I know letter %(letters)s was issued but not sent",
                    "I know letters %(letters)s were issued but not sent",
                    count,
                )
                % {"letters": references},
                required=True,
                error_messages={
                    "required": ngettext(
                        "Letter %(letters)s was issued but never sent to the requester: send "
                        "it first, or tick the box to close the request anyway.",
                        "Letters %(letters)s were issued but never sent to the requester: send "
                        "them first, or tick the box to close the request anyway.",
                        count,
                    )
                    % {"letters": references}
                },
            )


class OutcomeForm(ClosingForm):
    """Partly fulfil or deny: the reasons (required), and the policy's exemptions relied on."""

    reason = _reason_field(
        required=True,
        help_text=_("Required: the requester is told why."),
    )
    exemptions = forms.ModelMultipleChoiceField(
        label=_("Exemptions relied on"),
        queryset=Exemption.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The grounds the policy keeps for this right."),
    )
    note = _note_field()
    field_order = ["reason", "exemptions", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["exemptions"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101
        right_id = self.privacy_request.right_id
        if right_id is None:
            del self.fields["exemptions"]
        else:
            field.queryset = Exemption.objects.filter(right_id=right_id)  # validates the answer
            known = self.privacy_request.__dict__.get(OFFERED_EXEMPTIONS)
            if known is not None:
                field.widget.choices = _ListedChoices(field, known)


class _ListedChoices(ModelChoiceIterator):
    """The choices of a model field from rows the page already read, so that two forms offering
    the same exemptions ask the database once (``views_staff._shown_actions``)."""

    def __init__(self, field: forms.ModelChoiceField, rows: list[Any]) -> None:
        super().__init__(field)
        self.rows = rows

    def __iter__(self) -> Iterator[Any]:
        for row in self.rows:
            yield self.choice(row)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)


_OVERRIDE_HELP = _(
    "Only while tasks are still open, and only a privacy officer: why the request may be "
    "answered anyway. Recorded on the timeline."
)


class FulfilForm(ClosingForm):
    reason = _reason_field(required=False, help_text=_("Optional."))
    override = forms.CharField(
        label=_("Answer with open tasks, because"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_OVERRIDE_HELP,
    )


class PartialFulfilForm(OutcomeForm):
    override = forms.CharField(
        label=_("Answer with open tasks, because"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_OVERRIDE_HELP,
    )


class DenyForm(OutcomeForm):
    pass


class WithdrawForm(ClosingForm):
    reason = _reason_field(required=False, help_text=_("Optional."))
    note = _note_field(help_text=_("e.g. how and when the requester withdrew."))


class CloseForm(ClosingForm):
    as_status = forms.ChoiceField(
        label=_("Close as"),
        choices=[
            (Status.CLOSED_UNVERIFIABLE.value, Status.CLOSED_UNVERIFIABLE.label),
            (Status.CLOSED_DUPLICATE.value, Status.CLOSED_DUPLICATE.label),
        ],
    )
    reason = _reason_field(required=False, help_text=_("Optional."))
    note = _note_field()
    field_order = ["as_status", "reason", "note"]
