"""The three secrets of the public side: the confirmation link, the status link, download links.

1. The confirmation link carries a token modelled on ``django.contrib.auth.tokens``: a timestamp
   and an HMAC of the submission's state. It needs no storage, expires by itself
   (``DSAR_INTAKE_VERIFY_MAX_AGE`` seconds, default 3 days) and is single use: the hash covers the
   request's identity status and status, which confirming changes, so a used link is dead.
2. The status link carries 256 random bits. Only their SHA-256 is stored, so the database (or a
   backup of it) does not hold a working link; the reference alone opens nothing.
3. A download link is signed and time-stamped (``DSAR_INTAKE_DOWNLOAD_MAX_AGE`` seconds, default
   one hour), names one released file or letter and the status token it was issued under (by a
   prefix of its hash), so a revoked status link or the end of the hour kills it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import base36_to_int, int_to_base36

if TYPE_CHECKING:
    from dsar.intake.models import IntakeSubmission


_EPOCH = datetime(2001, 1, 1, tzinfo=UTC)


class ConfirmationTokenGenerator:
    """Make and check the token of a submission's email-confirmation link.

    Like ``PasswordResetTokenGenerator``: "<timestamp in base 36>-<truncated HMAC>", the timestamp
    in seconds since 2001-01-01, the HMAC over the timestamp and the state that must not have
    changed since the link was made.
    """

    key_salt = "dsar.intake.tokens.ConfirmationTokenGenerator"
    algorithm = "sha256"

    def make_token(self, submission: IntakeSubmission) -> str:
        return self._make_token_with_timestamp(submission, self._num_seconds(self._now()))

    def check_token(self, submission: IntakeSubmission | None, token: str | None) -> bool:
        if not (submission and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not constant_time_compare(self._make_token_with_timestamp(submission, ts), token):
            return False
        age = self._num_seconds(self._now()) - ts
        return 0 <= age <= self.max_age()

    @staticmethod
    def max_age() -> int:
        return int(settings.DSAR_INTAKE_VERIFY_MAX_AGE)

    def _make_token_with_timestamp(self, submission: IntakeSubmission, timestamp: int) -> str:
        ts_b36 = int_to_base36(timestamp)
        digest = salted_hmac(
            self.key_salt,
            self._make_hash_value(submission, timestamp),
            algorithm=self.algorithm,
        ).hexdigest()[::2]  # 32 hex digits, 128 bits, as Django does
        return f"{ts_b36}-{digest}"

    def _make_hash_value(self, submission: IntakeSubmission, timestamp: int) -> str:
        """Hash what confirming changes, so that the token dies once it has been used.

        1. ``identity_status`` becomes verified (or failed when the request is closed unconfirmed).
        2. ``status`` leaves "waiting for the requester" (or the request is closed by staff).
        3. ``verified_at`` is set.
        The email address is included too: if staff correct it, links sent to the old one die.
        """
        request = submission.request
        verified = "" if submission.verified_at is None else submission.verified_at.isoformat()
        return (
            f"{submission.pk}|{request.identity_status}|{request.status}|{verified}|"
            f"{request.requester_email.casefold()}|{timestamp}"
        )

    @staticmethod
    def _num_seconds(dt: datetime) -> int:
        return int((dt - _EPOCH).total_seconds())

    def _now(self) -> datetime:
        # Used for mocking in tests.
        return timezone.now()


confirmation_tokens = ConfirmationTokenGenerator()


def new_status_token() -> tuple[str, str]:
    """A fresh status token (256 random bits, URL-safe) and the hash to store."""
    token = secrets.token_urlsafe(32)
    return token, hash_status_token(token)


def hash_status_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


_DOWNLOAD_SALT = "dsar.intake.download"


def download_max_age() -> int:
    return int(settings.DSAR_INTAKE_DOWNLOAD_MAX_AGE)


#: What a download token may name: a file released by ``release_file``, or an issued letter of
#: ``dsar.letters`` released to the requester.
DOWNLOAD_SOURCES = ("f", "l")


def make_download_token(source: str, pk: int, status_token_hash: str) -> str:
    """A token for the file ``pk`` of ``source`` ("f" released file, "l" letter)."""
    if source not in DOWNLOAD_SOURCES:
        raise ValueError(source)
    return signing.TimestampSigner(salt=_DOWNLOAD_SALT).sign_object(
        {source: pk, "t": status_token_hash[:16]}
    )


def read_download_token(token: str) -> dict[str, Any] | None:
    """The source, file id and token-hash prefix of a valid, unexpired download token; else
    None. The result has exactly one of the ``DOWNLOAD_SOURCES`` keys, with an int."""
    try:
        value = signing.TimestampSigner(salt=_DOWNLOAD_SALT).unsign_object(
            token, max_age=download_max_age()
        )
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(value, dict) or not isinstance(value.get("t"), str):
        return None
    named = [key for key in DOWNLOAD_SOURCES if isinstance(value.get(key), int)]
    if len(named) != 1:
        return None
    return value
