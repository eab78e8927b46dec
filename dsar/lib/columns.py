"""The database column behind a model field, for the few statements written in SQL by hand.

``Model._meta.get_field`` also answers with reverse relations and generic foreign keys, which
have no column; a raw statement needs a real one, and a misspelt or columnless name is a bug to
report by name rather than to render as ``"None"`` in SQL.
"""

from __future__ import annotations

from django.db import models


def column(model: type[models.Model], name: str) -> str:
    """The column of ``model``'s field ``name`` (``organization`` gives ``organization_id``)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.column:
        raise LookupError(f"{model.__name__}.{name} has no database column")
    return field.column


def attname(model: type[models.Model], name: str) -> str:
    """The attribute that holds field ``name``'s raw value (``organization_id`` for a key)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise LookupError(f"{model.__name__}.{name} is not a concrete field")
    return field.attname
