"""The outbox sweep's schedule (dsar.outbox.schedules). Idempotent, like the reminders'
schedules: running it again changes nothing."""

from django.db import migrations


def forwards(apps, schema_editor):
    from dsar.outbox.schedules import ensure_schedules

    ensure_schedules(apps.get_model("django_q", "Schedule"))


def backwards(apps, schema_editor):
    from dsar.outbox.schedules import SCHEDULES

    apps.get_model("django_q", "Schedule").objects.filter(
        name__in=[spec.name for spec in SCHEDULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0001_email"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
