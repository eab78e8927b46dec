"""Every example of docs/api.md runs, in order, as one story, and answers as the page says.

A ```` ```http ```` block that starts with a method is a request; the next one, starting with
``HTTP/1.1``, is its answer: its status, every header it shows and every field of its body
(``"…"`` matches anything; lists must have the length shown) must match.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
BLOCK = re.compile(r"^```http\n(.*?)^```", re.M | re.S)


@dataclass
class Example:
    method: str
    path: str
    headers: dict[str, str]
    body: str
    status: int
    answer_headers: dict[str, str]
    answer: Any

    def __str__(self) -> str:
        return f"{self.method} {self.path} -> {self.status}"


def _split(block: str) -> tuple[str, dict[str, str], str]:
    head, _, body = block.partition("\n\n")
    first, *lines = head.splitlines()
    headers = dict(line.split(": ", 1) for line in lines)
    return first, headers, body.strip()


def examples() -> list[Example]:
    blocks = BLOCK.findall(DOC.read_text(encoding="utf-8"))
    found = []
    for request, answer in zip(blocks[::2], blocks[1::2], strict=True):
        first, headers, body = _split(request)
        method, path = first.split()
        status_line, answer_headers, answer_body = _split(answer)
        assert status_line.startswith("HTTP/1.1 "), status_line
        found.append(
            Example(
                method,
                path,
                headers,
                body,
                int(status_line.split()[1]),
                answer_headers,
                json.loads(answer_body) if answer_body else None,
            )
        )
    return found


def matches(expected: Any, actual: Any, where: str = "") -> None:
    if expected == "…":
        return
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{where}.{key} missing from {actual!r}"
            matches(value, actual[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{where}: {actual!r}"
        for n, (want, got) in enumerate(zip(expected, actual, strict=True)):
            matches(want, got, f"{where}[{n}]")
    else:
        assert expected == actual, f"{where}: {expected!r} != {actual!r}"


def test_the_page_has_examples() -> None:
    assert len(examples()) >= 10


def test_every_example_runs_as_documented(client, img_key, img_reader, imt_key, log_request):
    # iMT has a request of its own: IMG's key must not find it.
    from dsar.requests import services
    from tests.workspace.conftest import NOW

    services.request_log(
        organization=imt_key.row.organization,
        right_kind="access",
        channel_kind="email",
        received_at=NOW,
        requester_name="Ina Other",
        requester_email="ina@example.com",
        jurisdiction="US-FL",
    )
    # IMG's register: one system, for erasure requests (the access request's story has none).
    from dsar.fulfilment.models import System

    System.objects.create(
        organization=img_key.row.organization, name="Zoho CRM", rights=["erasure"]
    )
    values = {"$READ_KEY": str(img_reader), "$KEY": str(img_key), "$REF": "", "$TASK": ""}
    for example in examples():

        def fill(text: str) -> str:
            for name, value in values.items():
                text = text.replace(name, value)
            return text

        extra = {
            f"HTTP_{name.upper().replace('-', '_')}": fill(value)
            for name, value in example.headers.items()
            if name != "Content-Type"
        }
        kwargs: dict[str, Any] = {}
        if example.body:
            kwargs = {"data": fill(example.body), "content_type": "application/json"}
        response = getattr(client, example.method.lower())(fill(example.path), **kwargs, **extra)
        assert response.status_code == example.status, (str(example), response.content)
        for name, value in example.answer_headers.items():
            got = response.headers.get(name, "")
            assert got.split(";")[0] == value, (str(example), name, got)
        body = response.json() if response.content else None
        if example.answer is not None:
            matches(example.answer, body, str(example))
        if response.status_code == 201 and not values["$REF"]:
            values["$REF"] = body["reference"]
        listed = body[0] if isinstance(body, list) and body else {}
        if not values["$TASK"] and str(listed.get("url", "")).startswith("/api/v1/tasks/"):
            values["$TASK"] = str(listed["id"])
