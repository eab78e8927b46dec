"""Declare the django-q2 schedule of the delivery sweep (style rule 9: schedules in code).

``dsar.letters.jobs.send_due_deliveries`` sends deliveries whose retry is due and frees claims
a dead worker left behind. Each failed send also schedules its own retry; this is the net.
"""

from django.db import migrations

NAME = "letters: send due deliveries"


def forwards(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=NAME,
        defaults={
            "func": "dsar.letters.jobs.send_due_deliveries",
            "schedule_type": "I",  # Schedule.MINUTES
            "minutes": 5,
            "repeats": -1,
        },
    )


def backwards(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0002_write_once_in_the_database"),
        ("django_q", "0018_task_success_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
