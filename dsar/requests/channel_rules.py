"""What the policy says about how a request arrived: right promised, channel offered, label given.

A request that breaks a rule is accepted and flagged, never dropped; for 1798.83 a request that did
not come through a designated channel with the label the policy demands counts as "received
otherwise" and gets the statute's outer limit of 150 days (legal-rules.md, "Labels and designated
channels").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from dsar.policies.models import Channel, LabelPlacement, PolicyVersion, Right, RightKind
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


def _has_words(words: str, text: str) -> bool:
    return " ".join(words.split()).casefold() in " ".join(text.split()).casefold()


def label_present(placement: str, words: str, *, subject_line: str, message: str) -> bool:
    """Whether the label appears where the policy demands it (case and spacing ignored)."""
    if placement == LabelPlacement.SUBJECT:
        return _has_words(words, subject_line)
    if placement == LabelPlacement.LETTER:
        return _has_words(words, message)
    return _has_words(words, subject_line) or _has_words(words, message)


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
    """
    right = version.rights.filter(kind=right_kind).first()
    any_of_kind = version.channels.filter(kind=channel_kind).first()
    if right is None:
        result = Assessment(right=None, channel=any_of_kind, designated=False)
        result.flag(
            Flag.RIGHT_NOT_PROMISED,
            _("The policy does not promise %(right)s; the law still decides the deadline.")
            % {"right": RightKind(right_kind).label},
        )
        return result
    channel = right.channels.filter(kind=channel_kind).first()
    result = Assessment(right=right, channel=channel or any_of_kind, designated=False)
    if channel is None:
        offered = ", ".join(sorted({str(c.get_kind_display()) for c in right.channels.all()}))
        result.flag(
            Flag.CHANNEL_NOT_OFFERED,
            _("The policy offers %(right)s through %(offered)s, not this channel.")
            % {"right": right.get_kind_display(), "offered": offered or _("no channel")},
        )
        return result
    labelled = True
    for rule in channel.label_rules.filter(right=right):
        if not label_present(rule.where, rule.words, subject_line=subject_line, message=message):
            labelled = False
            result.flag(
                Flag.LABEL_MISSING,
                _('The policy requires "%(words)s" (%(where)s).')
                % {"words": rule.words, "where": rule.get_where_display()},
            )
    result.designated = labelled and channel.designated_for.filter(pk=right.pk).exists()
    return result
