"""Forms of the staff pages: a letter's free-text parts, and data attached for a package."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from dsar.letters.kinds import Part
from dsar.letters.models import DeliveryMethod
from dsar.lib import json_input


class LetterPartsForm(forms.Form):
    """One field per free-text part (``context.letter_parts``: those of the kind that apply to
    the request). Required parts are checked when issuing (by ``letter_issue``), so a
    half-written letter can still be previewed."""

    def __init__(self, parts: tuple[Part, ...], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for part in parts:
            label = f"{part.label} *" if part.required else part.label
            if part.choices:
                self.fields[part.name] = forms.ChoiceField(
                    label=label, choices=part.choices, help_text=part.help_text
                )
            else:
                self.fields[part.name] = forms.CharField(
                    label=label,
                    required=False,
                    help_text=part.help_text,
                    max_length=10_000,
                    widget=forms.Textarea(attrs={"rows": part.rows}),
                )


class SendForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How"),
        choices=[(m.value, m.label) for m in (DeliveryMethod.ATTACHMENT, DeliveryMethod.LINK)],
    )


class DataItemForm(forms.Form):
    system = forms.CharField(label=_("System"), max_length=100)
    category = forms.CharField(
        label=_("Data category"),
        max_length=300,
        widget=forms.TextInput(attrs={"list": "categories"}),
    )
    file = forms.FileField(label=_("File"), required=False)
    records = forms.CharField(
        label=_("Records (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_('A list of objects, e.g. [{"field": "value"}]. Give a file or records.'),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        limit = int(settings.DSAR_DATA_ITEM_MAX_BYTES)
        if upload is not None and upload.size > limit:
            raise forms.ValidationError(_("The file is larger than %(n)s bytes.") % {"n": limit})
        return upload

    def clean_records(self) -> list[dict[str, Any]] | None:
        text = self.cleaned_data.get("records", "").strip()
        if not text:
            return None
        try:
            records = json_input.loads(text)
        except json_input.JSONInputError as error:
            raise forms.ValidationError(str(error)) from None
        if isinstance(records, dict):
            records = [records]
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise forms.ValidationError(_("Give a list of objects."))
        return records

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("file") is None) == (data.get("records") is None):
            raise forms.ValidationError(_("Attach either a file or records."))
        return data
