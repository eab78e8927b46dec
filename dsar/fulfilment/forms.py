"""Forms of the register's staff pages and of a task's actions."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from dsar.fulfilment.models import System
from dsar.organizations.models import Organization
from dsar.policies.models import RightKind

#: The largest file a task owner may attach as what a system holds (the data package is
#: downloaded by the requester; bigger exports go in through a connector or in parts).


class SystemForm(forms.ModelForm):
    rights = forms.MultipleChoiceField(
        label=_("Rights that apply"),
        choices=RightKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A request for one of these rights gets a task in this system."),
    )

    class Meta:
        model = System
        fields = (
            "organization",
            "name",
            "kind",
            "owner",
            "rights",
            "instructions",
            "data_categories",
            "retention",
            "location",
            "transfer_safeguards",
            "connector",
            "dsn_env",
            "access_query",
            "erasure_statement",
            "timeout_seconds",
            "endpoint_url",
            "secret_env",
        )


class CompleteForm(forms.Form):
    outcome = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded on the request's timeline."),
    )
    not_applicable = forms.BooleanField(
        label=_("The system holds nothing of this person (not applicable)"), required=False
    )
    file = forms.FileField(
        label=_("File found"),
        required=False,
        help_text=_("For access: an export of what the system holds; goes into the data package."),
    )
    records = forms.CharField(
        label=_("Rows found (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('For access: a JSON list of objects, e.g. [{"email": "…", "since": "2021"}].'),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        # The file goes into the data package: the package's limit (DSAR_DATA_ITEM_MAX_BYTES).
        limit = int(settings.DSAR_DATA_ITEM_MAX_BYTES)
        if upload is not None and upload.size > limit:
            raise forms.ValidationError(_("The file is larger than %(n)s bytes.") % {"n": limit})
        return upload

    def clean_records(self) -> list[dict[str, Any]] | None:
        text = self.cleaned_data.get("records", "").strip()
        if not text:
            return None
        try:
            records = json.loads(text)
        except ValueError as error:
            raise forms.ValidationError(_("Not valid JSON: %(error)s") % {"error": error}) from None
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise forms.ValidationError(_("Give a list of objects (field: value)."))
        return records

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("file") is not None and data.get("records"):
            raise forms.ValidationError(_("Attach a file or rows, not both at once."))
        return data


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why reopen it"), widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(forms.Form):
    # The queryset is the organizations the staff member may write to, set in __init__.
    organization: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=_("Organization"), queryset=None
    )
    what = forms.ChoiceField(
        label=_("Register"),
        choices=[("systems", _("systems")), ("recipients", _("recipients"))],
    )
    file = forms.FileField(label=_("CSV file"))

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Save the CSV as UTF-8.")) from None
