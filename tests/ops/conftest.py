"""Fixtures of the operations tests: private storage in a temporary folder, IMG and iMT."""

from __future__ import annotations

import copy
import datetime as dt
import functools
from pathlib import Path
from typing import Any

import pytest
import time_machine

from dsar.organizations.models import Organization
from dsar.policies.loader import policy_document_load, read_policy_file

SEEDS = Path(__file__).resolve().parents[2] / "dsar" / "policies" / "seeds"


@pytest.fixture(autouse=True)
def _private_storage(settings: Any, tmp_path: Path) -> Path:
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.DSAR_SITE_URL = "https://dsar.example.org"
    return settings.PRIVATE_STORAGE_ROOT


@functools.cache
def _document(slug: str) -> dict[str, Any]:
    return read_policy_file(SEEDS / f"{slug}.yaml")


@pytest.fixture
def seeds(db: None) -> dict[str, Organization]:
    """IMG (Florida time) and iMT, their seed policies in force since 1 January 2025. The clock
    runs: the figures of /metrics are about today."""
    with time_machine.travel(dt.datetime(2025, 1, 1, tzinfo=dt.UTC), tick=False):
        for slug in ("img", "imt"):
            policy_document_load(document=copy.deepcopy(_document(slug)), file=f"{slug}.yaml")
    return {org.slug: org for org in Organization.objects.filter(slug__in=["img", "imt"])}
