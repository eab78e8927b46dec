"""Settings for the sweeps the concurrency test starts as processes: dsar.settings, plus a slow
file email backend and a short lease, both from the environment the test sets."""

import os

from dsar.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.reminders.slow_backend.SlowFileBackend"
EMAIL_FILE_PATH = os.environ["DSAR_TEST_MAIL_DIR"]
DSAR_REMINDER_LEASE_SECONDS = int(os.environ.get("DSAR_REMINDER_LEASE_SECONDS", "600"))
