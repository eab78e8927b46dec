"""Signed, expiring links that let a requester download what was released to them.

No account and no password: the link itself is the credential, so it is signed with the
SECRET_KEY (a salt per use), bound to the file's SHA-256, and expires. A package link is also
bound to the moment of release, so releasing again invalidates the older links.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse

from dsar.core.links import site_url
from dsar.letters.models import DataPackage, Letter

LETTER_SALT = "dsar.letters.released-letter"
PACKAGE_SALT = "dsar.letters.data-package"


def letter_link_days() -> int:
    return int(settings.DSAR_LETTER_LINK_DAYS)


def package_link_days() -> int:
    return int(settings.DSAR_DATA_PACKAGE_LINK_DAYS)


def absolute(path: str) -> str:
    """An absolute URL for an email; DSAR_SITE_URL is the public origin of the installation
    (``dsar.core.links``: never the Host of a request)."""
    return site_url(path)


def letter_token(letter: Letter) -> str:
    return signing.dumps({"l": letter.pk, "h": letter.sha256[:16]}, salt=LETTER_SALT, compress=True)


def letter_from_token(token: str) -> Letter | None:
    """The released letter the token names, or None (bad signature, expired, not released)."""
    try:
        data: Any = signing.loads(
            token, salt=LETTER_SALT, max_age=datetime.timedelta(days=letter_link_days())
        )
        letter = Letter.objects.select_related("request").get(pk=data["l"])
    except (signing.BadSignature, Letter.DoesNotExist, KeyError, TypeError):
        return None
    if (
        letter.released_at is None
        or letter.purged_at is not None  # its PDF was deleted after the retention period
        or letter.sha256[:16] != data.get("h")
    ):
        return None
    return letter


def letter_url(letter: Letter) -> str:
    return absolute(reverse("letters:requester_letter", args=[letter_token(letter)]))


def package_token(package: DataPackage) -> str:
    assert package.released_at is not None  # noqa: S101 - only released packages get links
    payload = {
        "p": package.pk,
        "h": package.sha256[:16],
        "r": int(package.released_at.timestamp()),
    }
    return signing.dumps(payload, salt=PACKAGE_SALT, compress=True)


def package_from_token(token: str, *, now: datetime.datetime) -> DataPackage | None:
    """The released package the token names while its link is valid, else None."""
    try:
        data: Any = signing.loads(
            token, salt=PACKAGE_SALT, max_age=datetime.timedelta(days=package_link_days())
        )
        package = DataPackage.objects.select_related("request").get(pk=data["p"])
    except (signing.BadSignature, DataPackage.DoesNotExist, KeyError, TypeError):
        return None
    if (
        package.released_at is None
        or package.sha256[:16] != data.get("h")
        or int(package.released_at.timestamp()) != data.get("r")
        or not package.link_valid(now)
    ):
        return None
    return package


def package_url(package: DataPackage) -> str:
    return absolute(reverse("letters:requester_package", args=[package_token(package)]))
