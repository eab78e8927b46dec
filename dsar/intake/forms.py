"""The public request form. It validates what the requester typed; the services decide and write.

The fields a right needs (what is wrong and what is right, a description of the content, the
format and recipient of a copy) are always in the page, so the form works without JavaScript;
they are required only for the right that needs them. ``website`` is a honeypot: people never see
it, and a form that fills it in is treated as a robot's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from dsar import residences
from dsar.intake import files, selectors
from dsar.organizations.models import Organization
from dsar.policies.models import RightKind
from dsar.requests.models import AccessScope

TEXT_LIMIT = 5000
NAME_LIMIT = 200
KEPT_SALT = "dsar.intake.kept-upload"
KEPT_MAX_AGE = 60 * 60

ERROR_REQUIRED_RIGHT = _("Choose the right you want to use.")
ERROR_REQUIRED_NAME = _("Enter your full name.")
ERROR_REQUIRED_EMAIL = _("Enter your email address: we send the confirmation link to it.")
ERROR_INVALID_EMAIL = _("Enter an email address like name@example.com.")
ERROR_REQUIRED_RESIDENCE = _("Choose where you live.")
ERROR_INVALID_RESIDENCE = _("Choose where you live from the list.")
ERROR_REQUIRED_ACTING_FOR = _("Say whether you ask for yourself or for someone else.")
ERROR_REQUIRED_SUBJECT = _("Enter the full name of the person you act for.")
ERROR_REQUIRED_AUTHORIZATION = _("Attach the signed authorization of the person you act for.")
ERROR_FILE_TYPE = _("The authorization must be a PDF, PNG or JPEG file.")
ERROR_FILE_SIZE = _("The authorization must be at most %(limit)s; this file is larger.")
ERROR_FILE_EMPTY = _("The file is empty.")
ERROR_REQUIRED_WRONG = _("Say which information about you is wrong.")
ERROR_REQUIRED_CORRECT = _("Say what the information should be.")
ERROR_REQUIRED_CONTENT = _("Describe the content you want removed.")
ERROR_REQUIRED_FORMAT = _("Choose the format you want your data in.")
ERROR_REQUIRED_RECIPIENT = _("Say who should receive your data.")
ERROR_REQUIRED_RECIPIENT_DETAILS = _("Give the name and address of the organization to send it to.")


class Scope:
    """What a Californian's request to know asks for (``AccessScope``), as the form words it."""

    CHOICES = (
        (
            AccessScope.CATEGORIES,
            _(
                "The categories of my personal information: what kinds it holds, where they come "
                "from, why it uses them and to whom it discloses them"
            ),
        ),
        (AccessScope.SPECIFIC, _("The specific pieces of my personal information: a copy")),
    )


class PortabilityFormat:
    CHOICES = (
        ("json", _("JSON")),
        ("csv", _("CSV (a spreadsheet)")),
        ("xml", _("XML")),
        ("any", _("Any structured, commonly used, machine-readable format")),
    )


class Recipient:
    ME = "me"
    THIRD_PARTY = "third_party"
    CHOICES = ((ME, _("Me")), (THIRD_PARTY, _("Another organization I choose")))


class ActingFor:
    SELF = "self"
    AGENT = "agent"
    CHOICES = (
        (SELF, _("For myself")),
        (AGENT, _("For someone else, as their authorized agent")),
    )


def _text(label: Any, *, limit: int = TEXT_LIMIT, help_text: Any = "", **kwargs: Any) -> Any:
    return forms.CharField(
        label=label,
        required=False,
        max_length=limit,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
        **kwargs,
    )


@dataclass(frozen=True)
class KeptUpload:
    """A valid upload kept on disk while the requester corrects another field."""

    path: str
    content_type: str
    size: int
    sha256: str
    name: str

    def sign(self) -> str:
        return signing.dumps(
            {
                "p": self.path,
                "t": self.content_type,
                "s": self.size,
                "h": self.sha256,
                "n": self.name,
            },
            salt=KEPT_SALT,
        )

    @classmethod
    def read(cls, token: str) -> KeptUpload | None:
        try:
            data = signing.loads(token, salt=KEPT_SALT, max_age=KEPT_MAX_AGE)
            kept = cls(data["p"], data["t"], int(data["s"]), data["h"], str(data["n"])[:100])
            files.check_name(kept.path)
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            return None
        if not kept.path.startswith("intake/pending/") or not files.exists(kept.path):
            return None
        return kept


@dataclass
class Upload:
    """An upload that passed the checks, not yet stored."""

    file: Any
    content_type: str
    name: str


class ResidenceField(forms.ChoiceField):
    """Where the requester lives, as a ``<select>`` of ``dsar.residences`` grouped by country:
    every US state, every EU/EEA country, the UK, Canada, Brazil and "elsewhere". What is kept
    is the ISO code ("US-VA", "FR", "OTHER"); the coarse "US" and "EU" are not offered, since a
    state's or a country's law decides the deadline. The names are read in the language of the
    page, so the choices are set per form (``RequestForm.__init__``)."""

    widget = forms.Select

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        try:
            return residences.parse(text) if text else text
        except ValueError:
            return text  # refused by the choices, with ERROR_INVALID_RESIDENCE


class RequestForm(forms.Form):
    right = forms.ChoiceField(
        label=_("Which right do you want to use?"),
        widget=forms.RadioSelect,
        error_messages={"required": ERROR_REQUIRED_RIGHT, "invalid_choice": ERROR_REQUIRED_RIGHT},
    )
    name = forms.CharField(
        label=_("Your full name"),
        max_length=NAME_LIMIT,
        error_messages={"required": ERROR_REQUIRED_NAME},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("We send a link to it: you confirm your request by following that link."),
        error_messages={"required": ERROR_REQUIRED_EMAIL, "invalid": ERROR_INVALID_EMAIL},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    residence = ResidenceField(
        label=_("Where do you live?"),
        help_text=_(
            "Choose your US state or your country, or “Elsewhere”. The law of the place where "
            "you live can give you more rights and decides when you must get an answer."
        ),
        error_messages={
            "required": ERROR_REQUIRED_RESIDENCE,
            "invalid_choice": ERROR_INVALID_RESIDENCE,
        },
    )
    acting_for = forms.ChoiceField(
        label=_("Who is this request for?"),
        choices=ActingFor.CHOICES,
        initial=ActingFor.SELF,
        widget=forms.RadioSelect,
        error_messages={
            "required": ERROR_REQUIRED_ACTING_FOR,
            "invalid_choice": ERROR_REQUIRED_ACTING_FOR,
        },
    )
    subject_name = forms.CharField(
        label=_("Full name of the person you act for"),
        required=False,
        max_length=NAME_LIMIT,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    authorization = forms.FileField(
        label=_("Their signed authorization"),
        required=False,
        help_text=_(
            "A PDF, PNG or JPEG file of at most %(limit)s, signed by the person you act for."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}
        ),
    )
    authorization_kept = forms.CharField(required=False, widget=forms.HiddenInput)
    wrong = _text(_("What information about you is wrong?"))
    correct = _text(_("What should it say instead?"))
    content_description = _text(
        _("Describe the content you want removed"),
        help_text=_(
            "Where it is (the page or address), what it says or shows, and when you posted it."
        ),
    )
    portability_format = forms.ChoiceField(
        label=_("In which format do you want your data?"),
        required=False,
        choices=PortabilityFormat.CHOICES,
        widget=forms.RadioSelect,
    )
    portability_recipient = forms.ChoiceField(
        label=_("Who should receive it?"),
        required=False,
        choices=Recipient.CHOICES,
        widget=forms.RadioSelect,
    )
    recipient_details = _text(
        _("Name and address of the organization that should receive it"),
        limit=1000,
        help_text=_("Its name, and its email or postal address."),
    )
    access_scope = forms.ChoiceField(
        label=_("What do you want to know?"),
        required=False,
        choices=Scope.CHOICES,
        widget=forms.RadioSelect,
        help_text=_(
            "California law asks for more proof of who you are before the specific pieces are "
            "released: the organization matches three pieces of information you give with what "
            "it holds, and asks you to sign a declaration under penalty of perjury. For the "
            "categories, two matching pieces of information are enough. If you do not choose, "
            "your request is taken as asking for the specific pieces."
        ),
    )
    message = _text(
        _("Anything else we should know?"),
        help_text=_(
            "For example the account or customer number you used, or what you are asking about."
        ),
    )
    # The honeypot: hidden from people by the stylesheet and from assistive technology by
    # aria-hidden; see the template.
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)

    def __init__(
        self,
        *args: Any,
        right_kinds: list[str],
        organization: Organization | None = None,
        **kwargs: Any,
    ) -> None:
        """``right_kinds``: the rights the form offers, in its order (``selectors.form_kinds``).
        ``organization``: whose form it is (whether a Californian's request to know must say
        what it asks for depends on whether the CCPA reaches it)."""
        super().__init__(*args, **kwargs)
        self.organization = organization
        cast(forms.ChoiceField, self.fields["right"]).choices = [
            (kind, RightKind(kind).label) for kind in right_kinds
        ]
        cast(forms.ChoiceField, self.fields["residence"]).choices = [
            ("", _("Choose where you live")),
            *residences.grouped_choices(),
        ]
        limit = filesizeformat(files.max_upload_bytes())
        self.fields["authorization"].help_text = self.fields["authorization"].help_text % {
            "limit": limit
        }
        self.upload: Upload | None = None
        self.kept: KeptUpload | None = None

    @property
    def is_bot(self) -> bool:
        """The honeypot was filled in: only a robot sees that field."""
        return bool(self.data.get("website", "").strip())

    def clean_authorization(self) -> Any:
        upload = self.cleaned_data.get("authorization")
        if not upload:
            return None
        limit = files.max_upload_bytes()
        if upload.size > limit:
            raise ValidationError(ERROR_FILE_SIZE, params={"limit": filesizeformat(limit)})
        if upload.size == 0:
            raise ValidationError(ERROR_FILE_EMPTY)
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        content_type = files.sniff(head)
        if content_type is None:
            raise ValidationError(ERROR_FILE_TYPE)
        self.upload = Upload(upload, content_type, str(upload.name or "")[:100])
        return upload

    @property
    def is_opt_out(self) -> bool:
        """The right chosen is an opt-out: the form needs only who asks and where they live."""
        return selectors.is_opt_out(self.cleaned_data.get("right") or "")

    @property
    def asks_access_scope(self) -> bool:
        data = self.cleaned_data
        return self.organization is not None and selectors.asks_access_scope(
            self.organization, data.get("right") or "", data.get("residence") or ""
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data  # Form.clean may return None
        right = data.get("right")
        if data.get("acting_for") == ActingFor.AGENT:
            if not data.get("subject_name"):
                self.add_error("subject_name", ERROR_REQUIRED_SUBJECT)
            # An opt-out asks for no document: the organization may ask an agent for the
            # consumer's signed permission later (Cal. Code Regs. tit. 11 §7026(j)).
            needs_authorization = not self.is_opt_out
            if needs_authorization and self.upload is None and "authorization" not in self.errors:
                self.kept = KeptUpload.read(data.get("authorization_kept") or "")
                if self.kept is None:
                    self.add_error("authorization", ERROR_REQUIRED_AUTHORIZATION)
        if right == RightKind.RECTIFICATION:
            if not data.get("wrong"):
                self.add_error("wrong", ERROR_REQUIRED_WRONG)
            if not data.get("correct"):
                self.add_error("correct", ERROR_REQUIRED_CORRECT)
        if right == RightKind.MINOR_CONTENT_REMOVAL and not data.get("content_description"):
            self.add_error("content_description", ERROR_REQUIRED_CONTENT)
        if right == RightKind.PORTABILITY:
            if not data.get("portability_format"):
                self.add_error("portability_format", ERROR_REQUIRED_FORMAT)
            recipient = data.get("portability_recipient")
            if not recipient:
                self.add_error("portability_recipient", ERROR_REQUIRED_RECIPIENT)
            elif recipient == Recipient.THIRD_PARTY and not data.get("recipient_details"):
                self.add_error("recipient_details", ERROR_REQUIRED_RECIPIENT_DETAILS)
        return data

    def chosen_access_scope(self) -> str:
        """What a Californian's request to know asks for; "" where the form does not ask."""
        return self.cleaned_data.get("access_scope") or "" if self.asks_access_scope else ""

    def kept_message(self) -> str:
        """The free text, kept for every right but an opt-out, which needs none."""
        return "" if self.is_opt_out else self.cleaned_data.get("message", "")

    def details(self) -> dict[str, str]:
        """What the chosen right needs, keyed in English for staff and the submission record."""
        data = self.cleaned_data
        right = data["right"]
        if right == RightKind.RECTIFICATION:
            return {"wrong": data["wrong"], "correct": data["correct"]}
        if right == RightKind.MINOR_CONTENT_REMOVAL:
            return {"content": data["content_description"]}
        if right == RightKind.PORTABILITY:
            details = {
                "format": data["portability_format"],
                "recipient": data["portability_recipient"],
            }
            if data["portability_recipient"] == Recipient.THIRD_PARTY:
                details["recipient_details"] = data["recipient_details"]
            return details
        return {}


# The message staff read: the free text, then the right's details under English headings.
DETAIL_HEADINGS = {
    "wrong": "What is wrong",
    "correct": "What it should say",
    "content": "Content to remove",
    "format": "Format wanted",
    "recipient": "Send to",
    "recipient_details": "Recipient",
}


def staff_message(details: dict[str, str], message: str) -> str:
    parts = [f"{DETAIL_HEADINGS[key]}:\n{value}" for key, value in details.items() if value]
    if message:
        parts.append(f"Message:\n{message}" if parts else message)
    return "\n\n".join(parts)


class AppealForm(forms.Form):
    """The appeal of a refusal, from the status page: the law asks for no reasons, so the
    message is optional (what the requester thinks was wrong helps whoever decides)."""

    message = _text(
        _("Why do you disagree with the refusal?"),
        help_text=_("Say what you think is wrong with it, and anything that should be looked at."),
    )


class ResendForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("The address you gave on the request form."),
        error_messages={"required": ERROR_REQUIRED_EMAIL, "invalid": ERROR_INVALID_EMAIL},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


@dataclass
class ErrorLink:
    """One line of the error summary: the message and the id of the field it is about."""

    message: str
    target: str
    extra: list[str] = field(default_factory=list)


def error_summary(form: forms.Form, first_ids: dict[str, str]) -> list[ErrorLink]:
    """The errors in the order of the fields, each linked to its field (or first option)."""
    links = []
    for name in form.fields:
        for message in form.errors.get(name, []):
            target = first_ids.get(name) or form[name].auto_id
            links.append(ErrorLink(str(message), target))
    for message in form.non_field_errors():
        links.append(ErrorLink(str(message), "request-form"))
    return links
