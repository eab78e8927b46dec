"""Rows of a related table read as one JSON column of the outer query, on PostgreSQL and SQLite.

``prefetch_related`` reads a one-to-many relation in a second query. Where a page already sits at
its query budget (the staff request page, bench/request_page.py) and the related rows are few and
small, they can come with the outer rows instead: a correlated subquery aggregating them into a
JSON array (``JSONB_AGG`` on PostgreSQL, ``JSON_GROUP_ARRAY`` on SQLite), decoded by Django's
``JSONField``. The rows come back as model instances built from the values, so templates use them
as they would the prefetched ones; their order is the caller's (an aggregate's order is not
portable), and they are read-only snapshots, not for saving.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.db.models import Aggregate, OuterRef, Subquery
from django.db.models.functions import JSONObject

M = TypeVar("M", bound=models.Model)


class _JSONArrayAgg(Aggregate):
    function = "JSON_GROUP_ARRAY"
    output_field = models.JSONField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def json_rows(
    rows_of: type[models.Model] | models.QuerySet[Any], fk: str, fields: list[str]
) -> Subquery:
    """An annotation: the rows of ``rows_of`` (a model, or a queryset to filter them) whose
    ``fk`` is the outer row, as a JSON array of objects with ``fields`` (None when none)."""
    queryset = rows_of if isinstance(rows_of, models.QuerySet) else rows_of._default_manager.all()
    rows = (
        queryset.filter(**{fk: OuterRef("pk")})
        .order_by()
        .values(fk)
        .annotate(rows=_JSONArrayAgg(JSONObject(**{name: name for name in fields})))
        .values("rows")
    )
    return Subquery(rows, output_field=models.JSONField())


def instances(model: type[M], rows: list[dict[str, Any]] | None, order_by: str = "pk") -> list[M]:
    """The rows of a ``json_rows`` annotation as ``model`` instances, sorted by ``order_by``."""
    built = [model(**row) for row in rows or []]
    return sorted(built, key=lambda instance: getattr(instance, order_by))
