"""The DRP status callbacks' schedule (dsar.drp.schedules), and what each staff role may do.

Privacy officers switch their organization's DRP business on and may revoke a pairing; every
role reads the agents, the DRP requests and their callbacks of its organizations. Registering an
agent is a superuser's (the admin checks it). Idempotent.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW = ("view_agent", "view_drprequest", "view_statuscallback", "view_pairing")
GRANTS = {
    "Privacy officer": (*VIEW, "view_business", "add_business", "change_business", "delete_pairing"),
    "Request handler": VIEW,
    "Auditor (read only)": VIEW,
}


def _permissions(apps, codenames):
    config = apps.get_app_config("drp")
    config.models_module = True
    create_permissions(config, verbosity=0, apps=apps)
    config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return list(Permission.objects.filter(content_type__app_label="drp", codename__in=codenames))


def forwards(apps, schema_editor):
    from dsar.drp.schedules import ensure_schedules

    ensure_schedules(apps.get_model("django_q", "Schedule"))
    Group = apps.get_model("auth", "Group")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(apps, codenames))


def backwards(apps, schema_editor):
    from dsar.drp.schedules import SCHEDULES

    apps.get_model("django_q", "Schedule").objects.filter(
        name__in=[spec.name for spec in SCHEDULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("drp", "0001_initial"),
        ("organizations", "0004_role_groups_view_archives"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
