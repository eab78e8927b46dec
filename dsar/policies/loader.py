"""Policy files into rows: read (with line numbers), validate everything, then write in one go.

``load_policy_files()`` is all or nothing: every file is parsed and checked before the first
write, and the writes share one transaction, so a typo in the fifth file leaves the database
exactly as it was. A file whose versioned content is unchanged creates nothing; a changed one
becomes a new version in force. The organization's own fields are updated in place.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import yaml
from django.db import models, transaction

from dsar.organizations.models import Organization, OrganizationAddress, OrganizationContact
from dsar.policies import export, schema, services
from dsar.policies.models import (
    Channel,
    DataCategory,
    DataSource,
    Exemption,
    LabelRule,
    PolicyGap,
    PolicyVersion,
    Purpose,
    Recipient,
    RetentionStatement,
    Right,
)
from dsar.policies.schema import DocPath, PolicyFileError, Problem

if TYPE_CHECKING:
    from dsar.core.actors import Actor


# -- Reading ---------------------------------------------------------------------------------------


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """PyYAML's safe loader, but dates stay text: the schema parses them, with path and line.

    (PyYAML would raise a bare ValueError, without a line, for 2025-02-30.) The libyaml-backed
    loader, where PyYAML ships it, parses ten times faster and gives the same marks.
    """


_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def parse(source: str, *, file: str) -> tuple[Any, dict[DocPath, int]]:
    """The data of a YAML (or JSON) document and the 1-based line of every path in it.

    PyYAML composes the node tree first, whose nodes carry their marks, then constructs the
    Python values from the same tree; walking the tree gives each mapping key and sequence item
    its line. Duplicate keys, which PyYAML would silently resolve to the last, are errors here.
    """
    loader = _Loader(source)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        context = error.context or ""
        if context and error.context_mark and error.context_mark.line + 1 != line:
            context += f" (from line {error.context_mark.line + 1})"
        what = ", ".join(p for p in (context, error.problem) if p)
        raise PolicyFileError([Problem(file, line, "", f"not valid YAML: {what}")]) from None
    except yaml.YAMLError as error:
        raise PolicyFileError([Problem(file, 1, "", f"not valid YAML: {error}")]) from None
    finally:
        loader.dispose()
    lines: dict[DocPath, int] = {(): 1}
    problems: list[Problem] = []
    if node is not None:
        _walk(node, (), lines, problems, file, frozenset())
    if problems:
        raise PolicyFileError(problems)
    return data, lines


def _walk(
    node: yaml.Node,
    path: DocPath,
    lines: dict[DocPath, int],
    problems: list[Problem],
    file: str,
    ancestors: frozenset[int],
) -> None:
    if id(node) in ancestors:  # a recursive alias: the schema will refuse the value anyway
        return
    ancestors = ancestors | {id(node)}
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = key_node.value
            here = (*path, key)
            line = key_node.start_mark.line + 1
            if key in seen:
                where = schema.format_path(here)
                problems.append(Problem(file, line, where, f"key {key!r} is given twice"))
            seen.add(key)
            lines[here] = line
            _walk(value_node, here, lines, problems, file, ancestors)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[(*path, i)] = item.start_mark.line + 1
            _walk(item, (*path, i), lines, problems, file, ancestors)


def read_policy_file(path: Path, *, name: str | None = None) -> dict[str, Any]:
    """The normalized document of the file at ``path``, or PolicyFileError.

    ``name`` is how messages name the file (default: the path as given).
    """
    file = name or str(path)
    try:
        source = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise PolicyFileError([Problem(file, 1, "", "no such file")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise PolicyFileError([Problem(file, 1, "", f"cannot be read: {error}")]) from None
    data, lines = parse(source, file=file)
    return schema.normalize(data, lines, file=file, base_dir=path.parent)


# -- Writing ---------------------------------------------------------------------------------------


class Outcome(enum.StrEnum):
    CREATED = "created"  # the organization's first version
    CHANGED = "changed"  # a new version, in force; the previous one retired
    UNCHANGED = "unchanged"  # same content as the version in force: nothing created


@dataclass(frozen=True)
class LoadResult:
    file: str
    organization: Organization
    outcome: Outcome
    version: PolicyVersion  # in force after the load
    previous: PolicyVersion | None
    organization_updated: bool  # name, addresses, time zone… changed in place

    def __str__(self) -> str:
        slug, number = self.organization.slug, self.version.number
        if self.outcome is Outcome.UNCHANGED:
            text = f"unchanged ({slug} version {number} in force)"
        elif self.previous is None:
            text = f"created {slug} version {number}, in force"
        else:
            text = (
                f"changed: {slug} version {number} in force, version {self.previous.number} retired"
            )
        if self.organization_updated:
            text += "; organization details updated"
        return f"{self.file}: {text}"


def load_policy_files(
    paths: Sequence[Path],
    *,
    actor: Actor = None,
    in_force_from: datetime.date | None = None,
) -> list[LoadResult]:
    """Load policy files, all or nothing.

    1. Read and check every file; collect the problems of all of them.
    2. Refuse two files for the same organization (which one would be in force?).
    3. With ``in_force_from`` (a past date: the policy was in force since then, so that past
       requests can be imported), refuse a changed file for an organization that already has a
       version: only a first version can be backdated.
    4. Only then write, in one transaction.
    """
    documents: list[tuple[str, dict[str, Any]]] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            documents.append((str(path), read_policy_file(path)))
        except PolicyFileError as error:
            problems.extend(error.problems)
    first_file: dict[str, str] = {}
    for file, document in documents:
        slug = document["organization"]["slug"]
        if slug in first_file:
            message = f"{slug!r} is also loaded from {first_file[slug]}"
            problems.append(Problem(file, 1, "organization.slug", message))
        first_file.setdefault(slug, file)
        if in_force_from is not None:
            current = PolicyVersion.objects.in_force().filter(organization__slug=slug).first()
            if current is not None and current.content_hash != schema.content_hash(document):
                message = (
                    f"{slug!r} already has a policy in force: only a first version can be put "
                    "in force from a past date"
                )
                problems.append(Problem(file, 1, "organization.slug", message))
    if problems:
        raise PolicyFileError(problems)
    with transaction.atomic():
        return [
            policy_document_load(
                document=document, file=file, actor=actor, in_force_from=in_force_from
            )
            for file, document in documents
        ]


@transaction.atomic
def policy_document_load(
    *,
    document: Mapping[str, Any],
    file: str = "",
    actor: Actor = None,
    in_force_from: datetime.date | None = None,
) -> LoadResult:
    """Write one normalized document: organization in place, content as a version if changed.

    ``in_force_from`` puts a first version in force from the start of that day in the
    organization's time zone (see ``policy_version_publish``)."""
    organization, created, org_updated = _organization_sync(document["organization"])
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    current = PolicyVersion.objects.in_force_for(organization)
    digest = schema.content_hash(document)
    if current is not None and current.content_hash == digest:
        return LoadResult(file, organization, Outcome.UNCHANGED, current, None, org_updated)
    draft = _version_create(organization=organization, document=document, actor=actor)
    since = None
    if in_force_from is not None:
        zone = ZoneInfo(organization.time_zone)
        since = datetime.datetime.combine(in_force_from, datetime.time.min, tzinfo=zone)
    version = services.policy_version_publish(version=draft, actor=actor, in_force_from=since)
    if version.content_hash != digest:
        # The rows do not say what the file said: a bug in the loader or the export, which
        # would make every later load of this file a "change". Roll back rather than store it.
        raise RuntimeError(
            f"{file}: the loaded version does not export to the file's content "
            f"({version.content_hash} != {digest})"
        )
    outcome = Outcome.CREATED if current is None else Outcome.CHANGED
    return LoadResult(file, organization, outcome, version, current, org_updated and not created)


def _organization_sync(data: Mapping[str, Any]) -> tuple[Organization, bool, bool]:
    """Create or update the organization in place; (organization, created, anything changed)."""
    values = _columns(
        Organization,
        {key: data[key] for key in schema.ORGANIZATION_KEYS - {"slug", "addresses", "contacts"}},
    )
    organization, created = Organization.objects.get_or_create(slug=data["slug"], defaults=values)
    changed = [key for key, value in values.items() if getattr(organization, key) != value]
    for key in changed:
        setattr(organization, key, values[key])
    if changed:
        organization.save()
    current = export.organization_document(organization)
    updated = bool(changed)
    if current["addresses"] != data["addresses"]:
        organization.addresses.all().delete()
        _create_rows(OrganizationAddress, data["addresses"], organization=organization)
        updated = True
    if current["contacts"] != data["contacts"]:
        organization.contacts.all().delete()
        _create_rows(OrganizationContact, data["contacts"], organization=organization)
        updated = True
    return organization, created, updated


def _blank(value: Any) -> Any:
    """The database spelling of a document's null text: a blank string (Django's convention)."""
    return "" if value is None else value


def _columns(model: type[models.Model], item: Mapping[str, Any]) -> dict[str, Any]:
    """``item``'s values for ``model``'s columns, null text spelled as a blank string."""
    out = {}
    for key, value in item.items():
        is_text = isinstance(model._meta.get_field(key), models.CharField | models.TextField)
        out[key] = _blank(value) if is_text else value
    return out


def _create_rows(model: type[Any], items: Iterable[Mapping[str, Any]], **parent: Any) -> list[Any]:
    return [
        model.objects.create(position=position, **parent, **_columns(model, item))
        for position, item in enumerate(items)
    ]


def _version_create(
    *, organization: Organization, document: Mapping[str, Any], actor: Actor
) -> PolicyVersion:
    """A draft version holding the document's content, ready to be put in force."""
    policy, org = document["policy"], document["organization"]
    version = PolicyVersion.objects.create(
        organization=organization,
        number=PolicyVersion.next_number(organization),
        title=policy["title"],
        effective_date=(
            datetime.date.fromisoformat(policy["effective_date"])
            if policy["effective_date"]
            else None
        ),
        source=_blank(policy["source"]),
        text=policy["text"],
        **{key: policy[key] for key in schema.DECLARED},
        **{clause: _blank(policy[clause]) for clause in schema.DECLARATION_CLAUSES.values()},
        minimum_age=org["minimum_age"],
        minimum_age_clause=_blank(org["minimum_age_clause"]),
        created_by_id=getattr(actor, "pk", None),
    )
    channels: dict[str, Channel] = {}
    for position, data in enumerate(document["channels"]):
        fields = _columns(
            Channel, {k: v for k, v in data.items() if k not in {"designated_for", "label_rules"}}
        )
        channels[data["key"]] = Channel.objects.create(version=version, position=position, **fields)
    rights: dict[str, Right] = {}
    for position, data in enumerate(document["rights"]):
        skip = {"channels", "channel_keys", "exemptions"}
        fields = _columns(Right, {k: v for k, v in data.items() if k not in skip})
        right = Right.objects.create(version=version, position=position, **fields)
        right.channels.set([channels[key] for key in schema.channel_keys_of(data)])
        _create_rows(Exemption, data["exemptions"], right=right)
        rights[data["kind"]] = right
    for data in document["channels"]:
        channel = channels[data["key"]]
        channel.designated_for.set([rights[kind] for kind in data["designated_for"]])
        for position, rule in enumerate(data["label_rules"]):
            LabelRule.objects.create(
                channel=channel,
                right=rights[rule["right"]],
                position=position,
                words=rule["words"],
                where=rule["where"],
                quote=_blank(rule["quote"]),
            )
    _create_rows(DataCategory, document["data_categories"], version=version)
    _create_rows(Purpose, document["purposes"], version=version)
    _create_rows(Recipient, document["recipients"], version=version)
    _create_rows(RetentionStatement, document["retention"], version=version)
    _create_rows(DataSource, document["sources"], version=version)
    _create_rows(PolicyGap, ({"text": gap} for gap in document["gaps"]), version=version)
    return version
