"""Give the privacy officer's group the permissions its role is described with (issue 18).

The admins say what a privacy officer does: sets the organization's staff and their roles
(``MembershipAdmin``, ``MembershipInline``), decides what the organization's record says (whose
law reaches it, its public form, its currency: ``OrganizationAdmin``) with its addresses,
contacts and 1798.83 register, and writes draft policy versions, rows deleted included
(``DraftOnlyInline``, ``undeletable_reason``). Migration 0003 gave the group nothing on
``organizations`` and no ``delete`` on ``policies``, so those pages answered 403 or showed the
inlines read-only, although the admins' tenancy checks were written for exactly this role.

Granted here, and no more: ``view`` and ``change`` of an organization (creating or deleting a
tenant stays the superuser's); everything on its addresses, contacts, memberships and register;
``delete`` on the policies app (the admin allows it on drafts only). Where it applies is still the
membership's business: ``TenantAdminMixin`` lets a privacy officer write only in organizations
where they hold that role.

Idempotent: permissions are added, never set.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Privacy officer"
ALL = ("add", "change", "delete", "view")
#: app label -> {model: actions}; "*" is every model of the app.
GRANTS = {
    "organizations": {
        "organization": ("view", "change"),
        "organizationaddress": ALL,
        "organizationcontact": ALL,
        "membership": ALL,
        "marketingdisclosure": ALL,
    },
    "policies": {"*": ("delete",)},
}


def _permissions(apps):
    for label in GRANTS:
        # On a fresh database permissions are created after all migrations (post_migrate).
        config = apps.get_app_config(label)
        config.models_module = True
        create_permissions(config, verbosity=0, apps=apps)
        config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    found = []
    for label, models in GRANTS.items():
        for permission in Permission.objects.filter(content_type__app_label=label).select_related(
            "content_type"
        ):
            action, _, model = permission.codename.partition("_")
            actions = models.get(model, models.get("*", ()))
            if action in actions and model == permission.content_type.model:
                found.append(permission)
    return found


def grant(apps, schema_editor=None):
    """Add the permissions to the group (also callable with ``django.apps.apps``)."""
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
    group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0006_verification_and_appeals"),
        ("policies", "0003_drp_channel"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
