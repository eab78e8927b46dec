"""load_policy: files become versions, idempotently, all or nothing, with lines in every error."""

from __future__ import annotations

import datetime
import io
import shutil
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from dsar.organizations.models import Organization
from dsar.policies.loader import Outcome, load_policy_files
from dsar.policies.models import (
    Channel,
    LabelPlacement,
    PolicyVersion,
    PolicyVersionStatus,
    Right,
)
from dsar.policies.schema import PolicyFileError
from tests.policies.conftest import FILES, load, row_counts

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def test_it_loads_a_policy_file_as_version_1_in_force(acme):
    assert acme.outcome is Outcome.CREATED
    org = Organization.objects.get(slug="acme")
    version = PolicyVersion.objects.in_force_for(org)
    assert version == acme.version
    assert (version.number, version.status) == (1, PolicyVersionStatus.IN_FORCE)
    assert version.effective_date == datetime.date(2025, 3, 1)
    assert version.text == (FILES / "acme.txt").read_text(encoding="utf-8")
    assert version.minimum_age == 16
    assert org.reference_prefix == "ACME"
    assert org.jurisdictions == ["GB", "US-CA"]
    assert [a.address for a in org.addresses.all()] == [
        "1 Example Street, London EC1A 1AA, United Kingdom"
    ]


def test_it_links_rights_channels_designations_and_labels(acme):
    version = acme.version
    stl = version.rights.get(kind="shine_the_light")
    email = version.channels.get(key="email")
    assert [r.kind for r in version.rights.all()] == ["access", "rectification", "shine_the_light"]
    assert set(version.rights.get(kind="access").channels.values_list("key", flat=True)) == {
        "email",
        "postal_mail",
    }
    assert list(email.designated_for.all()) == [stl]
    label = email.label_rules.get()
    assert (label.right, label.words, label.where) == (
        stl,
        "Shine the Light",
        LabelPlacement.SUBJECT,
    )
    assert stl.requires == ["California residency"]
    assert stl.frequency_limit == "once_per_calendar_year"
    assert version.rights.get(kind="rectification").identity_clause == ""


def test_it_says_unchanged_and_creates_nothing_when_loaded_twice(acme):
    before = row_counts()

    [again] = load("acme.yaml")

    assert again.outcome is Outcome.UNCHANGED
    assert again.version == acme.version
    assert "unchanged" in str(again)
    assert row_counts() == before


def test_it_loads_a_changed_file_as_version_2_and_retires_version_1(acme):
    [result] = load("acme-v2.yaml")

    assert result.outcome is Outcome.CHANGED
    assert result.previous == acme.version
    v1, v2 = PolicyVersion.objects.filter(organization__slug="acme").order_by("number")
    assert (v1.status, v2.status) == (PolicyVersionStatus.RETIRED, PolicyVersionStatus.IN_FORCE)
    assert v1.in_force_until == v2.in_force_from
    assert v1.rights.count() == 3 and v2.rights.count() == 4
    assert PolicyVersion.objects.in_force_for(Organization.objects.get(slug="acme")) == v2
    # Loading version 1's file again is a change too (a new version 3), not a reinstatement.
    [back] = load("acme.yaml")
    assert back.version.number == 3 and back.version.content_hash == v1.content_hash


def test_it_binds_a_request_to_the_version_in_force_when_it_was_received():
    with time_machine.travel(datetime.datetime(2025, 3, 1, 9, tzinfo=UTC), tick=False):
        load("acme.yaml")
    with time_machine.travel(datetime.datetime(2025, 6, 1, 9, tzinfo=UTC), tick=False):
        load("acme-v2.yaml")
    org = Organization.objects.get(slug="acme")

    def bound(*args: int) -> int | None:
        version = PolicyVersion.objects.in_force_for(org, when=datetime.datetime(*args, tzinfo=UTC))
        return version.number if version else None

    assert bound(2025, 2, 28) is None
    assert bound(2025, 3, 1, 9) == 1
    assert bound(2025, 5, 31, 23, 59) == 1
    assert bound(2025, 6, 1, 9) == 2
    assert bound(2030, 1, 1) == 2
    assert (
        PolicyVersion.objects.in_force_on(datetime.datetime(2025, 4, 1, tzinfo=UTC)).get().number
        == 1
    )


@time_machine.travel(datetime.datetime(2026, 3, 1, 9, tzinfo=UTC), tick=False)
def test_a_first_version_can_be_in_force_from_a_past_date_so_past_requests_bind_to_it():
    [result] = load_policy_files([FILES / "acme.yaml"], in_force_from=datetime.date(2025, 1, 1))

    org = Organization.objects.get(slug="acme")
    # Midnight in the organization's time zone (London is on GMT in January).
    assert result.version.in_force_from == datetime.datetime(2025, 1, 1, tzinfo=UTC)
    assert (
        PolicyVersion.objects.in_force_for(org, when=datetime.datetime(2025, 6, 1, tzinfo=UTC))
        == result.version
    )
    assert (
        PolicyVersion.objects.in_force_for(
            org, when=datetime.datetime(2024, 12, 31, 23, tzinfo=UTC)
        )
        is None
    )
    # Loading the same file again with the option changes nothing.
    [again] = load_policy_files([FILES / "acme.yaml"], in_force_from=datetime.date(2024, 1, 1))
    assert again.outcome is Outcome.UNCHANGED and again.version.in_force_from.year == 2025


@time_machine.travel(datetime.datetime(2026, 3, 1, 9, tzinfo=UTC), tick=False)
def test_a_later_version_cannot_be_backdated_and_nothing_is_loaded(acme):
    before = row_counts()
    with pytest.raises(PolicyFileError, match="only a first version can be put in force"):
        load_policy_files([FILES / "acme-v2.yaml"], in_force_from=datetime.date(2025, 1, 1))
    assert row_counts() == before


def test_the_command_refuses_a_future_in_force_date():
    err = io.StringIO()
    with pytest.raises(CommandError, match="is in the future"):
        call_command(
            "load_policy", str(FILES / "acme.yaml"), "--in-force-from", "2999-01-01", stderr=err
        )
    assert not Organization.objects.filter(slug="acme").exists()


def test_it_updates_the_organization_in_place_without_a_new_version(acme, tmp_path):
    shutil.copy(FILES / "acme.txt", tmp_path / "acme.txt")
    changed = (FILES / "acme.yaml").read_text().replace("name: Acme Widgets\n", "name: Acme\n")
    (tmp_path / "acme.yaml").write_text(changed)

    [result] = load_policy_files([tmp_path / "acme.yaml"])

    assert result.outcome is Outcome.UNCHANGED
    assert result.organization_updated
    assert Organization.objects.get(slug="acme").name == "Acme"
    assert PolicyVersion.objects.count() == 1


def test_it_loads_two_channels_of_one_kind_by_key(tmp_path):
    (tmp_path / "two.yaml").write_text(
        "organization: {slug: two, name: Two}\n"
        "policy: {title: Policy, text: 'Write to us. Or write to our lawyers.'}\n"
        "channels:\n"
        "  - {key: postal_mail-office, kind: postal_mail, address: '1 Office Road'}\n"
        "  - {key: postal_mail-lawyers, kind: postal_mail, address: '2 Law Lane'}\n"
        "rights:\n"
        "  - {kind: complaint, clause: Or write to our lawyers., channels: [postal_mail-lawyers]}\n"
    )

    [result] = load_policy_files([tmp_path / "two.yaml"])

    right = result.version.rights.get()
    assert [c.address for c in right.channels.all()] == ["2 Law Lane"]


# Each malformed file: where it is wrong and what the message says.
MALFORMED = [
    ("bad-syntax.yaml", 10, "not valid YAML: while parsing a flow sequence (from line 9)"),
    (
        "bad-unknown-key.yaml",
        10,
        "channels[0].adress: unknown key 'adress' (did you mean 'address'?)",
    ),
    ("bad-kind.yaml", 12, "rights[0].kind: 'acess' is not a right kind (choose from access, "),
    (
        "bad-channel-key.yaml",
        14,
        "rights[0].channels[1]: 'phone' is not a channel key of this file",
    ),
    ("bad-duplicate-kind.yaml", 15, "rights[1].kind: 'access' is promised twice"),
    ("bad-text-file.yaml", 6, "policy.text_file: 'missing.txt' does not exist"),
    (
        "bad-rule.yaml",
        16,
        "rights[0].promise_rule: 'gdrp' is not a deadline rule (choose from gdpr",
    ),
    ("bad-date.yaml", 6, "policy.effective_date: '2025-02-30' is not a date"),
    ("bad-time-zone.yaml", 4, "organization.time_zone: 'Europe/Londres' is not an IANA time zone"),
    ("bad-missing-key.yaml", 1, "organization.name: is required"),
    (
        "bad-label-rule.yaml",
        12,
        "label rule for 'shine_the_light', a right the file does not promise",
    ),
]


@pytest.mark.parametrize(("name", "line", "message"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_it_rejects_a_malformed_file_with_its_line_and_changes_nothing(acme, name, line, message):
    before = row_counts()

    with pytest.raises(PolicyFileError) as excinfo:
        load(name)

    [problem] = excinfo.value.problems
    assert Path(problem.file).name == name
    assert problem.line == line
    assert message in str(problem)
    assert str(problem).startswith(f"{FILES / name}:{line}: ")
    assert row_counts() == before


def test_it_loads_nothing_when_one_file_of_several_is_malformed():
    before = row_counts()

    with pytest.raises(PolicyFileError):
        load("acme.yaml", "tiny.yaml", "bad-kind.yaml")

    assert row_counts() == before
    assert not Organization.objects.exists()


def test_it_reports_every_problem_of_a_file_at_once(tmp_path):
    (tmp_path / "many.yaml").write_text(
        "organization: {slug: Many, name: Many, colour: red}\n"
        "policy: {title: Policy, text: 'Hi.'}\n"
        "channels: [{key: email, kind: mail}]\n"
        "rights: [{kind: access, clause: Hi., channels: [email], fee: 10}]\n"
    )

    with pytest.raises(PolicyFileError) as excinfo:
        load_policy_files([tmp_path / "many.yaml"])

    messages = [f"{p.line}: {p.path}: {p.message}" for p in excinfo.value.problems]
    assert messages == [
        "1: organization.colour: unknown key 'colour' (expected one of: slug, name, legal_name, "
        "reference_prefix, time_zone, holiday_calendar, jurisdictions, out_of_scope, "
        "out_of_scope_reason, websites, addresses, contacts, "
        "minimum_age, minimum_age_clause)",
        "1: organization.slug: 'Many' must be lowercase letters, digits and hyphens",
        "3: channels[0].kind: 'mail' is not a channel kind (choose from email, postal_mail, "
        "certified_mail, phone, fax, web_form, self_service, api, drp)",
        "4: rights[0].fee: 10 is not a fee rule (choose from free, "
        "free_unless_unfounded_or_excessive, free_unless_disproportionate_effort, not_stated)",
    ]


def test_it_refuses_a_key_given_twice(tmp_path):
    (tmp_path / "twice.yaml").write_text(
        "organization: {slug: twice, name: Twice}\n"
        "policy: {title: Policy, text: 'Hi.'}\n"
        "channels: []\n"
        "rights: []\n"
        "channels: []\n"
    )

    with pytest.raises(PolicyFileError, match=r"twice.yaml:5: channels: key 'channels' is given"):
        load_policy_files([tmp_path / "twice.yaml"])


def test_the_command_prints_one_line_per_file_and_fails_with_the_problems():
    out = io.StringIO()
    call_command("load_policy", str(FILES / "acme.yaml"), stdout=out)
    call_command("load_policy", str(FILES / "acme.yaml"), stdout=out)
    assert out.getvalue().splitlines() == [
        f"{FILES / 'acme.yaml'}: created acme version 1, in force",
        f"{FILES / 'acme.yaml'}: unchanged (acme version 1 in force)",
    ]

    with pytest.raises(CommandError, match=r"bad-kind.yaml:12: rights\[0\].kind: 'acess'"):
        call_command("load_policy", str(FILES / "bad-kind.yaml"), stdout=out)


def test_loaded_rows_are_ordered_as_in_the_file(acme):
    assert list(Channel.objects.values_list("key", flat=True)) == ["email", "postal_mail"]
    assert list(Right.objects.values_list("position", flat=True)) == [0, 1, 2]
