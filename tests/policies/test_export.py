"""export_policy: the version in force as a policy file that loads back unchanged."""

from __future__ import annotations

import io
import json

import pytest
import yaml
from django.core.management import call_command

from dsar.policies.loader import Outcome, load_policy_files
from dsar.policies.models import PolicyVersion
from tests.policies.conftest import load, row_counts

pytestmark = pytest.mark.django_db


def export(slug: str, fmt: str = "json", *args: str) -> str:
    out = io.StringIO()
    call_command("export_policy", slug, "--format", fmt, *args, stdout=out)
    return out.getvalue()


def test_it_exports_the_keys_other_tools_read(acme):
    data = json.loads(export("acme"))

    assert data["organization"]["slug"] == "acme"
    assert data["organization"]["name"] == "Acme Widgets"
    assert data["policy"]["effective_date"] == "2025-03-01"
    assert data["policy"]["text"].startswith("Acme Widgets Ltd. Privacy Policy\n")
    assert "text_file" not in data["policy"]
    access = data["rights"][0]
    assert access["kind"] == "access"
    assert access["clause"] == "You may ask us for a copy of the personal data we hold about you."
    assert access["channels"] == ["email", "postal_mail"]  # channel kinds
    assert access["deadline_rule"] == "gdpr"
    assert "channel_keys" not in access  # keys equal kinds here
    email = data["channels"][0]
    assert (email["kind"], email["address"]) == ("email", "privacy@acme.example")
    assert email["label_rules"] == [
        {
            "right": "shine_the_light",
            "words": "Shine the Light",
            "where": "subject",
            "quote": 'with "Shine the Light" in the subject line',
        }
    ]


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_it_loads_its_own_export_unchanged(acme, tmp_path, fmt):
    path = tmp_path / f"acme.{fmt}"
    path.write_text(export("acme", fmt), encoding="utf-8")
    before = row_counts()

    [result] = load_policy_files([path])

    assert result.outcome is Outcome.UNCHANGED
    assert not result.organization_updated
    assert row_counts() == before


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_it_exports_the_same_bytes_twice(acme, fmt):
    assert export("acme", fmt) == export("acme", fmt)


def test_it_names_channel_keys_when_two_channels_share_a_kind(tmp_path):
    (tmp_path / "two.yaml").write_text(
        "organization: {slug: two, name: Two}\n"
        'policy: {title: Policy, text: "Write to us. Or write to our lawyers.\\u2028 "}\n'
        "channels:\n"
        "  - {key: postal_mail-office, kind: postal_mail, address: '1 Office Road'}\n"
        "  - {key: postal_mail-lawyers, kind: postal_mail, address: '2 Law Lane'}\n"
        "rights:\n"
        "  - kind: complaint\n"
        "    clause: Or write to our lawyers.\n"
        "    channels: [postal_mail-lawyers, postal_mail-office]\n"
    )
    load_policy_files([tmp_path / "two.yaml"])

    exported = export("two")
    [right] = json.loads(exported)["rights"]
    assert right["channels"] == ["postal_mail", "postal_mail"]
    assert right["channel_keys"] == ["postal_mail-office", "postal_mail-lawyers"]
    # The text's line separator is escaped, so a YAML parser reads the JSON back identically.
    assert "\\u2028" in exported
    (tmp_path / "two.json").write_text(exported, encoding="utf-8")
    [again] = load_policy_files([tmp_path / "two.json"])
    assert again.outcome is Outcome.UNCHANGED


def test_it_exports_a_retired_version_by_number(acme):
    load("acme-v2.yaml")

    v1 = yaml.safe_load(export("acme", "yaml", "--number", "1"))

    assert [right["kind"] for right in v1["rights"]] == [
        "access",
        "rectification",
        "shine_the_light",
    ]
    assert PolicyVersion.objects.get(number=1).status == "retired"
