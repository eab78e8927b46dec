"""The webhook sender's schedule (dsar.webhooks.schedules), and what each staff role may do here.

Privacy officers manage subscriptions (they decide what leaves dsar, and see the secrets);
every role reads the deliveries of its organizations. Idempotent, like the reminders' schedules
and the organizations' role groups: running it again changes nothing.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Privacy officer": (
        "add_subscription",
        "change_subscription",
        "delete_subscription",
        "view_subscription",
        "view_delivery",
        "view_deliveryattempt",
    ),
    "Request handler": ("view_delivery", "view_deliveryattempt"),
    "Auditor (read only)": ("view_delivery", "view_deliveryattempt"),
}


def _permissions(apps, codenames):
    config = apps.get_app_config("webhooks")
    config.models_module = True
    create_permissions(config, verbosity=0, apps=apps)
    config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return list(Permission.objects.filter(content_type__app_label="webhooks", codename__in=codenames))


def forwards(apps, schema_editor):
    from dsar.webhooks.schedules import ensure_schedules

    ensure_schedules(apps.get_model("django_q", "Schedule"))
    Group = apps.get_model("auth", "Group")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(apps, codenames))


def backwards(apps, schema_editor):
    from dsar.webhooks.schedules import SCHEDULES

    apps.get_model("django_q", "Schedule").objects.filter(
        name__in=[spec.name for spec in SCHEDULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_initial"),
        ("organizations", "0004_role_groups_view_archives"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
