"""Which migrations would lock or rewrite a big table while the previous release still serves.

A release is rolled out by migrating first, then replacing the processes (docs/deploy.md): while
``migrate`` runs, the previous version keeps serving on the same database. So a migration must
neither hold a lock that stops it for long (``CREATE INDEX`` without ``CONCURRENTLY``, a ``CHECK``
or foreign key validated by scanning the table, a column type change that rewrites it) nor change
the schema under its feet (a dropped or renamed column or table, a ``NOT NULL`` column it does not
fill in, a new unique constraint its inserts may break).

django-migration-linter reads each migration's SQL (``sqlmigrate``, on the database in
``DATABASE_URL``: PostgreSQL in CI, the only one that matters here) and flags these. This module
runs it over dsar's own apps (not Django's, not django-q2's) and adds:

- its *warnings* about locks (``CREATE_INDEX``, ``CREATE_INDEX_EXCLUSIVE``, ``DROP_INDEX``,
  ``REINDEX``) count as errors here;
- ``ADD_CHECK`` and ``ADD_FOREIGN_KEY``: a constraint added to an existing table without
  ``NOT VALID`` (validated at once, scanning the table under lock);
- ``RunPython`` is opaque to any SQL linter: it is reported for a reviewer to read, not failed.

An existing migration that is flagged, and was reviewed, is listed in ``EXEMPT`` with the codes
it raises and the reason it is acceptable. A new error code in an exempted migration fails the
check too; an exemption for a migration that no longer exists is reported, to be removed.

Run it with ``python manage.py lint_migrations`` (``.ci/run`` does, on PostgreSQL); it needs the
``test`` extra (``pip install -e '.[test]'``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

#: The linter's warnings that are errors here: each takes a lock that stops writes (or all
#: access) to the table for as long as the index takes to build or drop.
LOCK_WARNINGS = frozenset({"CREATE_INDEX", "CREATE_INDEX_EXCLUSIVE", "DROP_INDEX", "REINDEX"})


@dataclass(frozen=True)
class Exemption:
    codes: frozenset[str]
    reason: str


def _exempt(codes: Iterable[str], reason: str) -> Exemption:
    return Exemption(frozenset(codes), " ".join(reason.split()))


#: Reviewed migrations that are flagged, with why they are acceptable. Each was applied by every
#: installation while its tables were new or small; a migration added now must not be here
#: without the same review (and docs/deploy.md says how to run one that really locks).
_BEFORE_RELEASE = (
    "Written before dsar's first release: no installation ran an older version on a large table. "
    "One that still has to apply it to a large table runs it in a maintenance window "
    "(docs/deploy.md, Upgrades)."
)
EXEMPT: dict[tuple[str, str], Exemption] = {
    ("intake", "0001_initial"): _exempt(
        {"CREATE_INDEX", "CREATE_INDEX_EXCLUSIVE"},
        """False positive: the partial index intake_unconfirmed is on intake_intakesubmission,
        created by this same migration; the linter's pattern reads the index's WHERE clause as
        the table name.""",
    ),
    ("fulfilment", "0001_systems_register_and_tasks"): _exempt(
        {"CREATE_INDEX", "CREATE_INDEX_EXCLUSIVE"},
        """Every index is on a table this same migration creates (fulfilment's systems,
        recipients, tasks, runs, register changes): nothing reads or writes them yet. The
        linter's pattern reads the partial index fulfilment_task_pending_owner's WHERE clause
        as the table name, as for intake 0001.""",
    ),
    ("fulfilment", "0003_recipient_notices_through_the_outbox"): _exempt(
        {"CREATE_INDEX", "CREATE_INDEX_EXCLUSIVE"},
        """The index of the notice's email is on fulfilment_recipientnotice, a table of this
        same release (fulfilment 0001): the release before it never reads or writes it, and
        it is empty when this runs during the upgrade to it.""",
    ),
    ("fulfilment", "0004_recipient_notices_by_http"): _exempt(
        {"NOT_NULL"},
        """fulfilment_recipientnotice and fulfilment_recipient are tables of this same release
        (fulfilment 0001): the release before it never writes them, so no insert of the old
        code can miss the new NOT NULL columns.""",
    ),
    ("outbox", "0003_email_headers_and_addressee"): _exempt(
        {"NOT_NULL"},
        """outbox_email is a table of this same release (outbox 0001): the release before it
        never writes it, so no insert of the old code can miss the new NOT NULL columns.""",
    ),
    ("organizations", "0005_scope_web_form_currency_register"): _exempt(
        {"NOT_NULL", "ADD_CHECK"},
        """organizations_organization holds one row per organization (a handful): the CHECK's
        scan and the ADD COLUMNs take milliseconds. The new NOT NULL columns have no database
        default, so the previous release could not create an organization while it serves;
        organizations are created by load_policy and the admin, not during an upgrade.""",
    ),
    ("organizations", "0006_verification_and_appeals"): _exempt(
        {"NOT_NULL"},
        """organizations_organization holds a handful of rows: the ADD COLUMNs (and the CHECK of
        deletion_data_points, on a new column) take milliseconds. The new NOT NULL columns have no
        database default, so the previous release could not create an organization while it
        serves; organizations are created by load_policy and the admin, not during an
        upgrade.""",
    ),
    ("policies", "0002_us_state_rights"): _exempt(
        {"NOT_NULL"},
        """policies_policyversion holds a few rows per organization: the ADD COLUMNs take
        milliseconds. The new NOT NULL columns have no database default, so the previous
        release could not load a policy version while it serves; versions are loaded by
        load_policy and the policy admin, not during an upgrade.""",
    ),
    ("requests", "0003_designated_fee_and_outcome_constraints"): _exempt(
        {"ALTER_COLUMN", "NOT_NULL", "ADD_CHECK"},
        f"""The three CHECKs scan requests_privacyrequest under an exclusive lock, and the new
        NOT NULL column designated has no database default (the previous release's inserts
        would fail). The type change only widens requestevent.actor_label (varchar, no
        rewrite). {_BEFORE_RELEASE}""",
    ),
    ("requests", "0004_staff_page_indexes"): _exempt(
        {"CREATE_INDEX"},
        f"""Builds the staff pages' indexes on requests_privacyrequest without CONCURRENTLY
        (two here, six more in its RunPython, trigram ones included): writes to requests wait
        for each build. {_BEFORE_RELEASE}""",
    ),
    ("requests", "0005_requester_email_ci_index"): _exempt(
        {"CREATE_INDEX"},
        f"""Builds requests_requester_ci on requests_privacyrequest without CONCURRENTLY: writes
        to requests wait for the build. {_BEFORE_RELEASE}""",
    ),
    ("requests", "0007_requester_reasons_email_confirmation_fee_currency"): _exempt(
        {"NOT_NULL"},
        f"""Adds requests_privacyrequest.fee_currency NOT NULL without a database default: the
        previous release's inserts of requests would fail until it is replaced (the column is
        added instantly, nothing is rewritten). {_BEFORE_RELEASE}""",
    ),
    ("requests", "0008_us_state_rights"): _exempt(
        {"NOT_NULL", "CREATE_INDEX", "CREATE_INDEX_EXCLUSIVE"},
        f"""Adds four NOT NULL columns to requests_privacyrequest without a database default
        (access_scope, agent_authority, data_points_matched, gpc: the previous release's
        inserts of requests would fail until it is replaced) and builds the index of
        appeal_of_id without CONCURRENTLY, in the same transaction (writes to requests wait for
        it). {_BEFORE_RELEASE}""",
    ),
    ("requests", "0012_event_chain_no_fork"): _exempt(
        {"ADD_UNIQUE"},
        """The unique index is built CONCURRENTLY (atomic = False): writes go on meanwhile. It is
        partial (only chained events, hash <> ''), and the previous release writes events
        without a hash, so none of its inserts can break it.""",
    ),
}


@dataclass
class Finding:
    app_label: str
    name: str
    errors: list[str] = field(default_factory=list)  # codes
    exempted: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # warnings for a reviewer

    @property
    def label(self) -> str:
        return f"{self.app_label}.{self.name}"


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # exemptions of migrations that do not exist

    @property
    def failed(self) -> bool:
        return any(f.errors for f in self.findings)

    def lines(self) -> list[str]:
        out = []
        for finding in self.findings:
            if finding.errors:
                state = "ERROR " + ", ".join(finding.errors)
            elif finding.exempted:
                state = "exempt " + ", ".join(finding.exempted)
            else:
                state = "ok"
            out.append(f"{finding.label}: {state}")
            out.extend(f"    review: {note}" for note in finding.notes)
            if finding.exempted and not finding.errors:
                reason = EXEMPT[(finding.app_label, finding.name)].reason
                out.append(f"    reason: {reason}")
        out.extend(
            f"{label}: exempted, but there is no such migration: remove it from EXEMPT"
            for label in self.stale
        )
        errors = sum(1 for f in self.findings if f.errors)
        out.append(f"{len(self.findings)} migrations, {errors} with errors")
        return out


# -- Checks of our own -----------------------------------------------------------------------------

_CREATED = re.compile(r'^CREATE TABLE "?([\w.]+)"?', re.IGNORECASE)
_ADD_CONSTRAINT = re.compile(
    r'^ALTER TABLE "?([\w.]+)"? ADD CONSTRAINT \S+ (CHECK|FOREIGN KEY)\b', re.IGNORECASE
)


def own_checks(statements: list[str]) -> list[str]:
    """Codes for constraints added, validated at once, to tables this migration did not create."""
    created = {m.group(1) for s in statements if (m := _CREATED.match(s.strip()))}
    codes = []
    for statement in statements:
        match = _ADD_CONSTRAINT.match(statement.strip())
        if not match or match.group(1) in created or "NOT VALID" in statement.upper():
            continue
        code = "ADD_CHECK" if match.group(2).upper() == "CHECK" else "ADD_FOREIGN_KEY"
        if code not in codes:
            codes.append(code)
    return codes


def ours(app_label: str) -> bool:
    from django.apps import apps

    try:
        return apps.get_app_config(app_label).name.startswith("dsar.")
    except LookupError:
        return False


def lint(database: str = "default") -> Report:
    """Lint every migration of dsar's apps on ``database``."""
    from django.db.migrations import RunPython
    from django_migration_linter import MigrationLinter
    from django_migration_linter.sql_analyser import analyse_sql_statements

    # The linter narrates each sqlmigrate call at INFO.
    logging.getLogger("django_migration_linter").setLevel(logging.WARNING)
    linter = MigrationLinter(database=database, no_cache=True, no_output=True)
    report = Report()
    migrations = sorted(
        (
            migration
            for (app_label, _name), migration in linter.migration_loader.disk_migrations.items()
            if ours(app_label)
        ),
        key=lambda m: (m.app_label, m.name),
    )
    for migration in migrations:
        finding = Finding(migration.app_label, migration.name)
        statements = linter.get_sql(migration.app_label, migration.name)
        errors, _ignored, warnings = analyse_sql_statements(
            linter.sql_analyser_class, statements, []
        )
        data_errors, _data_ignored, data_warnings = linter.analyse_data_migration(migration)
        codes = [issue.code for issue in (*errors, *data_errors)]
        codes += [issue.code for issue in warnings if issue.code in LOCK_WARNINGS]
        codes += own_checks(statements)
        finding.notes = [issue.message for issue in data_warnings]
        finding.notes += [
            f"RunPython {getattr(operation.code, '__name__', operation.code)}: read it"
            " (no SQL linter sees inside)"
            for operation in migration.operations
            if isinstance(operation, RunPython)
        ]
        exemption = EXEMPT.get((migration.app_label, migration.name))
        for code in dict.fromkeys(codes):
            if exemption is not None and code in exemption.codes:
                finding.exempted.append(code)
            else:
                finding.errors.append(code)
        report.findings.append(finding)
    known = {(m.app_label, m.name) for m in migrations}
    report.stale = sorted(f"{app}.{name}" for app, name in EXEMPT if (app, name) not in known)
    return report
