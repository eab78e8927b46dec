"""Every endpoint refuses another organization's key: a walk over the whole generated schema.

Each path and method of the OpenAPI schema is called with iMT's write key, its parameters
naming IMG's objects (a request, its letter and its data package, IMG's policy version, IMG's
slug). A path that names an object answers 404 (never 200, never 403, which would tell that the
object exists); a collection answers with iMT's own rows only, and nothing in any answer names
IMG's request or requester.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

# A body valid enough to pass the serializers of a creation, for the collection POST.
CREATE = {"right_kind": "access", "requester_name": "Iva Other", "requester_email": "iva@x.org"}


def operations() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (path, method.upper())
        for path, item in schema["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]


@pytest.fixture
def img_world_with_work(img_world: dict[str, Any]) -> dict[str, Any]:
    """IMG's world, plus a task of its request and a message to its requester."""
    from dsar.correspondence.services import message_send
    from dsar.fulfilment.models import System
    from dsar.fulfilment.tasks import tasks_create

    request = img_world["request"]
    System.objects.create(
        organization=request.organization, name="IMG Ledger", rights=["portability"]
    )
    (task,) = tasks_create(request=request)
    message = message_send(request=request, actor=None, body="Your export is on its way, Pat.")
    return {**img_world, "task": task, "message": message}


def test_the_walk_covers_every_documented_operation() -> None:
    found = operations()
    assert len(found) >= 30
    assert ("/api/v1/requests/{reference}/deny/", "POST") in found
    assert ("/api/v1/data-packages/{id}/zip/", "GET") in found
    assert ("/api/v1/requests/{reference}/messages/", "POST") in found
    assert ("/api/v1/tasks/{id}/complete/", "POST") in found


def test_every_endpoint_refuses_another_organizations_key(
    api: Any, img_world_with_work: dict[str, Any], imt_key: str
) -> None:
    world = img_world_with_work
    request, letter, package = world["request"], world["letter"], world["package"]
    values = {
        "reference": request.reference,
        "slug": request.organization.slug,
        "year": "2026",
    }
    ids = {
        "letters": letter.pk,
        "data-packages": package.pk,
        "policy-versions": request.policy_version_id,
        "tasks": world["task"].pk,
    }
    secrets = [
        request.reference,
        request.requester_email,
        letter.sha256,
        package.sha256,
        world["message"].body_text,
        "IMG Ledger",
    ]
    walked = 0
    for path, method in operations():
        collection = path.split("/")[3]
        url = re.sub(
            r"\{(\w+)\}",
            lambda m, collection=collection: str(
                ids[collection] if m.group(1) == "id" else values[m.group(1)]
            ),
            path,
        )
        body = CREATE if (path, method) == ("/api/v1/requests/", "POST") else {}
        response = api(method, url, imt_key, body if method == "POST" else None)
        walked += 1
        text = response.content.decode(errors="replace")
        for secret in secrets:
            assert secret not in text, (method, url, response.status_code)
        if "{" in path:
            assert response.status_code == 404, (method, url, response.status_code, text)
            assert response["Content-Type"] == "application/problem+json"
        else:
            assert response.status_code in (200, 201), (method, url, text)
            payload = json.loads(text)
            rows = payload.get("results", payload) if isinstance(payload, dict) else payload
            rows = rows if isinstance(rows, list) else [rows]
            for row in rows:
                assert row.get("organization", "imt") == "imt", (method, url, row)
                if collection == "organizations":
                    assert row["slug"] == "imt"
    assert walked >= 30
    # Nothing was done to IMG's task or message by the walk's POSTs.
    world["task"].refresh_from_db()
    assert world["task"].state == "open"
    assert request.messages.count() == 1


def test_a_filter_on_another_organization_finds_nothing(
    api: Any, img_world: dict[str, Any], imt_key: str
) -> None:
    response = api("GET", "/api/v1/requests/?organization=img", imt_key)
    assert response.status_code == 200
    assert response.json()["results"] == []
