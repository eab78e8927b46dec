"""Helpers for the policy tests: the fixture files, and a census of every policy-related table."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps

from dsar.policies.loader import LoadResult, load_policy_files

FILES = Path(__file__).parent / "files"
SEEDS = Path(__file__).parents[2] / "dsar" / "policies" / "seeds"


def row_counts() -> dict[str, int]:
    """Rows in every table of organizations and policies, many-to-many links included."""
    counts = {}
    for label in ("organizations", "policies"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            counts[model._meta.label] = model._default_manager.count()
    return counts


def load(*names: str) -> list[LoadResult]:
    """Load fixture files by name, e.g. load("acme.yaml")."""
    return load_policy_files([FILES / name for name in names])


@pytest.fixture
def acme() -> LoadResult:
    """The clean Acme policy, loaded: version 1 in force."""
    return load("acme.yaml")[0]
