"""One Django group per staff role, carrying the model permissions the admin checks.

The group gives what a role may do with a kind of object; ``Membership`` says in which
organizations (tenancy), and the staff workspace checks both. Re-running ``sync_role_groups``
is harmless: it sets each group's permissions to exactly the list below.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ALL = ("add", "change", "delete", "view")

# group name (Role.group_name) -> {app label: actions on every model of the app}
ROLE_PERMISSIONS = {
    "Privacy officer": {
        "requests": ALL,
        # "publish" is policies.publish_policyversion: putting a new policy version in force.
        "policies": ("view", "add", "change", "publish"),
    },
    "Request handler": {
        "requests": ("view", "add", "change"),
        "policies": ("view",),
    },
    "Auditor (read only)": {
        "requests": ("view",),
        "policies": ("view",),
        "organizations": ("view",),
    },
}


def sync_role_groups(apps, schema_editor=None):
    """Create the groups and set their permissions (also callable with ``django.apps.apps``)."""
    # Permissions are normally created after all migrations ran (post_migrate); make sure the
    # ones this migration hands out exist already on a fresh database.
    for label in {label for perms in ROLE_PERMISSIONS.values() for label in perms}:
        config = apps.get_app_config(label)
        config.models_module = True
        create_permissions(config, verbosity=0, apps=apps)
        config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for label, actions in grants.items():
            for perm in Permission.objects.filter(content_type__app_label=label):
                if perm.codename.split("_", 1)[0] in actions:
                    wanted.append(perm)
        group.permissions.set(wanted)


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0002_membership"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("policies", "0001_initial"),
        ("requests", "0002_append_only_events"),
    ]

    operations = [migrations.RunPython(sync_role_groups, remove_role_groups)]
