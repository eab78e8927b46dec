"""A file email backend that takes its time, so a test can kill a sweep in the middle of a send.

Before each message it writes a marker ``<pid>-<n>`` to ``DSAR_TEST_MARKER_DIR``, then sleeps
``DSAR_TEST_SEND_DELAY`` seconds, then writes the message to ``EMAIL_FILE_PATH``, one file per
connection named by process id, so that processes never share a file.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend


class SlowFileBackend(EmailBackend):
    def _get_filename(self) -> str:
        if self._fname is None:
            self._fname = os.path.join(self.file_path, f"{os.getpid()}-{uuid.uuid4().hex}.eml")
        return self._fname

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        markers = Path(os.environ["DSAR_TEST_MARKER_DIR"])
        for _ in email_messages:
            (markers / f"{os.getpid()}-{uuid.uuid4().hex}").touch()
            time.sleep(float(os.environ.get("DSAR_TEST_SEND_DELAY", "0")))
        return super().send_messages(email_messages)
