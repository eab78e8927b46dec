"""Fill the demo's stand-in for IMG's shop database, which its store's connector reaches.

Creates ``customers`` and ``orders`` in the database at ``DSAR_DEMO_SHOP_DB_URL`` (an empty
PostgreSQL database you created for it) with a customer for each requester of IMG's open demo
requests, so that "Collect the person's rows" and an erasure's count have something to find.
Refuses to touch a database whose ``customers`` table already holds rows.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dsar.fulfilment.demo import DEMO_SHOP_ENV
from dsar.requests.models import PrivacyRequest


class Command(BaseCommand):
    help = f"Create and fill the demo shop database at ${DEMO_SHOP_ENV}."

    def handle(self, *args: Any, **options: Any) -> None:
        import psycopg

        url = os.environ.get(DEMO_SHOP_ENV)
        if not url:
            raise CommandError(f"Set {DEMO_SHOP_ENV} to the URL of an empty PostgreSQL database.")
        requesters = list(
            PrivacyRequest.objects.open()
            .filter(organization__slug="img")
            .exclude(requester_email="")
            .order_by("pk")
            .values_list("requester_email", "requester_name")
            .distinct()
        )
        with psycopg.connect(url) as connection:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS customers (id serial PRIMARY KEY, email text NOT NULL,"
                " name text NOT NULL, since date NOT NULL DEFAULT current_date)"
            )
            connection.execute(
                "CREATE TABLE IF NOT EXISTS orders (id serial PRIMARY KEY, customer_id integer"
                " NOT NULL REFERENCES customers ON DELETE CASCADE, item text NOT NULL,"
                " total numeric(8, 2), ordered_on date NOT NULL DEFAULT current_date)"
            )
            if _row(connection.execute("SELECT count(*) FROM customers").fetchone())[0]:
                raise CommandError("The customers table already holds rows: left as it is.")
            for email, name in requesters:
                (customer,) = _row(
                    connection.execute(
                        "INSERT INTO customers (email, name) VALUES (%s, %s) RETURNING id",
                        [email, name],
                    ).fetchone()
                )
                connection.execute(
                    "INSERT INTO orders (customer_id, item, total)"
                    " VALUES (%s, %s, %s), (%s, %s, %s)",
                    [customer, "FoneTrac tracker", "49.00", customer, "Annual plan", "120.00"],
                )
        self.stdout.write(f"Demo shop database: {len(requesters)} customers with two orders each.")


def _row(row: tuple[Any, ...] | None) -> tuple[Any, ...]:
    """The row of a statement that always returns one (a count, an INSERT … RETURNING):
    psycopg types ``fetchone()`` as possibly None."""
    if row is None:
        raise CommandError("The shop database returned no row where one was expected.")
    return row
