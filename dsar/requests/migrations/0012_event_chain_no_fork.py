"""A unique index on (request, prev_hash) for chained events: a forked chain cannot commit.

Built CONCURRENTLY on PostgreSQL (hence ``atomic = False``): the previous release goes on
writing events while it builds. Events it writes have no hash and are not in the index (its
condition), so its inserts never break it.
"""

from django.db import migrations, models

NAME = "requests_event_chain_no_fork"


def create_index(apps, schema_editor):
    q = schema_editor.quote_name
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f"CREATE UNIQUE INDEX {concurrently}IF NOT EXISTS {q(NAME)} ON "
        f"{q('requests_requestevent')} ({q('request_id')}, {q('prev_hash')}) "
        f"WHERE NOT ({q('hash')} = '')"
    )


def drop_index(apps, schema_editor):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"DROP INDEX {concurrently}IF EXISTS {schema_editor.quote_name(NAME)}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("requests", "0011_chain_existing_events")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(create_index, drop_index)],
            state_operations=[
                migrations.AddConstraint(
                    model_name="requestevent",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("hash", ""), _negated=True),
                        fields=("request", "prev_hash"),
                        name=NAME,
                    ),
                ),
            ],
        ),
    ]
