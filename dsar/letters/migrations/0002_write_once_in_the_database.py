"""Refuse, in the database itself, to change what an issued letter or a built package contains.

The model and its queryset already refuse; the triggers make the archive hold against raw SQL
and any code path that bypasses the ORM. Only ``released_at`` (a letter) and the release and
download columns (a package) may change. On PostgreSQL, DELETE is refused too (TRUNCATE, used
only by test teardown, is not a row operation). SQLite blocks updates only: its test flush
deletes rows one table at a time.
"""

from django.db import migrations

LETTER_COLUMNS = [
    "request_id", "number", "kind", "language", "parts", "template", "template_version",
    "file", "sha256", "size", "issued_at", "issued_by_id", "corrects_id", "batch",
]
PACKAGE_COLUMNS = [
    "request_id", "number", "cover_letter_id", "file", "sha256", "size", "item_count",
    "built_at",
]
TABLES = {"letters_letter": LETTER_COLUMNS, "letters_datapackage": PACKAGE_COLUMNS}


RELEASED_ONCE = """IF OLD.released_at IS NOT NULL AND NEW.released_at IS DISTINCT FROM OLD.released_at THEN
        RAISE EXCEPTION 'letters_letter.released_at is set only once'
            USING ERRCODE = 'insufficient_privilege';
    END IF;"""


def _pg_create(table, columns):
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in columns)
    released_once = RELEASED_ONCE if table == "letters_letter" else ""
    return f"""
CREATE FUNCTION {table}_write_once() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '{table} rows are kept as evidence: DELETE refused'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF {changed} THEN
        RAISE EXCEPTION '{table}: an issued row cannot change'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    {released_once}
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER {table}_write_once
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_write_once();
"""


def _pg_drop(table):
    return f"""
DROP TRIGGER IF EXISTS {table}_write_once ON {table};
DROP FUNCTION IF EXISTS {table}_write_once();
"""


def _sqlite_create(table, columns):
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)
    statements = [
        f"""
CREATE TRIGGER {table}_write_once BEFORE UPDATE ON {table}
FOR EACH ROW WHEN {changed}
BEGIN
    SELECT RAISE(ABORT, '{table}: an issued row cannot change');
END;
"""
    ]
    if table == "letters_letter":
        statements.append(
            """
CREATE TRIGGER letters_letter_released_once BEFORE UPDATE ON letters_letter
FOR EACH ROW WHEN OLD.released_at IS NOT NULL AND NEW.released_at IS NOT OLD.released_at
BEGIN
    SELECT RAISE(ABORT, 'letters_letter.released_at is set only once');
END;
"""
        )
    return statements


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, columns in TABLES.items():
        if vendor == "postgresql":
            schema_editor.execute(_pg_create(table, columns))
        elif vendor == "sqlite":
            for statement in _sqlite_create(table, columns):
                schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(_pg_drop(table))
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_write_once")
    if vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS letters_letter_released_once")


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
