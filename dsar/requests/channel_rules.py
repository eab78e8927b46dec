"""What the policy says about how a request arrived: right promised, channel offered, label given.

A request that breaks a rule is accepted and flagged, never dropped; for 1798.83 a request that did
not come through a designated channel with the label the policy demands counts as "received
otherwise" and gets the statute's outer limit of 150 days (legal-rules.md, "Labels and designated
channels"). dsar's public form, when the organization switches it on, is a channel it offers.

A published version never changes (``dsar.policies``: its rows are frozen), so what it says about
rights and channels is read once per process and kept, keyed by the version (``rules_for``): the
public form and every intake ask the same few questions of the same version. A draft is read
afresh each time.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, TextChoices
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dsar.policies.models import (
    Channel,
    ChannelKind,
    LabelPlacement,
    LabelRule,
    PolicyVersion,
    PolicyVersionStatus,
    Right,
    RightKind,
)
from dsar.requests.models import Flag


@dataclass
class Assessment:
    """The policy's promise and channel a request came through, and what it breaks."""

    right: Right | None
    channel: Channel | None
    designated: bool
    flags: list[dict[str, str]] = field(default_factory=list)

    def flag(self, code: Flag, message: str) -> None:
        self.flags.append({"code": code.value, "message": message})


@dataclass(frozen=True)
class VersionRules:
    """A version's rights and channels, as ``assess`` and the public form ask about them.

    Every sequence keeps the version's order (position, then id), so "the first of a kind" is the
    one a query ordered the models' way would return.
    """

    kinds: tuple[str, ...]  # the rights promised, in order
    rights: dict[str, Right]  # kind -> the first right of that kind
    channels: dict[str, Channel]  # kind -> the first channel of that kind
    right_channels: dict[int, tuple[Channel, ...]]  # right pk -> the channels it is offered on
    label_rules: dict[tuple[int, int], tuple[LabelRule, ...]]  # (channel pk, right pk) -> rules
    designated: frozenset[tuple[int, int]]  # (channel pk, right pk) designated pairs


def _load(version: PolicyVersion) -> VersionRules:
    ordered = Channel.objects.order_by("position", "id")
    rights = list(
        Right.objects.filter(version=version)
        .order_by("position", "id")
        .prefetch_related(Prefetch("channels", queryset=ordered))
    )
    channels = list(
        ordered.filter(version=version).prefetch_related(
            Prefetch("label_rules", queryset=LabelRule.objects.order_by("position", "id")),
            Prefetch("designated_for", queryset=Right.objects.only("pk")),
        )
    )
    first_right: dict[str, Right] = {}
    for right in rights:
        first_right.setdefault(right.kind, right)
    first_channel: dict[str, Channel] = {}
    for channel in channels:
        first_channel.setdefault(channel.kind, channel)
    label_rules: dict[tuple[int, int], list[LabelRule]] = {}
    designated: set[tuple[int, int]] = set()
    for channel in channels:
        for rule in channel.label_rules.all():
            label_rules.setdefault((channel.pk, rule.right_id), []).append(rule)
        designated.update((channel.pk, right.pk) for right in channel.designated_for.all())
    return VersionRules(
        kinds=tuple(right.kind for right in rights),
        rights=first_right,
        channels=first_channel,
        right_channels={right.pk: tuple(right.channels.all()) for right in rights},
        label_rules={key: tuple(found) for key, found in label_rules.items()},
        designated=frozenset(designated),
    )


_CACHE: dict[tuple[Any, ...], VersionRules] = {}
_CACHE_LIMIT = 256
_LOCK = threading.Lock()


def _forget(**_kwargs: Any) -> None:
    """A version was saved or deleted: drop everything kept (a new row may reuse a freed pk)."""
    with _LOCK:
        _CACHE.clear()


post_save.connect(_forget, sender=PolicyVersion, dispatch_uid="requests_channel_rules_forget")
post_delete.connect(_forget, sender=PolicyVersion, dispatch_uid="requests_channel_rules_forget")


def rules_for(version: PolicyVersion) -> VersionRules:
    """The version's rights and channels: kept per process once it is published (never again
    changed), read afresh while it is a draft."""
    if version.status == PolicyVersionStatus.DRAFT or version.in_force_from is None:
        return _load(version)
    key = (version.pk, version.in_force_from, version.content_hash)
    found = _CACHE.get(key)
    if found is None:
        found = _load(version)
        with _LOCK:
            if len(_CACHE) >= _CACHE_LIMIT:
                _CACHE.clear()
            _CACHE[key] = found
    return found


def _label(choices: type[TextChoices], value: str) -> Any:
    """What ``get_<field>_display`` says, without hashing every label of the choices first."""
    try:
        return choices(value).label
    except ValueError:
        return value


@functools.lru_cache(maxsize=256)
def _channel_names(kinds: frozenset[str], language: str | None) -> str:
    """The channels' names, sorted, in ``language`` (the active one, part of the cache's key):
    the flag of every request sent through a channel the policy does not offer (every API
    creation) names them, and translating the lazy labels each time was two percent of it."""
    return ", ".join(sorted({str(_label(ChannelKind, kind)) for kind in kinds}))


def _has_words(words: str, text: str) -> bool:
    return " ".join(words.split()).casefold() in " ".join(text.split()).casefold()


def label_present(placement: str, words: str, *, subject_line: str, message: str) -> bool:
    """Whether the label appears where the policy demands it (case and spacing ignored)."""
    if placement == LabelPlacement.SUBJECT:
        return _has_words(words, subject_line)
    if placement == LabelPlacement.LETTER:
        return _has_words(words, message)
    return _has_words(words, subject_line) or _has_words(words, message)


def web_form_offered(version: PolicyVersion, channel_kind: str) -> bool:
    """Whether ``channel_kind`` is dsar's public form and the organization has it switched on
    (``Organization.web_form_enabled``): the form is then a channel the organization offers for
    every right its policy promises, whether or not the policy names a web form.

    The version's organization is the one the caller holds (the form's read, or the reverse
    relation ``request_log`` reads the version through): no query."""
    return channel_kind == ChannelKind.WEB_FORM and version.organization.web_form_enabled


def assess(
    *,
    version: PolicyVersion,
    right_kind: str,
    channel_kind: str,
    subject_line: str,
    message: str,
) -> Assessment:
    """Check a request's right, channel and labels against the policy version it is bound to.

    ``channel`` is the policy's channel of that kind the request came through, preferring one
    offered for the right; None when the policy has no channel of that kind at all.

    dsar's public form, switched on for the organization (``web_form_offered``), is a channel
    the organization offers: a request through it is not flagged as sent through a channel
    the policy does not offer, so the policy's promise covers it. It is designated (Cal. Civ.
    Code §1798.83's 30 days) only where the policy offers and designates a web form for the
    right, with any label the policy demands there.
    """
    rules = rules_for(version)
    right = rules.rights.get(right_kind)
    any_of_kind = rules.channels.get(channel_kind)
    if right is None:
        result = Assessment(right=None, channel=any_of_kind, designated=False)
        result.flag(
            Flag.RIGHT_NOT_PROMISED,
            _("The policy does not promise %(right)s; the law still decides the deadline.")
            % {"right": _label(RightKind, right_kind)},
        )
        return result
    offered_on = rules.right_channels[right.pk]
    channel = next((c for c in offered_on if c.kind == channel_kind), None)
    result = Assessment(right=right, channel=channel or any_of_kind, designated=False)
    if channel is None and web_form_offered(version, channel_kind):
        # Offered by the organization, not by the policy: nothing to flag, and nothing the
        # policy designates (a 1798.83 request through it is "received otherwise").
        return result
    if channel is None:
        offered = _channel_names(frozenset(c.kind for c in offered_on), get_language())
        result.flag(
            Flag.CHANNEL_NOT_OFFERED,
            _("The policy offers %(right)s through %(offered)s, not this channel.")
            % {"right": _label(RightKind, right.kind), "offered": offered or _("no channel")},
        )
        return result
    labelled = True
    for rule in rules.label_rules.get((channel.pk, right.pk), ()):
        if not label_present(rule.where, rule.words, subject_line=subject_line, message=message):
            labelled = False
            result.flag(
                Flag.LABEL_MISSING,
                _('The policy requires "%(words)s" (%(where)s).')
                % {"words": rule.words, "where": _label(LabelPlacement, rule.where)},
            )
    result.designated = labelled and (channel.pk, right.pk) in rules.designated
    return result
