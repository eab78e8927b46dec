"""An index for the request lists that span organizations, newest first.

The staff list of a superuser (every organization's rows) is ``ORDER BY received_at DESC, id
DESC LIMIT 50``; the (organization, received_at) index cannot give that order, so at a million
requests PostgreSQL read and sorted every row: 2.2 s a page (bench/request_list_1m.py). With this
index the page reads its 50 rows. It belongs with the requests app's indexes; it is created here
because that app's migrations were being written by others at the same time, and ``IF NOT
EXISTS`` lets it move there later without a clash.
"""

from django.db import migrations

INDEX = "requests_received_newest"


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
        ("requests", "0007_requester_reasons_email_confirmation_fee_currency"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} "
            "ON requests_privacyrequest (received_at DESC, id DESC)",
            f"DROP INDEX IF EXISTS {INDEX}",
        )
    ]
