"""The public side's fixtures (tests/intake/conftest.py): the seed organizations, a frozen clock,
private storage in a temporary folder and DSAR_SITE_URL=https://dsar.example.org."""

from __future__ import annotations

from tests.intake.conftest import (  # noqa: F401 - fixtures, used by name
    _private_storage,
    _seeded,
    img,
    seeds,
    submit,
)
