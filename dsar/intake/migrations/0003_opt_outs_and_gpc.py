"""Opt-outs and appeals come through the public side without a confirmation link, and the Global
Privacy Control signal of a browser is recorded once per organization.

``confirmation_asked`` has a database default, so the previous release, still serving while this
migrates, keeps inserting submissions; ``verification_sent_at`` may now be empty (no link sent).
``GpcSignal`` is a new table: its constraints are created with it.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0002_waiting_for_email_confirmation"),
        ("organizations", "0006_verification_and_appeals"),
    ]

    operations = [
        migrations.AddField(
            model_name="intakesubmission",
            name="confirmation_asked",
            field=models.BooleanField(
                db_default=True,
                default=True,
                help_text=(
                    "False for an opt-out and an appeal: they are acted on at once, without a "
                    "confirmation link (Cal. Code Regs. tit. 11 §7060(b))."
                ),
                verbose_name="email confirmation asked",
            ),
        ),
        migrations.AlterField(
            model_name="intakesubmission",
            name="verification_sent_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="confirmation link last sent at"
            ),
        ),
        migrations.CreateModel(
            name="GpcSignal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="gpc_signals",
                        to="organizations.organization",
                        verbose_name="organization",
                    ),
                ),
                (
                    "browser_hash",
                    models.CharField(
                        editable=False,
                        help_text="SHA-256 of the random id in the browser's cookie.",
                        max_length=64,
                        verbose_name="browser hash",
                    ),
                ),
                ("first_seen_at", models.DateTimeField(verbose_name="first received at")),
                ("last_seen_at", models.DateTimeField(verbose_name="last received at")),
            ],
            options={
                "verbose_name": "Global Privacy Control signal",
                "verbose_name_plural": "Global Privacy Control signals",
                "ordering": ["organization", "-last_seen_at", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("organization", "browser_hash"),
                        name="intake_gpc_one_row_per_browser",
                    )
                ],
            },
        ),
    ]
