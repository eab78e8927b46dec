"""On PostgreSQL, refuse UPDATE and DELETE of request events in the database itself.

The model already refuses them; the trigger makes the audit trail hold against raw SQL and any
code path that bypasses the ORM. TRUNCATE (used only by test teardown) is not a row operation
and is not blocked. Other databases rely on the model guard alone.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION requests_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'request events are append-only: % refused on requests_requestevent', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER requests_event_append_only
    BEFORE UPDATE OR DELETE ON requests_requestevent
    FOR EACH ROW EXECUTE FUNCTION requests_event_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS requests_event_append_only ON requests_requestevent;
DROP FUNCTION IF EXISTS requests_event_append_only();
"""


# params=None: the SQL goes to the database as is, so the "%" of RAISE is not read as a
# placeholder (schema_editor.execute's default, params=(), makes psycopg interpolate).


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("requests", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
