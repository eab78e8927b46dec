"""``in`` on an integer column leaves out the values no integer column can hold.

Django refuses an out-of-range integer quietly for ``exact`` and the comparisons (no row
matches; ``IntegerFieldOverflow``) but not for ``in``: SQLite's driver raises ``OverflowError``
binding a value beyond 64 bits, a 500 where a form should say "Select a valid choice" (a
multiple-choice field checks its values with ``pk__in``: the admin's group permissions, a
recipient's systems). No row holds such a value, so leaving it out changes no answer, on any
database (docs/security.md, "Malformed input").
"""

from __future__ import annotations

from typing import Any

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerIn(In):
    """``in``, without the integers beyond the column's range (they match no row)."""

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register() -> None:
    """Make ``in`` on every integer field (primary keys included) the range-aware one."""
    IntegerField.register_lookup(IntegerIn)
