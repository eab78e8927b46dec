"""Staff sign-in's part of the daily housekeeping of ``dsar.reminders`` (``hooks.DELETE_EXPIRED``).

django-axes keeps a row per successful staff sign-in (account, address, browser) and deletes
none; dsar keeps them ``DSAR_LOGIN_LOG_DAYS`` for a security review, then deletes them, as it
deletes every other piece of personal data it no longer needs. Failed attempts are axes' own
business: it deletes them once their cool-off is over, and keeps them until an administrator
unlocks when there is none. An app whose setup was never finished (its key shown, no code typed)
is deleted after a day.
"""

from __future__ import annotations

import datetime as dt

from axes.models import AccessLog
from django.conf import settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

#: An app set up halfway is kept this long for its owner to finish.
UNFINISHED_SETUP = dt.timedelta(days=1)


def delete_expired() -> dict[str, int]:
    now = timezone.now()
    logins, _ = AccessLog.objects.filter(
        attempt_time__lt=now - dt.timedelta(days=settings.DSAR_LOGIN_LOG_DAYS)
    ).delete()
    unfinished, _ = TOTPDevice.objects.filter(
        confirmed=False, created_at__lt=now - UNFINISHED_SETUP
    ).delete()
    return {"sign_ins": logins, "unfinished_setups": unfinished}
