"""Let a purge blank the reasons an event quotes, and nothing else (issue 18).

The append-only trigger (0002, 0010) allowed one UPDATE: chaining an event written without a
hash. It now allows a second: setting ``summary`` to "" and the ``reason`` of ``data`` to "" on
an event whose data has a reason, every other column and every other key of ``data`` unchanged.
That is what ``dsar.requests.events.blank_reasons`` does when personal data is purged; the
purge's own event vouches for each blanked event (``dsar.requests.chain``), so ``verify_trail``
still verifies the trail. The runtime role may update those two columns (``db_roles``), and the
trigger decides which updates of them pass.
"""

from django.db import migrations

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

CHAIN_ONCE_OR_BLANK_REASONS = """
CREATE OR REPLACE FUNCTION requests_event_append_only() RETURNS trigger AS $$
BEGIN
    -- Chaining an event written without a hash, once.
    IF TG_OP = 'UPDATE' AND OLD.hash = '' AND NEW.hash <> ''
       AND (to_jsonb(NEW) - 'prev_hash' - 'hash') = (to_jsonb(OLD) - 'prev_hash' - 'hash') THEN
        RETURN NEW;
    END IF;
    -- A purge: the reason, and the summary quoting it, blanked; nothing else changed.
    IF TG_OP = 'UPDATE' AND jsonb_typeof(OLD.data) = 'object' AND OLD.data ? 'reason'
       AND NEW.summary = '' AND NEW.data->>'reason' = ''
       AND (NEW.data - 'reason') = (OLD.data - 'reason')
       AND (to_jsonb(NEW) - 'summary' - 'data') = (to_jsonb(OLD) - 'summary' - 'data') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'request events are append-only: % refused on requests_requestevent', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def allow_blanking(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CHAIN_ONCE_OR_BLANK_REASONS, params=None)


def chain_once_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CHAIN_ONCE, params=None)


class Migration(migrations.Migration):
    dependencies = [("requests", "0014_fulfilment_event_kinds")]

    operations = [migrations.RunPython(allow_blanking, chain_once_only)]
