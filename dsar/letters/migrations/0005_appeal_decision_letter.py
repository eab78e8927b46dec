"""A letter can be the decision on an appeal of a refusal (US state laws, e.g. Va. Code
§59.1-577(C)): only the choices of ``Letter.kind`` change."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0004_purge_and_expiry"),
    ]

    operations = [
        migrations.AlterField(
            model_name="letter",
            name="kind",
            field=models.CharField(
                choices=[
                    ("acknowledgement", "acknowledgement of receipt"),
                    ("verification", "request for identity verification or clarification"),
                    ("extension", "extension notice"),
                    ("access", "access response"),
                    ("rectification", "rectification confirmation"),
                    ("erasure", "erasure confirmation"),
                    ("restriction", "restriction confirmation"),
                    ("portability", "data portability cover letter"),
                    ("refusal", "refusal"),
                    ("fee", "fee notice"),
                    ("shine_the_light", "Cal. Civ. Code 1798.83 disclosure letter"),
                    ("opt_out", "opt-out confirmation"),
                    ("minor_removal", "Cal. B&P 22581 removal response"),
                    ("appeal_decision", "decision on an appeal"),
                ],
                max_length=32,
                verbose_name="kind",
            ),
        ),
    ]
