"""The admin's autocomplete fields, shown again after a post holding a value that is no id.

When a form with an autocomplete field (``autocomplete_fields``) is shown again with its errors,
Django's ``AutocompleteSelect`` looks up the posted value to show its label, without checking it
first: ``user=abc`` reaches ``id__in=['abc']`` and raises ValueError, a 500 where the form
should say "Select a valid choice". ``CheckedAutocompleteMixin`` gives those fields a widget that
looks up only values the related key accepts; the form's own error is shown as for any field.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db.models import Field
from django.http import HttpRequest


def _valid_keys(field: Any, values: Sequence[str]) -> list[str]:
    """The values of ``values`` that the key the relation points to can hold."""
    remote = field.remote_field
    target: Field = remote.model._meta.get_field(
        getattr(remote, "field_name", None) or remote.model._meta.pk.name
    )
    kept = []
    for value in values:
        try:
            target.get_prep_value(target.to_python(value))
        except (ValidationError, ValueError, TypeError, OverflowError):
            continue
        kept.append(value)
    return kept


class CheckedAutocompleteSelect(AutocompleteSelect):
    def optgroups(self, name: str, value: Sequence[str], attr: Any = None) -> list[Any]:
        return super().optgroups(name, _valid_keys(self.field, value), attr)


class CheckedAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    def optgroups(self, name: str, value: Sequence[str], attr: Any = None) -> list[Any]:
        return super().optgroups(name, _valid_keys(self.field, value), attr)


class CheckedAutocompleteMixin:
    """For a ModelAdmin or an inline with ``autocomplete_fields``."""

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]
            kwargs["widget"] = CheckedAutocompleteSelect(
                db_field,
                self.admin_site,  # type: ignore[attr-defined]
                using=kwargs.get("using"),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]
            kwargs["widget"] = CheckedAutocompleteSelectMultiple(
                db_field,
                self.admin_site,  # type: ignore[attr-defined]
                using=kwargs.get("using"),
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
