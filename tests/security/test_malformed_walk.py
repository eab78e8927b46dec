"""Every URL, fed malformed input, answers 2xx, 3xx or 4xx: never a 5xx (issue 18).

The walk takes every pattern from the resolver (the admin's included), fills its path
parameters with real objects of IMG (a confirmed public request with its status link, a letter,
a data package, a released file, an API key, a paired DRP agent, a policy version, the first row
of every admin's model) and with malformed values (a NUL, a huge integer, a long string), then
sends each address malformed query strings and bodies: as nobody (the public), as IMG's privacy
officer, as a superuser where the officer is refused (the admin's task and key lists), with a
valid API key on /api/, and as a paired DRP agent on /drp/.

Each URL gets a sample of the variants (rotated by its position, so that every variant reaches
pages of every kind) rather than their cross-product, which keeps the walk under two minutes on
PostgreSQL. Every request runs in a savepoint rolled back afterwards: nothing one request does
(a deletion, a logout, a throttle count) changes what the next one sees. Every failure is
collected and reported together, with the exception each one raised.

Run it on PostgreSQL (DATABASE_URL): that is where a NUL in a string or an integer beyond 64
bits is refused by the database, where SQLite would quietly accept it (docs/security.md).
"""

from __future__ import annotations

import base64
import functools
import json
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from dsar.api.keys import api_key_create
from dsar.drp.models import Agent, Business, DrpRequest
from dsar.intake.services import release_file
from dsar.letters import tokens as letter_tokens
from dsar.letters.services import data_item_add, letter_issue, package_build, package_release
from dsar.organizations.models import Organization, Role
from dsar.requests.models import PrivacyRequest
from tests.conftest import deliver_outbox
from tests.drp.conftest import AgentClient
from tests.intake.conftest import PDF, link_in
from tests.workspace.conftest import make_member

pytestmark = pytest.mark.django_db

NUL = "\x00"
HUGE = "99999999999999999999"  # beyond a 64-bit integer
LONG = "x" * 5000
UNICODE = "\u00e9\U0001f600\u202e\ufeff\u0301"

#: Query parameters our views, the admin, its list filters and the API read.
PARAMS = [
    "page", "p", "o", "q", "s", "e", "all", "id", "pk", "id__in", "organization", "status",
    "right", "kind", "year", "scope", "table", "format", "corrects", "cover_letter", "action",
    "deadline", "assignee", "gpc", "opt_out", "appeal", "sent", "overdue", "due_before", "next",
    "term", "app_label", "model_name", "field_name", "_to_field", "_popup", "_changelist_filters",
    "language", "cursor", "page_size", "limit", "offset", "ordering", "h", "r", "received_at",
]  # fmt: skip

#: Malformed query strings, already encoded (a NUL as %00, as a browser or a script sends it).
QUERIES: list[str] = [
    "page=abc&o=zz&organization=%00&q=%00&p=-1&all=&id__in=x",
    "&".join(f"{name}=%00" for name in PARAMS),
    "&".join(f"{name}={HUGE}" for name in PARAMS),
    "&".join(f"{name}=abc" for name in PARAMS),
    "due_before=2026-13-45&due_after=2026-02-30&received_at=%00&year=-1&date=abc&overdue=maybe",
    "&".join(f"{name}=%F0%9F%98%80%E2%80%AE%FF%FE" for name in PARAMS),  # unicode, bad UTF-8
    "&".join(f"{name}={LONG}" for name in PARAMS[:12]),
    "&".join(f"{name}=1&{name}=x&{name}=%00" for name in PARAMS[:20]),  # repeated keys
]

DEEP_JSON = "[" * 50_000 + "]" * 50_000


@dataclass
class Body:
    """A malformed POST body: form fields (given the form's own field names), or raw bytes."""

    name: str
    make: Callable[[list[str]], dict[str, Any]]


def _fields(value: str) -> Callable[[list[str]], dict[str, Any]]:
    return lambda names: {"data": {name: value for name in names}}


BODIES: list[Body] = [
    Body("empty", lambda names: {}),
    Body("NUL in every field", _fields(NUL)),
    Body("non-numeric in every field", _fields("abc")),
    Body("huge integer in every field", _fields(HUGE)),
    Body("unicode and bad dates", _fields(f"2026-13-45 {UNICODE}")),
    Body("repeated keys", lambda names: {"data": {n: ["1", "x", NUL] for n in names}}),
    Body(
        "wrong content type",
        lambda names: {"data": b"\x00\xff\xfe<xml>", "content_type": "application/xml"},
    ),
    Body("invalid JSON", lambda names: {"data": "{not json", "content_type": "application/json"}),
    Body("deep JSON", lambda names: {"data": DEEP_JSON, "content_type": "application/json"}),
    Body(
        "JSON with NUL and huge numbers",
        lambda names: {
            "data": json.dumps({n: [NUL, 10**20, {"a": NUL}] for n in names}),
            "content_type": "application/json",
        },
    ),
]


class _FieldNames(HTMLParser):
    """The names of a page's form fields (input, select, textarea, button)."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"input", "select", "textarea", "button"}:
            name = dict(attrs).get("name")
            if name and name != "csrfmiddlewaretoken":
                self.names.add(name)


def field_names(html: bytes) -> list[str]:
    parser = _FieldNames()
    parser.feed(html.decode("utf-8", "replace"))
    return sorted(parser.names)


# --- the routes ---------------------------------------------------------------------------------


@dataclass
class Route:
    """A URL pattern: the chain of patterns from the root, its callback and its admin."""

    pattern: str
    callback: Any
    params: list[tuple[str, str]] = field(default_factory=list)  # (name, converter)

    @property
    def model_admin(self) -> Any:
        return getattr(self.callback, "model_admin", None)

    def fill(self, values: dict[str, str]) -> str:
        """The path with each parameter replaced by ``values[name]``."""

        def typed(match: re.Match[str]) -> str:
            return values[match.group("name")]

        # Regular expressions' named groups first: "(?P<url>.*)" holds "<url>" too.
        path = re.sub(r"\(\?P<(?P<name>\w+)>[^()]*(?:\([^()]*\)[^()]*)*\)", typed, self.pattern)
        path = re.sub(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>", typed, path)
        # Optional unnamed groups ("inbound(_mime)?/", django-anymail's) are left out.
        path = re.sub(r"\((?!\?P<)[^()]*\)\?", "", path)
        path = path.replace("^", "").replace("$", "").replace("\\.", ".").replace(".*", "")
        return "/" + path.replace("/?", "/")


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            params = re.findall(r"(?<!\?P)<(?:(\w+):)?(\w+)>", route)
            params += [("re", name) for name in re.findall(r"\(\?P<(\w+)>", route)]
            yield Route(route, pattern.callback, [(name, conv or "str") for conv, name in params])


def routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


# --- the world ----------------------------------------------------------------------------------


@dataclass
class World:
    img: Organization
    officer: User
    root: User
    request: PrivacyRequest
    letter: Any
    package: Any
    package_url: str
    status_token: str
    status_key: str
    confirm: tuple[str, str]
    download_token: str
    api_key: str
    agent: AgentClient
    drp_request: DrpRequest
    authorization_pk: int


@pytest.fixture
def world(
    img: Organization, submit: Any, client: Client, django_capture_on_commit_callbacks: Any
) -> World:
    """IMG with a confirmed Californian's access request (status link, released file, letter,
    data package), another request awaiting confirmation, an API key and a paired DRP agent."""
    submit(img, residence="US-CA")
    # A link is exchanged for the session, then confirmed on its token-free page, which leads to
    # the status page's token-free address; the status link's token is in the email.
    landing = client.get(link_in(mail.outbox[-1], "confirm"))["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(landing)
    deliver_outbox()
    status_path = confirmed["Location"].removeprefix("http://testserver")
    status_key = status_path.rstrip("/").rsplit("/", 1)[-1]
    status_token = link_in(mail.outbox[-1], "status").rstrip("/").rsplit("/", 1)[-1]
    request = PrivacyRequest.objects.get(organization=img)
    submit(img, email="eve@example.org", residence="FR")
    uidb64, confirm_token = link_in(mail.outbox[-1], "confirm").rstrip("/").split("/")[-2:]
    with django_capture_on_commit_callbacks(execute=True):
        release_file(
            request=request,
            title="Our answer",
            filename="answer.pdf",
            content=PDF,
            content_type="application/pdf",
            link_for=lambda path: "https://dsar.example.org" + path,
        )
    found = re.search(rf'href="/o/{img.slug}/download/([^"/]+)/"', client.get(status_path).text)
    assert found, "no download link on the status page"
    data_item_add(
        request=request,
        actor=None,
        system="CRM",
        category="Contact Data",
        records=[{"email": "dana@example.org"}],
    )
    letter = letter_issue(request=request, kind="access", actor=None)
    package = package_build(request=request, cover_letter=letter, actor=None)
    package_url = package_release(package=package, actor=None, send_email=False)
    officer = make_member("olivia", img, Role.PRIVACY_OFFICER)
    root = User.objects.create_superuser("root", "root@example.org", None)
    _row, api_key = api_key_create(organization=img, name="crm-sync", scope="write")
    business = Business.objects.create(organization=img, business_id="IMG")
    agent = AgentClient(Client(), "PERMISSION_SLIP")
    Agent.objects.create(
        agent_id=agent.agent_id, name="Permission Slip", verify_key=agent.verify_key
    )
    assert agent.pair(business.business_id).status_code == 200
    assert agent.exercise(business.business_id).status_code == 200
    from dsar.intake.models import IntakeSubmission

    return World(
        img=img,
        officer=officer,
        root=root,
        request=request,
        letter=letter,
        package=package,
        package_url=package_url,
        status_token=status_token,
        status_key=status_key,
        confirm=(uidb64, confirm_token),
        download_token=found.group(1),
        api_key=api_key,
        agent=agent,
        drp_request=DrpRequest.objects.get(),
        authorization_pk=IntakeSubmission.objects.filter(request=request).get().pk,
    )


def real_values(route: Route, world: World) -> dict[str, str]:
    """Each path parameter of ``route`` filled with a real object of IMG."""
    pattern = route.pattern
    # The admin's model: its model admin's, or for a view of our own, the one in its address.
    model_admin = route.model_admin
    model = getattr(model_admin, "model", None)
    parts = pattern.split("/")
    if model is None and pattern.startswith("staff/") and len(parts) > 3:
        model = apps.all_models.get(parts[1], {}).get(parts[2])
    obj_pk = str(world.request.pk)  # the object of /staff/r/<content type>/<id>/
    if model is not None:
        rows = model._default_manager.order_by("pk")
        if any(f.name == "organization" for f in model._meta.get_fields()):
            rows = rows.filter(organization=world.img)
        first = rows.first()
        obj_pk = str(first.pk) if first else "1"
    pk = str(world.letter.pk)
    if "packages" in pattern or "data-packages" in pattern:
        pk = str(world.package.pk)
    elif "authorizations" in pattern:
        pk = str(world.authorization_pk)
    elif "policy-versions" in pattern:
        pk = str(world.request.policy_version_id)
    elif "privacyrequest" in pattern:
        pk = str(world.request.pk)
    token = world.status_token
    if pattern.startswith("o/") and "download" in pattern:
        token = world.download_token
    elif pattern.startswith("letters/r/"):
        token = letter_tokens.letter_token(world.letter)
    elif pattern.startswith("letters/p/"):
        token = world.package_url.rstrip("/").rsplit("/", 1)[-1]
    elif "confirm" in pattern:
        token = world.confirm[1]
    return {
        "slug": world.img.slug,
        "kind": "acknowledgement",
        "action": "start",
        "request_pk": str(world.request.pk),
        "pk": pk,
        "object_id": obj_pk,
        "id": str(world.officer.pk),
        "content_type_id": str(ContentType.objects.get_for_model(PrivacyRequest).pk),
        "uidb64": world.confirm[0],
        "token": token,
        "key": world.status_key,
        "organization_id": str(world.img.pk),
        "what": "systems",
        "reference": world.request.reference,
        "year": "2026",
        "agent_id": world.agent.agent_id,
        "request_id": str(world.drp_request.public_id),
        "app_label": "requests",
        "url": "nothing-here/",
        "format": "json",
        "name": "no-such-email.eml",  # the demo mailbox's email (off in tests: 404)
    }


def malformed_values(route: Route, world: World, variant: int) -> dict[str, str] | None:
    """Each parameter filled with something malformed its converter still lets through."""
    values = real_values(route, world)
    changed = False
    for name, conv in route.params:
        if conv == "int" or (conv == "re" and name == "year"):
            values[name] = [HUGE, "0"][variant % 2]
            changed = True
        elif conv == "uuid":
            values[name] = str(uuid.uuid4())  # well formed, names nothing
            changed = True
        elif conv in {"str", "path"} or (conv == "re" and name in {"pk", "slug", "reference"}):
            values[name] = ["%00", "-1", HUGE, "%F0%9F%98%80%FF" + LONG[:300]][variant % 4]
            if name == "reference":
                values[name] = [HUGE, "0-0", "A" * 300][variant % 3]
            changed = True
    return values if changed else None


# --- the walk -----------------------------------------------------------------------------------

#: Pages whose code is Django's own and the same for every model (an object's history, its
#: deletion, the redirect to its change page), and pages that render a PDF or a ZIP (seconds
#: each): one query string and one body each, rotated, is enough.
LIGHT = re.compile(
    r"^staff/.*(/history/|/delete/|<path:object_id>/$|\(\?P<url>)"
    r"|evidence-pack|/pdf/$|/zip/$|^api/(schema|docs)/"
)


def drp_signed_bodies(agent: AgentClient, business_id: str) -> list[str]:
    """Messages signed with the agent's real key whose content is malformed: the signature
    holds, so the claims themselves are checked."""
    envelope = agent.envelope(business_id)
    claims: list[Any] = [
        {**envelope, "exercise": "access", "regime": "ccpa", "name": NUL, "email": f"a{NUL}@b"},
        {**envelope, "exercise": ["access"], "regime": 10**20, "relationships": "customer"},
        {**envelope, "issued-at": "2026-13-45T99:99", "expires-at": 10**20, "exercise": "deletion"},
        {**envelope, "business-id": NUL, "agent-id": 10**20},
        {**envelope, "exercise": "access", "regime": "ccpa", "email": "x" * 5000, "name": UNICODE},
        ["not", "an", "object"],
        "a string",
    ]
    signed = [agent.sign(claim) for claim in claims]
    raw = agent.key.sign(b"\xff\xfe not UTF-8 \x00")
    return [*signed, base64.b64encode(bytes(raw)).decode(), "%%% not base64 %%%"]


@dataclass
class Walk:
    failures: list[str] = field(default_factory=list)
    count: int = 0

    def send(
        self,
        client: Client,
        method: str,
        path: str,
        label: str,
        *,
        problem: bool = False,
        **kw: Any,
    ) -> Any:
        """One request in a savepoint rolled back after it. A 5xx is noted with its cause; so is
        an API error that is not a problem document (``problem``)."""
        self.count += 1
        savepoint = transaction.savepoint()
        try:
            response = getattr(client, method)(path, **kw)
        finally:
            transaction.savepoint_rollback(savepoint)
        if response.streaming:  # read to the end: the client then closes it without a signal
            b"".join(response.streaming_content)
        status = response.status_code
        where = f"{status} {method.upper()} {path[:160]} [{label}]"
        if status >= 500:
            exc = getattr(response, "exc_info", None)
            cause = f"{exc[0].__name__}: {str(exc[1])[:160]}" if exc else ""
            self.failures.append(f"{where} {cause}")
        elif problem and status >= 400 and response["Content-Type"] != "application/problem+json":
            self.failures.append(f"{where} not a problem document: {response['Content-Type']}")
        return response


@dataclass
class Persona:
    name: str
    client: Client
    headers: dict[str, str] = field(default_factory=dict)
    #: Refused at once (sent to the login page, or a 401): one request tells that it is.
    refused: bool = False
    page: Any = None  # the page as already fetched


def _logged_in(user: User) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def personas_for(route: Route, world: World, walk: Walk, real: str) -> list[Persona]:
    anonymous = Client(raise_request_exception=False)
    if route.pattern.startswith("api/"):
        key = {"HTTP_AUTHORIZATION": f"Bearer {world.api_key}"}
        return [Persona("anonymous", anonymous, refused=True), Persona("API key", anonymous, key)]
    if route.pattern.startswith("drp/"):
        token = {"HTTP_AUTHORIZATION": f"Bearer {world.agent.token}"}
        return [
            Persona("anonymous", anonymous, refused=True),
            Persona("DRP agent", anonymous, token),
        ]
    officer = Persona("officer", _logged_in(world.officer))
    if not route.pattern.startswith("staff/"):
        return [Persona("anonymous", anonymous), officer]
    # The admin sends nobody to its login page; the superuser sees what the officer may not.
    found = [Persona("anonymous", anonymous, refused="login" not in route.pattern), officer]
    officer.page = walk.send(officer.client, "get", real, "officer")
    if officer.page.status_code in {302, 403}:
        found.append(Persona("superuser", _logged_in(world.root)))
    return found


def walk_route(walk: Walk, route: Route, index: int, world: World) -> None:
    """The route's real address with malformed query strings and bodies, then its address with
    malformed parameters, as each persona that can reach it."""
    real = route.fill(real_values(route, world))
    view = resolve(real).func
    if view is not route.callback and getattr(view, "__wrapped__", view) is not getattr(
        route.callback, "__wrapped__", None
    ):
        walk.failures.append(f"{real} does not reach the view of {route.pattern}")
    light = bool(LIGHT.search(route.pattern))
    admin = route.pattern.startswith("staff/")
    changelist = admin and route.model_admin is not None and route.pattern.count("/") == 3
    queries = [QUERIES[(index + 3 * k) % len(QUERIES)] for k in range(1 if light else 2)]
    if admin and not changelist:  # add and change pages: their bodies matter more
        queries = queries[:1]
    bodies = [BODIES[(index + 5 * k) % len(BODIES)] for k in range(1 if light else 2)]
    if light and admin and "/delete/" not in route.pattern:
        bodies = []  # history and redirects: the same view answers any method
    broken = malformed_values(route, world, index)
    for persona in personas_for(route, world, walk, real):
        send = functools.partial(walk.send, persona.client, problem=persona.name == "API key")
        who, headers = persona.name, persona.headers
        if persona.refused:
            send("get", f"{real}?{queries[0]}", who, **headers)
            if not admin:
                send(
                    "post",
                    real,
                    f"{who}, {BODIES[index % 3].name}",
                    **BODIES[index % 3].make(PARAMS),
                    **headers,
                )
            continue
        page = persona.page or send("get", real, who, **headers)
        html = not page.streaming and "html" in page.get("Content-Type", "")
        names = sorted({*(field_names(page.content) if html else []), *PARAMS[:12]})
        for query in queries:
            response = send("get", f"{real}?{query}", who, **headers)
            location = response.get("Location", "")
            if response.status_code == 302 and location.startswith(real + "?"):
                send("get", location, f"{who}, redirected", **headers)  # ?e=1, a search token
        for body in bodies:
            send("post", real, f"{who}, {body.name}", **body.make(names), **headers)
        if broken is not None:
            path = route.fill(broken)
            send("get", path, f"{who}, malformed path", **headers)
            if not light and not admin:
                send("post", path, f"{who}, malformed path", **BODIES[1].make(names), **headers)


def test_no_url_answers_a_server_error_to_malformed_input(world: World, settings: Any) -> None:
    settings.DSAR_API_RATE_LIMIT = 1_000_000
    walk = Walk()
    for index, route in enumerate(routes()):
        walk_route(walk, route, index, world)
    # A paired agent's real signature over malformed claims, and a DELETE with a bad body.
    drp = {"HTTP_AUTHORIZATION": f"Bearer {world.agent.token}"}
    agent_client = Client(raise_request_exception=False)
    for body in drp_signed_bodies(world.agent, "IMG"):
        for path in ["/drp/v1/data-rights-request", f"/drp/v1/agent/{world.agent.agent_id}"]:
            walk.send(
                agent_client, "post", path, "DRP agent, signed", data=body,
                content_type="text/plain", **drp,
            )  # fmt: skip
    walk.send(
        agent_client, "delete", f"/drp/v1/data-rights-request/{world.drp_request.public_id}",
        "DRP agent", data=DEEP_JSON, content_type="text/plain", **drp,
    )  # fmt: skip

    assert walk.count > 1500, f"only {walk.count} requests: the walk found too few URLs"
    assert not walk.failures, f"{len(walk.failures)} server errors:\n" + "\n".join(walk.failures)
