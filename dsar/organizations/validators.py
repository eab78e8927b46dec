"""Validators for organization settings that the database cannot check by itself.

They are shared by the model fields (admin forms) and by the policy-file loader, so that a value
the admin refuses is refused by ``load_policy`` with the same words.
"""

from __future__ import annotations

import zoneinfo
from functools import cache

import holidays
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dsar.jurisdictions import Jurisdiction

# The same patterns back the models' CheckConstraints, so the database and the loader agree.
SLUG_REGEX = r"^[a-z0-9]+(-[a-z0-9]+)*$"
REFERENCE_PREFIX_REGEX = r"^[A-Z][A-Z0-9]{0,11}$"
COLOUR_REGEX = r"^#[0-9a-fA-F]{6}$"


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    """An IANA zone name: reminders and "received" dates are counted in the organization's zone."""
    if value not in _time_zones():
        raise ValidationError(
            _("%(value)r is not an IANA time zone (e.g. Europe/London, America/New_York)"),
            code="invalid_time_zone",
            params={"value": value},
        )


def validate_holiday_calendar(value: str) -> None:
    """A country (``US``) or country-subdivision (``US-FL``) code known to the pinned `holidays`.

    Business-day deadlines (CAN-SPAM, CCPA opt-out) skip the holidays of this calendar, so an
    unknown code must fail here rather than silently count holidays as working days.
    """
    country, _sep, subdivision = value.partition("-")
    supported = holidays.list_supported_countries()
    if country not in supported or (subdivision and subdivision not in supported[country]):
        raise ValidationError(
            _(
                "%(value)r is not a holiday calendar of the holidays package "
                "(e.g. US, US-FL, GB-ENG)"
            ),
            code="invalid_holiday_calendar",
            params={"value": value},
        )


def validate_jurisdictions(value: object) -> None:
    """Codes as ``dsar.jurisdictions`` spells them: US, US-CA, GB, FR… or EU for the EU/EEA.

    They decide which statutory deadlines bind the organization, so a code the law module would
    not recognise must not be stored.
    """
    if not isinstance(value, list):
        raise ValidationError(_("a list of jurisdiction codes"), code="invalid_jurisdictions")
    for code in value:
        try:
            canonical = Jurisdiction.parse(code).code if isinstance(code, str) else None
        except ValueError:
            canonical = None
        if canonical != code or code == "OTHER":
            raise ValidationError(
                _("%(value)r is not a jurisdiction code (ISO 3166, e.g. US, US-CA, GB, or EU)"),
                code="invalid_jurisdiction",
                params={"value": code},
            )
    if len(set(value)) != len(value):
        raise ValidationError(_("a jurisdiction is listed twice"), code="duplicate_jurisdiction")


def validate_websites(value: object) -> None:
    """A list of absolute http(s) URLs."""
    from django.core.validators import URLValidator

    if not isinstance(value, list):
        raise ValidationError(_("a list of URLs"), code="invalid_websites")
    check = URLValidator(schemes=["http", "https"])
    for url in value:
        if not isinstance(url, str):
            raise ValidationError(_("a list of URLs"), code="invalid_websites")
        check(url)
