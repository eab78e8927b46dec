"""Requests from the web form that still wait for their email address to be confirmed wait for
that, not for identity information: following the link confirms an address, it does not verify
an identity, and no clock stops for it (docs/legal-decisions.md, "Email confirmation").

The request rows are updated, not their events: the trail is never rewritten.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    PrivacyRequest = apps.get_model("requests", "PrivacyRequest")
    PrivacyRequest.objects.filter(
        status="waiting_requester",
        waiting_for="identity",
        intake__verified_at__isnull=True,
        intake__isnull=False,
    ).update(waiting_for="email")


def backwards(apps, schema_editor):
    PrivacyRequest = apps.get_model("requests", "PrivacyRequest")
    PrivacyRequest.objects.filter(status="waiting_requester", waiting_for="email").update(
        waiting_for="identity"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0001_initial"),
        ("requests", "0007_requester_reasons_email_confirmation_fee_currency"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
