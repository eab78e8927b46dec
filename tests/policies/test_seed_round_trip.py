"""The five seed files through the whole pipeline: load, export, load the export, lint.

The seeds themselves are tested in test_seeds.py; this checks that the loader, the export and
the lint agree with them (a seed that exports differently from how it loads would make every
later load_policy a "change").
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from dsar.policies.lint import FindingCode, lint_version
from dsar.policies.loader import Outcome, load_policy_files
from tests.policies.conftest import SEEDS, row_counts

pytestmark = pytest.mark.django_db

SLUGS = ["imservicecenter", "imgwg", "imt", "ims-consulting", "img"]


@pytest.fixture
def seeds():
    return {r.organization.slug: r for r in load_policy_files([SEEDS / f"{s}.yaml" for s in SLUGS])}


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_every_seed_loads_its_own_export_unchanged(seeds, tmp_path, fmt):
    paths = []
    for slug in SLUGS:
        out = io.StringIO()
        call_command("export_policy", slug, "--format", fmt, stdout=out)
        paths.append(tmp_path / f"{slug}.{fmt}")
        paths[-1].write_text(out.getvalue(), encoding="utf-8")
    before = row_counts()

    results = load_policy_files(paths)

    assert [r.outcome for r in results] == [Outcome.UNCHANGED] * len(SLUGS)
    assert row_counts() == before


def codes(result, **where) -> set[str]:
    findings = lint_version(result.version, year=2026)
    return {
        f.code for f in findings if all(getattr(f, key) == value for key, value in where.items())
    }


def test_the_lint_finds_what_the_domain_notes_say(seeds):
    # IMG promises "within one month" for 1798.83 too (30 days at the designated address).
    assert FindingCode.DEADLINE_LAXER_THAN_LAW in codes(seeds["img"], right="shine_the_light")
    # imgwg cites the Safe Harbor, and designates no channel for 1798.83.
    assert {
        FindingCode.DEFUNCT_FRAMEWORK,
        FindingCode.STL_WITHOUT_DESIGNATED_CHANNEL,
        FindingCode.CHANNEL_WITHOUT_ADDRESS,
    } <= codes(seeds["imgwg"])
    # IMS Consulting: "please refer to the contact details", but there are none.
    assert FindingCode.CHANNEL_WITHOUT_ADDRESS in codes(seeds["ims-consulting"], channel="email")


@pytest.mark.parametrize("slug", SLUGS)
def test_every_clause_of_every_seed_is_verbatim(seeds, slug):
    assert FindingCode.CLAUSE_NOT_VERBATIM not in codes(seeds[slug])
