"""Settings of the processes the two-node test starts: the installation's settings, plus

- the slow file email backend of the reminder tests, writing into the one folder that every
  process shares (``DSAR_TEST_MAIL_DIR``), one file per connection named by process id, so that
  the test counts what all of them sent; ``DSAR_TEST_MARKER_DIR`` (one per process) tells which
  process was in the middle of a send when it was killed;
- a short lease on the reminders' email claims (``DSAR_REMINDER_LEASE_SECONDS``), so that the
  surviving cluster takes over a killed one's claim within the test;
- the django-q2 sentinel's tick at 30 s, so that a cluster's scheduler runs as it starts and then
  every 30 s (tests/reminders/cluster_settings.py explains why), and a cluster name of its own
  (``Q_CLUSTER_NAME``'s keys in Redis apart from any other test's).

The base is ``dsar.settings``, or ``DSAR_NODE_BASE_SETTINGS`` (a settings module that imports it:
a working tree whose unfinished apps break the full settings).
"""

import importlib
import os

_base = importlib.import_module(os.environ.get("DSAR_NODE_BASE_SETTINGS", "dsar.settings"))
globals().update({name: value for name, value in vars(_base).items() if name.isupper()})

EMAIL_BACKEND = "tests.reminders.slow_backend.SlowFileBackend"
EMAIL_FILE_PATH = os.environ["DSAR_TEST_MAIL_DIR"]
DSAR_REMINDER_LEASE_SECONDS = int(os.environ.get("DSAR_REMINDER_LEASE_SECONDS", "600"))
Q_CLUSTER = {**_base.Q_CLUSTER, "guard_cycle": 30, "name": os.environ["DSAR_TEST_CLUSTER_NAME"]}
