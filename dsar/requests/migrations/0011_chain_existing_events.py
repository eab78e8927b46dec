"""Chain every event written before the chain existed, request by request, in the order of its
id (the order it was written in), as ``dsar.requests.chain`` defines it.

A transaction of its own, apart from 0010's ALTER TABLE: it holds row locks on the events it
chains, which nothing else takes (events are only ever inserted), so the previous release goes
on writing while it runs. An event that release writes after this has read the trail is chained
by the next writer of its request, or by ``manage.py verify_trail --seal``.
"""

from django.db import migrations


def chain_existing(apps, schema_editor):
    from dsar.requests import chain

    RequestEvent = apps.get_model("requests", "RequestEvent")
    events = RequestEvent.objects.using(schema_editor.connection.alias).order_by("request_id", "id")
    batch, request_id, head = [], None, chain.GENESIS
    for event in events.iterator(chunk_size=2000):
        if event.request_id != request_id:
            request_id, head = event.request_id, chain.GENESIS
        if event.hash:
            head = event.hash
            continue
        head = chain.seal(event, head)
        batch.append(event)
        if len(batch) >= 2000:
            RequestEvent.objects.using(schema_editor.connection.alias).bulk_update(
                batch, ["prev_hash", "hash"]
            )
            batch = []
    if batch:
        RequestEvent.objects.using(schema_editor.connection.alias).bulk_update(
            batch, ["prev_hash", "hash"]
        )


class Migration(migrations.Migration):
    dependencies = [("requests", "0010_event_hash_chain")]

    # Backwards: 0010 drops the columns, and the hashes with them.
    operations = [migrations.RunPython(chain_existing, migrations.RunPython.noop)]
