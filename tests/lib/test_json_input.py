"""``json_input.loads``: JSON a client sent is refused with a message, never a crash."""

from __future__ import annotations

import pytest

from dsar.lib import json_input
from dsar.lib.json_input import MAX_DEPTH, JSONInputError


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_ordinary_json_is_read() -> None:
    assert json_input.loads('[{"email": "dana@example.org", "tags": ["a"]}]') == [
        {"email": "dana@example.org", "tags": ["a"]}
    ]


def test_json_as_deep_as_the_limit_is_read() -> None:
    assert json_input.loads(nested(MAX_DEPTH)) is not None


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 100_000])
def test_deeper_json_is_refused_not_a_recursion_error(depth: int) -> None:
    with pytest.raises(JSONInputError, match=f"nested more than {MAX_DEPTH} levels"):
        json_input.loads(nested(depth))


@pytest.mark.parametrize("text", ['["a\\u0000b"]', '{"a\\u0000": 1}', '{"a": {"b": "\\u0000"}}'])
def test_a_nul_character_is_refused(text: str) -> None:
    with pytest.raises(JSONInputError, match="NUL"):
        json_input.loads(text)


@pytest.mark.parametrize("text", ["[1, 2", "", b"\xff\xfe", "1" * 5000])
def test_text_that_is_not_json_is_refused(text: str | bytes) -> None:
    with pytest.raises(JSONInputError, match="Not valid JSON"):
        json_input.loads(text)
