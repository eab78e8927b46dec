"""A policy version back into the policy-file schema (docs/policy-files.md), as JSON or YAML.

The export is the *normalized document* of ``schema.normalize()``, built from rows instead of a
file: the same keys in the same order, the text inline. Loading an export therefore finds the
same content hash and changes nothing, and exporting twice gives the same bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

import yaml
from django.db import models

from dsar.organizations.models import Organization
from dsar.policies import schema
from dsar.policies.models import Channel, PolicyVersion, Right


def _spell(spec: schema.Field, value: Any) -> Any:
    """A database value in the document's spelling: blank columns become null, "" or []."""
    if value is None or value == "":
        return schema.empty_value(spec)
    return value


def _row(spec: Mapping[str, schema.Field], values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _spell(spec[key], values[key]) for key in spec}


def _rows(
    spec: Mapping[str, schema.Field], objects: Iterable[models.Model]
) -> list[dict[str, Any]]:
    return [_row(spec, {key: getattr(obj, key) for key in spec}) for obj in objects]


def organization_document(
    org: Organization, version: PolicyVersion | None = None
) -> dict[str, Any]:
    """The ``organization`` section: the organization now, the minimum age of ``version``."""
    return _row(
        schema.ORGANIZATION,
        {
            **{key: getattr(org, key) for key in schema.ORGANIZATION_KEYS},
            "addresses": _rows(schema.ORGANIZATION["addresses"].record, org.addresses.all()),
            "contacts": _rows(schema.ORGANIZATION["contacts"].record, org.contacts.all()),
            "minimum_age": version.minimum_age if version else None,
            "minimum_age_clause": version.minimum_age_clause if version else None,
        },
    )


def policy_document(version: PolicyVersion) -> dict[str, Any]:
    """The normalized document of ``version``, with its organization as it is now."""
    organization = organization_document(version.organization, version)
    policy = _row(
        {k: v for k, v in schema.POLICY.items() if k != "text_file"},
        {
            "title": version.title,
            "effective_date": version.effective_date.isoformat()
            if version.effective_date
            else None,
            "source": version.source,
            "text": version.text,
            **{key: getattr(version, key) for key in schema.DECLARED},
            **{clause: getattr(version, clause) for clause in schema.DECLARATION_CLAUSES.values()},
        },
    )
    channels = list(version.channels.prefetch_related("designated_for", "label_rules__right"))
    rights = list(version.rights.prefetch_related("channels", "exemptions"))
    return {
        "organization": organization,
        "policy": policy,
        "channels": [_channel(channel) for channel in channels],
        "rights": [_right(right) for right in rights],
        "data_categories": _rows(schema.NAMED, version.data_categories.all()),
        "purposes": _rows(schema.NAMED, version.purposes.all()),
        "recipients": _rows(schema.NAMED, version.recipients.all()),
        "retention": _rows(schema.DOCUMENT["retention"].record, version.retention.all()),
        "sources": _rows(schema.NAMED, version.sources.all()),
        "gaps": [gap.text for gap in version.gaps.all()],
    }


def _by_position(objects: Iterable[Any]) -> list[Any]:
    """Many-to-many links have no order of their own: list them in the file's order."""
    return sorted(objects, key=lambda obj: (obj.position, obj.pk))


def _channel(channel: Channel) -> dict[str, Any]:
    spec = schema.CHANNEL
    values = {
        key: getattr(channel, key) for key in spec if key not in {"designated_for", "label_rules"}
    }
    values["designated_for"] = [right.kind for right in _by_position(channel.designated_for.all())]
    values["label_rules"] = [
        _row(
            spec["label_rules"].record,
            {
                "right": rule.right.kind,
                "words": rule.words,
                "where": rule.where,
                "quote": rule.quote,
            },
        )
        for rule in channel.label_rules.all()
    ]
    return _row(spec, values)


def _right(right: Right) -> dict[str, Any]:
    spec = {k: v for k, v in schema.RIGHT.items() if k != "channel_keys"}
    channels = _by_position(right.channels.all())
    values = {key: getattr(right, key) for key in spec if key not in {"channels", "exemptions"}}
    values["channels"] = [channel.kind for channel in channels]
    values["exemptions"] = _rows(spec["exemptions"].record, right.exemptions.all())
    out = _row(spec, values)
    keys = [channel.key for channel in channels]
    if keys != out["channels"]:
        # Two channels share a kind, or a key is not its kind: name them exactly.
        items = list(out.items())
        at = [key for key, _ in items].index("channels") + 1
        out = dict([*items[:at], ("channel_keys", keys), *items[at:]])
    return out


# YAML (and so a YAML parser reading JSON) treats these as line breaks or refuses them raw;
# escaped inside a JSON string they mean the same character to both parsers.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def dump_json(document: Mapping[str, Any]) -> str:
    """Readable, stable JSON (schema key order, UTF-8), that PyYAML reads back identically."""
    out = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", out)


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # The full text as a literal block keeps its line breaks readable in review; PyYAML falls
    # back to a quoted style by itself where a block cannot represent the string exactly.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(document: Mapping[str, Any], *, header: str = "") -> str:
    """The document as YAML, keys in schema order, long lines unwrapped."""
    body = yaml.dump(
        dict(document),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=1_000_000,
        default_flow_style=False,
    )
    comment = "".join(f"# {line}\n" for line in header.splitlines())
    return comment + body
