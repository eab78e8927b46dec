"""Let every staff role read the archive apps' admins: letters, intake and reminders.

Migration 0003 gave the role groups permissions on ``requests``, ``policies`` and
``organizations`` only, so the read-only admins of letters, deliveries, data packages and items,
intake submissions and released files, reminders and notifications answered 403 to everyone but
superusers. Those admins are read-only and limited to the user's organizations, so privacy
officers, handlers and auditors all get ``view`` on them, and nothing more.

Idempotent: permissions are added (never set), so running it again, or after 0003's
``sync_role_groups``, gives the same groups.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ("Privacy officer", "Request handler", "Auditor (read only)")

# app label -> models whose "view" permission each role gets
VIEW = {
    "letters": ("letter", "letterdelivery", "datapackage", "dataitem"),
    "intake": ("intakesubmission", "releasedfile"),
    "reminders": ("reminder", "notification"),
}


def _permissions(apps):
    # On a fresh database permissions are created after all migrations (post_migrate).
    for label in VIEW:
        config = apps.get_app_config(label)
        config.models_module = True
        create_permissions(config, verbosity=0, apps=apps)
        config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(
            content_type__app_label=label, content_type__model=model, codename=f"view_{model}"
        )
        for label, models in VIEW.items()
        for model in models
    ]


def grant_view(apps, schema_editor=None):
    """Add the view permissions to each role group (also callable with ``django.apps.apps``)."""
    Group = apps.get_model("auth", "Group")
    permissions = _permissions(apps)
    for name in ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def revoke_view(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = _permissions(apps)
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0003_role_groups"),
        ("letters", "0004_purge_and_expiry"),
        ("intake", "0001_initial"),
        ("reminders", "0002_schedules"),
    ]

    operations = [migrations.RunPython(grant_view, revoke_view)]
