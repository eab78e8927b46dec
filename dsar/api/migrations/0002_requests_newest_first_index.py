"""An index for the request lists that span organizations, newest first.

The staff list of a superuser (every organization's rows) is ``ORDER BY received_at DESC, id
DESC LIMIT 50``; the (organization, received_at) index cannot give that order, so at a million
requests PostgreSQL read and sorted every row: 2.2 s a page (bench/request_list_1m.py). With this
index the page reads its 50 rows. It belongs with the requests app's indexes; it is created here
because that app's migrations were being written by others at the same time, and ``IF NOT
EXISTS`` lets it move there later without a clash.
"""

from django.db import migrations

INDEX = "requests_received_newest"


def _concurrently(schema_editor) -> str:
    # PostgreSQL builds it without blocking writes to requests (the previous release serves
    # meanwhile: docs/deploy.md, Upgrades); SQLite has no such option and no concurrent writers.
    return "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""


def create_index(apps, schema_editor):
    q = schema_editor.quote_name
    schema_editor.execute(
        f"CREATE INDEX {_concurrently(schema_editor)}IF NOT EXISTS {q(INDEX)} "
        f"ON {q('requests_privacyrequest')} ({q('received_at')} DESC, {q('id')} DESC)"
    )


def drop_index(apps, schema_editor):
    q = schema_editor.quote_name
    schema_editor.execute(f"DROP INDEX {_concurrently(schema_editor)}IF EXISTS {q(INDEX)}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [
        ("api", "0001_initial"),
        ("requests", "0007_requester_reasons_email_confirmation_fee_currency"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
