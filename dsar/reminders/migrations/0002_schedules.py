"""Register the django-q2 schedules of the reminder jobs (dsar.reminders.schedules).

Idempotent: it creates only the schedules that are missing, so running it on a database that
already has them (or running ``setup_schedules`` afterwards) creates nothing new.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from dsar.reminders.schedules import ensure_schedules

    ensure_schedules(apps.get_model("django_q", "Schedule"))


def backwards(apps, schema_editor):
    from dsar.reminders.schedules import SCHEDULES

    apps.get_model("django_q", "Schedule").objects.filter(
        name__in=[spec.name for spec in SCHEDULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
