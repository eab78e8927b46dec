"""The policy-file schema of docs/policy-files.md, and the check that turns a parsed file into data.

``normalize()`` takes what PyYAML parsed (plus the line of every path) and returns the *normalized
document*: every key present, in schema order, defaults filled in, the text inline, dates as ISO
strings. It is also exactly what ``export_policy`` prints, so a file and its export normalize to
the same document and hash to the same ``content_hash()``: that is what makes ``load_policy``
idempotent across YAML and JSON.

Every problem is collected, not just the first, and carries the file's line, so a privacy officer
fixes a file in one pass: ``img.yaml:42: rights[3].kind: 'acess' is not a right kind (…)``.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import models

from dsar.deadlines import Rule
from dsar.organizations.models import Organization, OrganizationAddress, OrganizationContact
from dsar.organizations.validators import (
    REFERENCE_PREFIX_REGEX,
    SLUG_REGEX,
    validate_holiday_calendar,
    validate_jurisdictions,
    validate_time_zone,
)
from dsar.policies.models import (
    Channel,
    ChannelKind,
    DataCategory,
    Declaration,
    Exemption,
    Fee,
    FrequencyLimit,
    IdentityVerification,
    LabelPlacement,
    LabelRule,
    PolicyVersion,
    Right,
    RightKind,
)

DocPath = tuple[str | int, ...]  # a path into the document: ("rights", 3, "kind")

CHANNEL_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a policy file, where it is."""

    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.file}:{self.line}: {where}{self.message}"


class PolicyFileError(Exception):
    """A policy file (or several) cannot be loaded; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def format_path(path: DocPath) -> str:
    """("rights", 3, "kind") → "rights[3].kind"."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


# -- The schema ------------------------------------------------------------------------------------


class Type(StrEnum):
    TEXT = "text"
    INT = "int"
    DATE = "date"
    ENUM = "enum"
    RULE = "rule"
    TEXT_LIST = "text_list"
    ENUM_LIST = "enum_list"
    RECORD = "record"
    RECORDS = "records"


# Named outside ``Field``, whose attribute ``type`` hides the builtin inside its body.
ChoicesClass = type[models.TextChoices]


@dataclass(frozen=True)
class Field:
    """One key of the schema. ``default`` is the normalized value when the key is absent or null."""

    type: Type
    required: bool = False
    default: Any = None
    choices: ChoicesClass | None = None
    what: str = ""  # the enum in words, for messages: "a right kind"
    record: Mapping[str, Field] = field(default_factory=dict)
    max_length: int | None = None
    min_value: int | None = None
    strip: bool = True  # text: drop surrounding whitespace (not for the policy text itself)


def _max(model: type[models.Model], name: str) -> int | None:
    """The column's length, so that an over-long value fails here, with its line, not in SQL."""
    field = model._meta.get_field(name)
    return field.max_length if isinstance(field, models.Field) else None


def text(
    required: bool = False, default: str | None = None, max_length: int | None = None
) -> Field:
    return Field(Type.TEXT, required=required, default=default, max_length=max_length)


def records(**fields: Field) -> Field:
    return Field(Type.RECORDS, default=[], record=fields)


def enum(choices: type[models.TextChoices], what: str, **kwargs: Any) -> Field:
    return Field(Type.ENUM, choices=choices, what=what, **kwargs)


CLAUSE = text()  # verbatim from the policy text, or null

ORGANIZATION = {
    "slug": text(required=True, max_length=_max(Organization, "slug")),
    "name": text(required=True, max_length=_max(Organization, "name")),
    "legal_name": text(max_length=_max(Organization, "legal_name")),
    "reference_prefix": text(max_length=_max(Organization, "reference_prefix")),
    "time_zone": text(default="UTC"),
    "holiday_calendar": text(),
    "jurisdictions": Field(Type.TEXT_LIST, default=[]),
    "out_of_scope": Field(Type.TEXT_LIST, default=[]),
    "out_of_scope_reason": text(),
    "websites": Field(Type.TEXT_LIST, default=[]),
    "addresses": records(
        label=text(max_length=_max(OrganizationAddress, "label")),
        address=text(required=True),
        quote=CLAUSE,
    ),
    "contacts": records(
        role=text(required=True, max_length=_max(OrganizationContact, "role")),
        name=text(max_length=_max(OrganizationContact, "name")),
        email=text(max_length=_max(OrganizationContact, "email")),
        phone=text(max_length=_max(OrganizationContact, "phone")),
    ),
    "minimum_age": Field(Type.INT, min_value=0),
    "minimum_age_clause": CLAUSE,
}

# What the policy declares about selling, sharing, sensitive information and profiling: yes, no
# or not_stated, each with the clause that says so (the US state opt-outs follow from them).
DECLARED = ("sells", "shares", "sensitive_beyond_permitted", "profiles")
DECLARATION_CLAUSES = {
    "sells": "sells_clause",
    "shares": "shares_clause",
    "sensitive_beyond_permitted": "sensitive_clause",
    "profiles": "profiles_clause",
}

POLICY = {
    "title": text(required=True, max_length=_max(PolicyVersion, "title")),
    "effective_date": Field(Type.DATE),
    "source": text(max_length=_max(PolicyVersion, "source")),
    **{
        key: enum(Declaration, "yes, no or not_stated", default=Declaration.NOT_STATED.value)
        for key in DECLARED
    },
    **{clause: CLAUSE for clause in DECLARATION_CLAUSES.values()},
    # Exactly one of the two; normalize() reads text_file and keeps only `text`.
    "text_file": text(),
    "text": Field(Type.TEXT, strip=False),  # byte for byte, as the file under text_file
}

CHANNEL = {
    "key": text(required=True, max_length=_max(Channel, "key")),
    "kind": enum(ChannelKind, "a channel kind", required=True),
    "address": text(),
    "notes": text(default=""),
    "quote": CLAUSE,
    "gap": text(),
    "designated_for": Field(Type.ENUM_LIST, default=[], choices=RightKind, what="a right kind"),
    "label_rules": records(
        right=enum(RightKind, "a right kind", required=True),
        words=text(required=True, max_length=_max(LabelRule, "words")),
        where=enum(LabelPlacement, "a label placement", required=True),
        quote=CLAUSE,
    ),
}

NAMED = {"name": text(required=True, max_length=_max(DataCategory, "name")), "clause": CLAUSE}

RIGHT = {
    "kind": enum(RightKind, "a right kind", required=True),
    "clause": text(required=True),
    "channels": Field(Type.TEXT_LIST, default=[]),
    # Written by export_policy only when two channels share a kind: `channels` then lists kinds
    # and this lists the keys they stand for, in the same order.
    "channel_keys": Field(Type.TEXT_LIST),
    "identity_verification": enum(IdentityVerification, "an identity verification"),
    "identity_clause": CLAUSE,
    "fee": enum(Fee, "a fee rule", default=Fee.NOT_STATED.value),
    "fee_clause": CLAUSE,
    "frequency_limit": enum(FrequencyLimit, "a frequency limit", default=FrequencyLimit.NONE.value),
    "frequency_clause": CLAUSE,
    "exemptions": records(
        name=text(required=True, max_length=_max(Exemption, "name")), clause=CLAUSE
    ),
    "deadline_promise": text(max_length=_max(Right, "deadline_promise")),
    "deadline_clause": CLAUSE,
    "promise_rule": Field(Type.RULE),
    "deadline_rule": Field(Type.RULE),
    "internal_target_days": Field(Type.INT, min_value=1),
    "requires": Field(Type.TEXT_LIST, default=[]),
    "notes": text(default=""),
}

DOCUMENT = {
    "organization": Field(Type.RECORD, required=True, record=ORGANIZATION),
    "policy": Field(Type.RECORD, required=True, record=POLICY),
    "channels": Field(Type.RECORDS, required=True, default=[], record=CHANNEL),
    "rights": Field(Type.RECORDS, required=True, default=[], record=RIGHT),
    "data_categories": records(**NAMED),
    "purposes": records(**NAMED),
    "recipients": records(**NAMED),
    "retention": records(statement=text(required=True), clause=CLAUSE),
    "sources": records(**NAMED),
    "gaps": Field(Type.TEXT_LIST, default=[]),
}

# The parts of the document that belong to the organization and are updated in place; all the
# rest (including the minimum age, a statement of the policy text) is versioned content.
ORGANIZATION_KEYS = frozenset(ORGANIZATION) - {"minimum_age", "minimum_age_clause"}


# -- Normalization ---------------------------------------------------------------------------------


@dataclass
class _Checker:
    """Walks a parsed document against the schema, collecting problems with their lines."""

    file: str
    lines: Mapping[DocPath, int]
    problems: list[Problem] = field(default_factory=list)

    def line(self, path: DocPath) -> int:
        """The line of ``path``, or of its nearest ancestor that has one (a missing key)."""
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)

    def fail(self, path: DocPath, message: str) -> None:
        self.problems.append(Problem(self.file, self.line(path), format_path(path), message))

    def record(self, value: Any, spec: Mapping[str, Field], path: DocPath) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, f"expected a mapping of keys ({', '.join(spec)}), got {_kind(value)}")
            value = {}
        for key in value:
            if key not in spec:
                close = difflib.get_close_matches(str(key), list(spec), n=1)
                hint = (
                    f"did you mean {close[0]!r}?"
                    if close
                    else f"expected one of: {', '.join(spec)}"
                )
                self.fail((*path, str(key)), f"unknown key {key!r} ({hint})")
        out: dict[str, Any] = {}
        for key, fspec in spec.items():
            out[key] = self.value(value.get(key), key in value, fspec, (*path, key))
        return out

    def value(self, value: Any, present: bool, spec: Field, path: DocPath) -> Any:
        if isinstance(value, str) and spec.type is not Type.TEXT:
            value = value.strip() or None
        if value is None:
            if spec.required and not (spec.type is Type.RECORDS and present):
                self.fail(path, "is required" if not present else "must not be empty")
            if spec.type is Type.RECORD:  # the section's defaults, so later checks can run
                return {key: _copy(f.default) for key, f in spec.record.items()}
            return _copy(spec.default)
        check: Callable[[Any, Field, DocPath], Any] = getattr(self, f"_{spec.type.value}")
        return check(value, spec, path)

    def _text(self, value: Any, spec: Field, path: DocPath) -> str | None:
        if not isinstance(value, str):
            self.fail(path, f"expected text, got {_kind(value)} (put it in quotes)")
            return spec.default
        if not value.strip():
            if spec.required:
                self.fail(path, "must not be empty")
            return spec.default
        if spec.strip:
            value = value.strip()
        if spec.max_length and len(value) > spec.max_length:
            self.fail(path, f"is {len(value)} characters long; the most is {spec.max_length}")
        return value

    def _int(self, value: Any, spec: Field, path: DocPath) -> int | None:
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(path, f"expected a whole number, got {_kind(value)}")
            return None
        if spec.min_value is not None and value < spec.min_value:
            self.fail(path, f"must be at least {spec.min_value}, not {value}")
        return value

    def _date(self, value: Any, spec: Field, path: DocPath) -> str | None:
        if isinstance(value, datetime.datetime):
            self.fail(path, f"expected a date (YYYY-MM-DD), got a date and time {value}")
            return None
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            try:
                return datetime.date.fromisoformat(value).isoformat()
            except ValueError as error:
                self.fail(path, f"{value!r} is not a date ({error})")
                return None
        self.fail(path, f"{value!r} is not a date (YYYY-MM-DD)")
        return None

    def _enum(self, value: Any, spec: Field, path: DocPath) -> str | None:
        assert spec.choices is not None  # noqa: S101 - schema definition
        if value not in spec.choices.values:
            choices = ", ".join(spec.choices.values)
            self.fail(path, f"{value!r} is not {spec.what} (choose from {choices})")
            return spec.default
        return str(value)

    def _rule(self, value: Any, spec: Field, path: DocPath) -> str | None:
        try:
            return Rule.parse(str(value)).value
        except ValueError:
            self.fail(path, f"{value!r} is not a deadline rule (choose from {', '.join(Rule)})")
            return None

    def _list(self, value: Any, path: DocPath) -> list[Any]:
        if not isinstance(value, list):
            self.fail(path, f"expected a list, got {_kind(value)}")
            return []
        return value

    def _text_list(self, value: Any, spec: Field, path: DocPath) -> list[str]:
        item = Field(Type.TEXT, required=True)
        items = [self._text(v, item, (*path, i)) for i, v in enumerate(self._list(value, path))]
        return [v for v in items if v is not None]

    def _enum_list(self, value: Any, spec: Field, path: DocPath) -> list[str]:
        item = Field(Type.ENUM, required=True, choices=spec.choices, what=spec.what)
        out: list[str] = []
        for i, v in enumerate(self._list(value, path)):
            if (checked := self._enum(v, item, (*path, i))) is None:
                continue
            if checked in out:
                self.fail((*path, i), f"{checked!r} is listed twice")
            else:
                out.append(checked)
        return out

    def _record(self, value: Any, spec: Field, path: DocPath) -> dict[str, Any]:
        return self.record(value, spec.record, path)

    def _records(self, value: Any, spec: Field, path: DocPath) -> list[dict[str, Any]]:
        return [
            self.record(v, spec.record, (*path, i)) for i, v in enumerate(self._list(value, path))
        ]


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return f"a yes/no value ({value})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, datetime.date):
        return f"a date ({value})"
    return type(value).__name__


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def normalize(
    data: Any, lines: Mapping[DocPath, int], *, file: str, base_dir: Path
) -> dict[str, Any]:
    """The normalized document of a parsed policy file, or PolicyFileError listing every problem.

    1. Check every key against the schema (unknown, missing, wrong type, bad enum value or rule).
    2. Check what the schema cannot say: formats, time zone, calendar, jurisdictions, unique
       channel keys and right kinds, references from rights and label rules.
    3. Replace ``policy.text_file`` by the text it names, so the document stands alone.
    """
    check = _Checker(file, lines)
    doc = check.record(data, DOCUMENT, ())
    _check_organization(check, doc["organization"])
    _inline_text(check, doc["policy"], base_dir)
    _check_channels_and_rights(check, doc)
    if check.problems:
        raise PolicyFileError(check.problems)
    return doc


def _validate(check: _Checker, path: DocPath, validator: Callable[[Any], None], value: Any) -> None:
    try:
        validator(value)
    except ValidationError as error:
        check.fail(path, "; ".join(error.messages))


def _check_organization(check: _Checker, org: dict[str, Any]) -> None:
    path: DocPath = ("organization",)
    slug = org["slug"]
    if slug and not re.match(SLUG_REGEX, slug):
        check.fail((*path, "slug"), f"{slug!r} must be lowercase letters, digits and hyphens")
    if org["reference_prefix"] is None and slug:
        # Not in the file: derived from the slug, the way a reader would abbreviate it.
        org["reference_prefix"] = re.sub(r"[^A-Z0-9]", "", slug.upper())[:12] or None
    prefix = org["reference_prefix"]
    if prefix and not re.match(REFERENCE_PREFIX_REGEX, prefix):
        check.fail(
            (*path, "reference_prefix"),
            f"{prefix!r} must be 1 to 12 upper-case letters and digits, starting with a letter",
        )
    if org["time_zone"]:
        _validate(check, (*path, "time_zone"), validate_time_zone, org["time_zone"])
    if org["holiday_calendar"]:
        _validate(
            check, (*path, "holiday_calendar"), validate_holiday_calendar, org["holiday_calendar"]
        )
    for i, code in enumerate(org["jurisdictions"]):
        _validate(check, (*path, "jurisdictions", i), validate_jurisdictions, [code])
    if len(set(org["jurisdictions"])) != len(org["jurisdictions"]):
        check.fail((*path, "jurisdictions"), "a jurisdiction is listed twice")
    for i, code in enumerate(org["out_of_scope"]):
        _validate(check, (*path, "out_of_scope", i), validate_jurisdictions, [code])
    if org["out_of_scope"] and not (org["out_of_scope_reason"] or "").strip():
        check.fail((*path, "out_of_scope_reason"), "say why these places' laws do not reach it")
    url = URLValidator(schemes=["http", "https"])
    for i, website in enumerate(org["websites"]):
        _validate(check, (*path, "websites", i), url, website)
    email = EmailValidator()
    for i, contact in enumerate(org["contacts"]):
        if contact["email"]:
            _validate(check, (*path, "contacts", i, "email"), email, contact["email"])
    if org["minimum_age_clause"] and org["minimum_age"] is None:
        check.fail((*path, "minimum_age"), "a minimum_age_clause is given without the minimum_age")


def _inline_text(check: _Checker, policy: dict[str, Any], base_dir: Path) -> None:
    path: DocPath = ("policy",)
    text_file = policy.pop("text_file")
    if text_file is not None and policy["text"] is not None:
        check.fail((*path, "text_file"), "give either text_file or text, not both")
    elif text_file is not None:
        try:
            policy["text"] = (base_dir / text_file).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            check.fail((*path, "text_file"), f"{text_file!r} does not exist in {base_dir}")
        except (OSError, UnicodeDecodeError) as error:
            check.fail((*path, "text_file"), f"{text_file!r} cannot be read as UTF-8 text: {error}")
    elif policy["text"] is None:
        check.fail(path, "text_file (or text) is required")


def _check_channels_and_rights(check: _Checker, doc: dict[str, Any]) -> None:
    kind_of: dict[str, str] = {}
    for i, channel in enumerate(doc["channels"]):
        key = channel["key"]
        if key is None:
            continue
        if not CHANNEL_KEY_RE.match(key):
            check.fail(
                ("channels", i, "key"), f"{key!r} must be lowercase letters, digits, _ and -"
            )
        if key in kind_of:
            check.fail(("channels", i, "key"), f"channel key {key!r} is used twice")
        kind_of[key] = channel["kind"]

    promised: set[str] = set()
    for i, right in enumerate(doc["rights"]):
        path: DocPath = ("rights", i)
        if right["kind"] in promised:
            check.fail((*path, "kind"), f"{right['kind']!r} is promised twice (one right per kind)")
        promised.add(right["kind"])
        _resolve_right_channels(check, right, kind_of, path)
        if right["promise_rule"] and not right["deadline_promise"]:
            check.fail(
                (*path, "promise_rule"),
                "a promise_rule encodes the policy's deadline_promise; give the promise too",
            )

    right_order: dict[str, int] = {}
    for i, right in enumerate(doc["rights"]):
        right_order.setdefault(right["kind"], i)
    for i, channel in enumerate(doc["channels"]):
        path = ("channels", i)
        for j, kind in enumerate(channel["designated_for"]):
            if kind not in promised:
                check.fail(
                    (*path, "designated_for", j),
                    f"designated for {kind!r}, a right the file does not promise",
                )
        labelled: set[str] = set()
        for j, rule in enumerate(channel["label_rules"]):
            if rule["right"] is None:
                continue
            if rule["right"] not in promised:
                check.fail(
                    (*path, "label_rules", j, "right"),
                    f"label rule for {rule['right']!r}, a right the file does not promise",
                )
            if rule["right"] in labelled:
                check.fail(
                    (*path, "label_rules", j, "right"),
                    f"a second label rule for {rule['right']!r} on this channel",
                )
            labelled.add(rule["right"])
        # A many-to-many link has no order: list it in the order of the rights, as the export.
        channel["designated_for"].sort(key=lambda kind: right_order.get(kind, len(right_order)))


def _resolve_right_channels(
    check: _Checker, right: dict[str, Any], kind_of: Mapping[str, str], path: DocPath
) -> None:
    """Turn the file's channel references into the export form: kinds, plus keys if they differ.

    In a file a right lists channel *keys*; an export lists channel *kinds*, which reads better
    and is what other tools expect, and adds ``channel_keys`` only where a kind is ambiguous.
    """
    keys = right.pop("channel_keys")
    key_path: DocPath = (*path, "channel_keys")
    if keys is None:
        keys, key_path = right["channels"], (*path, "channels")
    elif [kind_of.get(k) for k in keys] != right["channels"]:
        check.fail((*path, "channels"), "must list the kinds of channel_keys, in the same order")
    for j, key in enumerate(keys):
        if key not in kind_of:
            known = ", ".join(kind_of) or "none"
            check.fail((*key_path, j), f"{key!r} is not a channel key of this file (keys: {known})")
        elif key in keys[:j]:
            check.fail((*key_path, j), f"channel {key!r} is listed twice")
    # A many-to-many link has no order: keep the file's order of channels, as the export does.
    order = {key: i for i, key in enumerate(kind_of)}
    keys = sorted(keys, key=lambda key: order.get(key, len(order)))
    kinds = [kind_of.get(key, key) for key in keys]
    right["channels"] = kinds
    if keys != kinds:
        right["channel_keys"] = list(keys)
    # Keep the schema's key order: channel_keys right after channels.
    for key in [k for k in RIGHT if k in right]:
        right[key] = right.pop(key)


def channel_keys_of(right: Mapping[str, Any]) -> list[str]:
    """The keys of the channels a normalized right refers to."""
    return list(right.get("channel_keys") or right["channels"])


# -- Identity of content ---------------------------------------------------------------------------


def versioned_content(document: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a normalized document that a policy version holds (all but the organization)."""
    org = document["organization"]
    content = {key: value for key, value in document.items() if key != "organization"}
    content["minimum_age"] = org["minimum_age"]
    content["minimum_age_clause"] = org["minimum_age_clause"]
    return content


def content_hash(document: Mapping[str, Any]) -> str:
    """SHA-256 of the versioned content, in a canonical JSON spelling (sorted keys, no spaces)."""
    canonical = json.dumps(
        versioned_content(document), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def empty_value(spec: Field) -> Any:
    """How the document spells a blank database value for ``spec``: null, "" or []."""
    return _copy(spec.default)
