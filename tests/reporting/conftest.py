"""Fixtures of the reporting tests: the seed policies in force since 2025, and ``img``/``imt``
for the suite's personas (tests/conftest.py).

``load_policy`` puts a version in force at the moment it runs, and a request binds to the version
in force when it was received; the policies are therefore loaded with the clock at 1 January 2025,
so that the tests can log requests received at any time since.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine

from dsar.organizations.models import Organization
from dsar.policies.loader import policy_document_load, read_policy_file

SEEDS = ("imservicecenter", "imgwg", "imt", "ims-consulting", "img")
SEEDS_DIR = Path(__file__).resolve().parents[2] / "dsar" / "policies" / "seeds"
POLICIES_LOADED_AT = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def seed_documents() -> dict[str, dict[str, Any]]:
    """The seed policy files, parsed and checked once per session (most of a load's time)."""
    return {slug: read_policy_file(SEEDS_DIR / f"{slug}.yaml") for slug in SEEDS}


@pytest.fixture
def seeds(db: Any, seed_documents: dict[str, dict[str, Any]]) -> dict[str, Organization]:
    """The five seed organizations, by slug, with their policies in force since 2025-01-01.

    What ``load_policy`` does with each file, minus the parsing (see ``seed_documents``).
    """
    with time_machine.travel(POLICIES_LOADED_AT, tick=False):
        for slug, document in seed_documents.items():
            policy_document_load(document=copy.deepcopy(document), file=f"{slug}.yaml")
    return {org.slug: org for org in Organization.objects.all()}


@pytest.fixture
def img(seeds: dict[str, Organization]) -> Organization:
    return seeds["img"]


@pytest.fixture
def imt(seeds: dict[str, Organization]) -> Organization:
    return seeds["imt"]
