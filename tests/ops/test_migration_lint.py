"""The migration check of CI: what it flags, its exemptions, and that it needs PostgreSQL."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from dsar.ops import migration_lint
from dsar.ops.migration_lint import own_checks

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the check reads PostgreSQL's SQL"
)


def test_a_check_constraint_on_an_existing_table_is_flagged():
    sql = ['ALTER TABLE "requests_privacyrequest" ADD CONSTRAINT "c" CHECK ("fee" > 0);']
    assert own_checks(sql) == ["ADD_CHECK"]


def test_a_foreign_key_on_an_existing_table_is_flagged():
    sql = [
        'ALTER TABLE "requests_privacyrequest" ADD CONSTRAINT "fk" FOREIGN KEY ("x_id") '
        'REFERENCES "x" ("id") DEFERRABLE INITIALLY DEFERRED;'
    ]
    assert own_checks(sql) == ["ADD_FOREIGN_KEY"]


def test_not_valid_constraints_and_new_tables_are_not():
    sql = [
        'CREATE TABLE "ops_new" ("id" bigint NOT NULL PRIMARY KEY, "x_id" bigint NOT NULL);',
        'ALTER TABLE "ops_new" ADD CONSTRAINT "fk" FOREIGN KEY ("x_id") REFERENCES "x" ("id");',
        'ALTER TABLE "ops_new" ADD CONSTRAINT "c" CHECK ("x_id" > 0);',
        'ALTER TABLE "requests_privacyrequest" ADD CONSTRAINT "c2" CHECK ("fee" > 0) NOT VALID;',
    ]
    assert own_checks(sql) == []


def test_every_exemption_gives_its_codes_and_a_reason():
    for (app_label, name), exemption in migration_lint.EXEMPT.items():
        assert exemption.codes, (app_label, name)
        assert len(exemption.reason) > 40, (app_label, name)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor == "postgresql", reason="runs on the other databases")
def test_the_command_needs_postgresql():
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("lint_migrations", stdout=io.StringIO())


@on_postgresql
@pytest.mark.django_db
def test_on_postgresql_it_flags_what_is_not_exempted_and_stale_exemptions(monkeypatch):
    """requests 0005 builds an index on the requests table without CONCURRENTLY: flagged once
    its exemption is gone. An exemption for a migration that does not exist is reported. (One
    run: each lints every migration through sqlmigrate.)"""
    key = ("requests", "0005_requester_email_ci_index")
    monkeypatch.delitem(migration_lint.EXEMPT, key)
    monkeypatch.setitem(
        migration_lint.EXEMPT,
        ("requests", "9999_gone"),
        migration_lint._exempt({"NOT_NULL"}, "A migration that was renamed since."),
    )

    report = migration_lint.lint()

    finding = next(f for f in report.findings if (f.app_label, f.name) == key)
    assert finding.errors == ["CREATE_INDEX"]
    assert report.stale == ["requests.9999_gone"]
    assert "requests.9999_gone: exempted, but there is no such migration" in "\n".join(
        report.lines()
    )
    assert report.failed
    labels = {f.app_label for f in report.findings}
    assert "django_q" not in labels  # not ours to lint
    assert "auth" not in labels
    assert {"requests", "ops"} <= labels
