"""Let housekeeping delete what a closed request's letters and packages hold, and nothing else.

After the retention period a letter's PDF is deleted and its free-text parts blanked; the row
(reference, kind, SHA-256, dates) stays as the record of what was sent. The write-once trigger
of migration 0002 is replaced by one that allows exactly that: ``parts`` may change only to
``{}`` in the UPDATE that sets ``purged_at``, and ``purged_at`` is set once. Everything else the
trigger guarded stays guarded. A package's ``file_deleted_at`` is not a guarded column.
"""

import importlib

from django.db import migrations, models

WRITE_ONCE = importlib.import_module("dsar.letters.migrations.0002_write_once_in_the_database")
GUARDED = [c for c in WRITE_ONCE.LETTER_COLUMNS if c != "parts"]

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION letters_letter_write_once() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'letters_letter rows are kept as evidence: DELETE refused'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF {changed} THEN
        RAISE EXCEPTION 'letters_letter: an issued row cannot change'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.parts IS DISTINCT FROM OLD.parts AND NOT (
        OLD.purged_at IS NULL AND NEW.purged_at IS NOT NULL AND NEW.parts = '{{}}'::jsonb
    ) THEN
        RAISE EXCEPTION 'letters_letter.parts change only when the letter is purged'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.purged_at IS NOT NULL AND NEW.purged_at IS DISTINCT FROM OLD.purged_at THEN
        RAISE EXCEPTION 'letters_letter.purged_at is set only once'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    {released_once}
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""

SQLITE_TRIGGERS = [
    """
CREATE TRIGGER letters_letter_write_once BEFORE UPDATE ON letters_letter
FOR EACH ROW WHEN {changed}
BEGIN
    SELECT RAISE(ABORT, 'letters_letter: an issued row cannot change');
END;
""",
    """
CREATE TRIGGER letters_letter_parts_purge_only BEFORE UPDATE ON letters_letter
FOR EACH ROW WHEN (NEW.parts IS NOT OLD.parts AND NOT (
    OLD.purged_at IS NULL AND NEW.purged_at IS NOT NULL AND NEW.parts = '{{}}'
)) OR (OLD.purged_at IS NOT NULL AND NEW.purged_at IS NOT OLD.purged_at)
BEGIN
    SELECT RAISE(ABORT, 'letters_letter: parts and purged_at change only in a purge');
END;
""",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in GUARDED)
        schema_editor.execute(
            PG_FUNCTION.format(changed=changed, released_once=WRITE_ONCE.RELEASED_ONCE)
        )
    elif vendor == "sqlite":
        changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in GUARDED)
        schema_editor.execute("DROP TRIGGER IF EXISTS letters_letter_write_once")
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement.format(changed=changed))


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(WRITE_ONCE._pg_drop("letters_letter"))
        schema_editor.execute(WRITE_ONCE._pg_create("letters_letter", WRITE_ONCE.LETTER_COLUMNS))
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS letters_letter_write_once")
        schema_editor.execute("DROP TRIGGER IF EXISTS letters_letter_parts_purge_only")
        # The original update trigger (its released-once companion was never dropped).
        first = WRITE_ONCE._sqlite_create("letters_letter", WRITE_ONCE.LETTER_COLUMNS)[0]
        schema_editor.execute(first)


class Migration(migrations.Migration):
    dependencies = [("letters", "0003_delivery_sweep_schedule")]

    operations = [
        migrations.AddField(
            model_name="dataitem",
            name="purged_at",
            field=models.DateTimeField(
                blank=True,
                help_text="After the retention period the file or records are deleted; system, "
                "category, kind and SHA-256 stay.",
                null=True,
                verbose_name="personal data purged at",
            ),
        ),
        migrations.AddField(
            model_name="datapackage",
            name="file_deleted_at",
            field=models.DateTimeField(
                blank=True,
                help_text="The ZIP is deleted when its link expires or the request's data is "
                "purged; the row stays as the record of what was released.",
                null=True,
                verbose_name="ZIP deleted at",
            ),
        ),
        migrations.AddField(
            model_name="letter",
            name="purged_at",
            field=models.DateTimeField(
                blank=True,
                help_text="After the retention period the PDF is deleted and the free-text parts "
                "blanked; the reference, kind, SHA-256 and dates stay as the record of what was "
                "sent.",
                null=True,
                verbose_name="personal data purged at",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
