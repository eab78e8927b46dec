"""What each staff role may do with the register and the tasks.

Privacy officers keep the register (systems, recipients, the task margin); handlers read it and
do tasks; auditors read everything. The register's change log is read-only for all: only the
register's own writes add to it. Idempotent, like the other apps' role migrations.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REGISTER = ("system", "recipient", "taskmargin")
READ = (
    *(f"view_{m}" for m in REGISTER),
    "view_registerchange",
    "view_task",
    "view_connectorrun",
    "view_recipientnotice",
)
GRANTS = {
    "Privacy officer": (
        *READ,
        *(f"{a}_{m}" for a in ("add", "change", "delete") for m in REGISTER),
        "change_task",
        "add_connectorrun",
        "add_recipientnotice",
        "change_recipientnotice",
    ),
    "Request handler": (
        *READ,
        "change_task",
        "add_connectorrun",
        "add_recipientnotice",
        "change_recipientnotice",
    ),
    "Auditor (read only)": READ,
}


def _permissions(apps, codenames):
    config = apps.get_app_config("fulfilment")
    config.models_module = True
    create_permissions(config, verbosity=0, apps=apps)
    config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return list(
        Permission.objects.filter(content_type__app_label="fulfilment", codename__in=codenames)
    )


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(apps, codenames))


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    every = {c for codenames in GRANTS.values() for c in codenames}
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.remove(*_permissions(apps, every))


class Migration(migrations.Migration):
    dependencies = [
        ("fulfilment", "0001_systems_register_and_tasks"),
        ("organizations", "0006_verification_and_appeals"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
