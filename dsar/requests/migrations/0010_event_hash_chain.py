"""The hash chain of every request's trail (dsar.requests.chain): its two columns, and a trigger
that lets an event be chained once. 0011 chains the events written before it; 0012 indexes it.

1. ``prev_hash`` and ``hash``, with the database default "" (no rewrite of the table: a constant
   default is stored in the catalogue). The previous release, still serving while this runs,
   inserts events without them: its events get "" and are chained later (step 2's rule).
2. On PostgreSQL the append-only trigger of 0002 is replaced by one that allows a single kind of
   UPDATE: setting ``prev_hash`` and ``hash`` of an event whose ``hash`` is "", every other
   column unchanged. Content is never rewritable; a hash is set once.

Quick: the columns are added without rewriting the table, and this migration's lock on it
(ALTER TABLE) ends with it, before 0011 reads the whole trail.
"""

from django.db import migrations, models

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION requests_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'request events are append-only: % refused on requests_requestevent', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

CHAIN_ONCE = """
CREATE OR REPLACE FUNCTION requests_event_append_only() RETURNS trigger AS $$
BEGIN
    -- The one change allowed: chaining an event written without a hash, once.
    IF TG_OP = 'UPDATE' AND OLD.hash = '' AND NEW.hash <> ''
       AND (to_jsonb(NEW) - 'prev_hash' - 'hash') = (to_jsonb(OLD) - 'prev_hash' - 'hash') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'request events are append-only: % refused on requests_requestevent', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def allow_chaining(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CHAIN_ONCE, params=None)


def refuse_all(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY, params=None)


class Migration(migrations.Migration):
    dependencies = [("requests", "0009_drp_channel")]

    operations = [
        migrations.AddField(
            model_name="requestevent",
            name="hash",
            field=models.CharField(
                blank=True,
                db_default="",
                editable=False,
                help_text="SHA-256 of the previous hash, the request and what this event says.",
                max_length=64,
                verbose_name="hash",
            ),
        ),
        migrations.AddField(
            model_name="requestevent",
            name="prev_hash",
            field=models.CharField(
                blank=True,
                db_default="",
                editable=False,
                help_text="Empty for the first event of a request.",
                max_length=64,
                verbose_name="hash of the previous event",
            ),
        ),
        migrations.RunPython(allow_chaining, refuse_all),
    ]
