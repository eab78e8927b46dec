"""Fixtures of the fulfilment tests: IMG's seed policy, staff personas, systems, a verified
request, and a second PostgreSQL database standing in for a customer's system."""

from __future__ import annotations

import datetime
import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command

from dsar.fulfilment.models import System
from dsar.organizations.admin import sync_role_groups
from dsar.organizations.models import Membership, Organization, Role
from dsar.requests import services
from dsar.requests.models import PrivacyRequest

SEEDS = Path(__file__).resolve().parents[2] / "dsar" / "policies" / "seeds"
# A Thursday; the requests arrive two days before.
TODAY = datetime.datetime(2026, 3, 5, 15, 0, tzinfo=datetime.UTC)
RECEIVED = datetime.datetime(2026, 3, 3, 14, 0, tzinfo=datetime.UTC)
CUSTOMER_DB = "dsar_fulfil_customer"
CUSTOMER_ENV = "DSAR_TEST_CUSTOMER_DB_URL"


@pytest.fixture(autouse=True)
def private_root(settings: Any, tmp_path: Path) -> Path:
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.DSAR_SITE_URL = "https://dsar.example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings.PRIVATE_STORAGE_ROOT


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def img(db: None) -> Organization:
    with time_machine.travel(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC), tick=False):
        call_command("load_policy", str(SEEDS / "img.yaml"), stdout=io.StringIO())
    return Organization.objects.get(slug="img")


@pytest.fixture
def imt(db: None) -> Organization:
    with time_machine.travel(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC), tick=False):
        call_command("load_policy", str(SEEDS / "imt.yaml"), stdout=io.StringIO())
    return Organization.objects.get(slug="imt")


def staff(username: str, organization: Organization, role: Role) -> Any:
    user, made = get_user_model().objects.get_or_create(
        username=username, defaults={"is_staff": True}
    )
    if made:
        user.set_unusable_password()
        user.save()
    Membership.objects.get_or_create(user=user, organization=organization, defaults={"role": role})
    sync_role_groups(user)
    return user


@pytest.fixture
def make_system(img: Organization) -> Callable[..., System]:
    def make(name: str, **fields: Any) -> System:
        values: dict[str, Any] = {
            "organization": img,
            "rights": ["access", "erasure"],
            "data_categories": "Contact Data\nOrder history",
            "instructions": f"Look the person up in {name} by email.",
        }
        values.update(fields)
        system = System(name=name, **values)
        system.full_clean()
        system.save()
        return system

    return make


@pytest.fixture
def log_request(img: Organization) -> Callable[..., PrivacyRequest]:
    def log(right: str = "access", **fields: Any) -> PrivacyRequest:
        organization = fields.pop("organization", img)
        values: dict[str, Any] = {
            "right_kind": right,
            "channel_kind": "email",
            "received_at": RECEIVED,
            "requester_name": "Dana Ortiz",
            "requester_email": "dana@example.org",
            "jurisdiction": "DE",
        }
        values.update(fields)
        return services.request_log(organization=organization, **values)

    return log


def verify(request: PrivacyRequest, actor: Any) -> PrivacyRequest:
    return services.request_verify_identity(
        request=request, actor=actor, how="passport seen", method="document"
    )


# -- The customer's database -----------------------------------------------------------------------


def _server_url() -> str:
    """The PostgreSQL server of the test run, as a role that may create a database: CI runs the
    suite as the runtime role, which may not, and names a superuser in
    ``DSAR_TEST_ADMIN_DATABASE_URL``; else DATABASE_URL's, else the local one."""
    url = os.environ.get("DSAR_TEST_ADMIN_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgresql://postgres@127.0.0.1:5432/postgres"
    return url


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


@pytest.fixture(scope="session")
def customer_server() -> Iterator[str]:
    """A database of its own on the PostgreSQL server, standing in for a customer's shop; its
    URL. Skipped where no PostgreSQL server answers."""
    psycopg = pytest.importorskip("psycopg")
    admin_url = _with_database(_server_url(), "postgres")
    try:
        admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        pytest.skip("no PostgreSQL server for the customer database")
    with admin:
        admin.execute(f"DROP DATABASE IF EXISTS {CUSTOMER_DB} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {CUSTOMER_DB}")
    url = _with_database(_server_url(), CUSTOMER_DB)
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(
            "CREATE TABLE customers (id serial PRIMARY KEY, email text NOT NULL,"
            " name text NOT NULL, since date NOT NULL)"
        )
        connection.execute(
            "CREATE TABLE orders (id serial PRIMARY KEY, customer_id integer NOT NULL"
            " REFERENCES customers ON DELETE CASCADE, item text NOT NULL, total numeric(8, 2))"
        )
    yield url
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {CUSTOMER_DB} WITH (FORCE)")


def customer_query(url: str, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        cursor = connection.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


@pytest.fixture
def customer_db(customer_server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The customer database with three customers, Dana with two orders; its URL is in the
    environment variable the register names, as in production."""
    customer_query(customer_server, "TRUNCATE orders, customers RESTART IDENTITY")
    customer_query(
        customer_server,
        "INSERT INTO customers (email, name, since) VALUES"
        " ('dana@example.org', 'Dana Ortiz', '2021-04-01'),"
        " ('eve@example.org', 'Eve Smith', '2022-01-15'),"
        " ('frank@example.org', 'Frank Jones', '2023-06-30')",
    )
    customer_query(
        customer_server,
        "INSERT INTO orders (customer_id, item, total) VALUES"
        " (1, 'Phone case', 19.99), (1, '=HYPERLINK(\"http://evil\")', 5.00),"
        " (2, 'Charger', 25.00)",
    )
    monkeypatch.setenv(CUSTOMER_ENV, customer_server)
    return customer_server
