"""The second factor of local staff accounts: a TOTP app, with single-use recovery codes.

Built on django-otp: a ``TOTPDevice`` (the authenticator app) and a ``StaticDevice`` holding the
recovery codes, each code deleted once used. A session is *verified* once a code from either was
accepted after the password (``django_otp.login``); ``dsar.accounts.middleware`` keeps an
unverified session of a user who has a device away from every page but the code's.

Who must have one: nobody, unless the installation says so (``DSAR_REQUIRE_2FA``); then every
privacy officer and every administrator (superuser), since they can change what everyone else
can do. Single sign-on sessions are exempt: the identity provider does the second factor
(docs/sso.md), and dsar never sees a password for them.

Enrolment, removal, new recovery codes and the use of a recovery code are written to the admin's
log (``LogEntry``), where every other change to an account is, and logged by user id only.
"""

from __future__ import annotations

import enum
import logging
from typing import Any, Protocol, cast

import django_otp
from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.models import AbstractBaseUser, User
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dsar.accounts.backends import known_app_device
from dsar.organizations.models import Role

logger = logging.getLogger(__name__)

#: How many recovery codes a staff member is given at a time.
RECOVERY_CODES = 10
#: The names the devices carry in the admin (TOTP devices, Static devices), where an
#: administrator removes them for someone who lost their phone.
APP_NAME = "Authenticator app"
CODES_NAME = "Recovery codes"
#: The backend single sign-on logs in with; such a session needs no local second factor.
SSO_BACKEND = "dsar.accounts.oidc.OidcBackend"


class Step(enum.Enum):
    """What a signed-in session must do before it reaches any staff page."""

    VERIFY = "verify"  # the user has a device: enter a code from it
    ENROL = "enrol"  # the installation requires one and the user has none: set it up


def required_for(user: AbstractBaseUser) -> bool:
    """Whether the installation requires ``user`` to have a second factor: privacy officers and
    administrators, when ``DSAR_REQUIRE_2FA`` is on."""
    if not settings.DSAR_REQUIRE_2FA:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return user.memberships.filter(role=Role.PRIVACY_OFFICER).exists()  # type: ignore[attr-defined]


class _OtpUser(Protocol):
    """What django-otp's ``OTPMiddleware`` adds to ``request.user``, which the stubs do not know."""

    otp_device: Any  # the device the session was verified with, or None

    def is_verified(self) -> bool: ...


def session_verified(request: HttpRequest) -> bool:
    """Whether a code from one of the user's devices was accepted in this session."""
    return cast(_OtpUser, request.user).is_verified()


def session_device(request: HttpRequest) -> Any:
    """The device this session was verified with (a ``TOTPDevice`` or ``StaticDevice``), or
    None."""
    return cast(_OtpUser, request.user).otp_device


def signed_in_by_sso(request: HttpRequest) -> bool:
    return request.session.get(BACKEND_SESSION_KEY) == SSO_BACKEND


def app_device(user: AbstractBaseUser) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if any."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def has_device(user: AbstractBaseUser) -> bool:
    """Whether ``user`` signs in with a second factor: the app is the factor, recovery codes only
    stand in for it. An administrator who deletes a lost app (TOTP devices in the staff
    area) so turns it off; the codes left behind are replaced at the next setup.

    The signed-in user of a request was read with the answer (``backends.StaffModelBackend``),
    so no page asks again."""
    known, has_one = known_app_device(user)
    if known:
        return has_one
    return app_device(user) is not None


def pending_step(request: HttpRequest) -> Step | None:
    """What the signed-in ``request.user`` must still do, or None when the session may go on."""
    user = request.user
    if not user.is_authenticated or signed_in_by_sso(request):
        return None
    if session_verified(request):
        return None
    if has_device(user):
        return Step.VERIFY
    if required_for(user):
        return Step.ENROL
    return None


def remaining_recovery_codes(user: AbstractBaseUser) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# -- Services --------------------------------------------------------------------------------------


def enrolment_start(*, user: AbstractBaseUser) -> TOTPDevice:
    """The unconfirmed app device whose key the enrolment page shows, made once and kept until
    confirmed, so that reloading the page does not change the QR code under a half-done scan."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
    return device


@transaction.atomic
def enrolment_confirm(*, request: HttpRequest, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm ``device`` with a code the app shows; returns the new recovery codes, or None
    when the code is wrong. The session is then verified with the device just confirmed."""
    user = request.user
    if device.user_id != user.pk or not device.verify_token(normalize(token)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # One app at a time: a second would be a way in its owner forgot about.
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = _new_recovery_codes(user)
    django_otp.login(request, device)
    _record(user, device, ADDITION, "Two-factor authentication set up (authenticator app).")
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user: AbstractBaseUser) -> list[str]:
    """A new set of recovery codes; the old ones stop working."""
    codes = _new_recovery_codes(user)
    device = StaticDevice.objects.get(user=user, name=CODES_NAME)
    _record(user, device, CHANGE, "New recovery codes made; the previous ones no longer work.")
    return codes


@transaction.atomic
def second_factor_remove(*, user: AbstractBaseUser) -> None:
    """Remove the app and the recovery codes: the account is back to a password alone (or, where
    the installation requires a second factor, is sent to set up a new one at once)."""
    for device in list(django_otp.devices_for_user(user, confirmed=None)):
        _record(user, device, DELETION, "Two-factor authentication removed by its owner.")
        device.delete()


class Outcome(enum.Enum):
    """What became of a code typed after the password."""

    ACCEPTED = "accepted"
    WRONG = "wrong"
    WAIT = "wait"  # refused unread: django-otp's pause after wrong codes (1, 2, 4… seconds)


def code_check(*, request: HttpRequest, token: str) -> Outcome:
    """Check a code typed after the password against the user's devices: six digits go to the
    app, anything else to the recovery codes (so a mistyped app code costs no recovery code's
    throttle). When accepted, the session is verified."""
    user = request.user
    if not isinstance(user, User):  # the code step runs after the password only
        return Outcome.WRONG
    token = normalize(token)
    devices: list[Any] = (
        list(TOTPDevice.objects.devices_for_user(user, confirmed=True))
        if token.isdigit()
        else list(StaticDevice.objects.devices_for_user(user, confirmed=True))
    )
    if not token or not devices:
        return Outcome.WRONG
    if not any(device.verify_is_allowed()[0] for device in devices):
        return Outcome.WAIT
    for device in devices:
        verified = django_otp.verify_token(user, device.persistent_id, token)
        if verified is None:
            continue
        django_otp.login(request, verified)
        if isinstance(verified, StaticDevice):
            left = verified.token_set.count()
            _record(user, verified, CHANGE, f"Signed in with a recovery code; {left} left.")
        return Outcome.ACCEPTED
    return Outcome.WRONG


def normalize(token: str) -> str:
    """What people type: spaces and dashes between groups, upper case read off paper."""
    return "".join(token.split()).replace("-", "").lower()[:16]


def _new_recovery_codes(user: AbstractBaseUser) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=CODES_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _record(user: AbstractBaseUser, device: Any, flag: int, message: str) -> None:
    LogEntry.objects.log_actions(
        user_id=user.pk, queryset=[device], action_flag=flag, change_message=message
    )
    logger.info("second factor: %s (user %s)", message, user.pk)
