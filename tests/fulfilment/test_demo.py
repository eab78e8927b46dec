"""make demo's register: drawn from each seed policy, with tasks in several states."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from dsar.fulfilment.models import Recipient, RegisterChange, System, Task, TaskState
from dsar.policies.models import DataCategory, PolicyVersion

pytestmark = pytest.mark.django_db


def test_demo_setup_gives_every_seed_organization_a_register_and_tasks(
    db: None, monkeypatch: Any
) -> None:
    monkeypatch.setenv("DEMO_PASSWORD", "demo-password-for-tests")
    with time_machine.travel(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC), tick=False):
        call_command("demo_setup", force=True, stdout=io.StringIO())
        counts = System.objects.count(), Recipient.objects.count(), Task.objects.count()
        call_command("demo_setup", force=True, stdout=io.StringIO())

    assert (System.objects.count(), Recipient.objects.count(), Task.objects.count()) == counts
    slugs = set(System.objects.values_list("organization__slug", flat=True))
    assert slugs == {"img", "imgwg", "imt", "ims-consulting", "imservicecenter"}
    # Every category of a system is one its organization's policy names, word for word.
    for system in System.objects.select_related("organization"):
        named = set(
            DataCategory.objects.filter(
                version=PolicyVersion.objects.in_force_for(system.organization)
            ).values_list("name", flat=True)
        )
        assert set(system.category_list) <= named, system.name
    assert (
        Recipient.objects.filter(organization__slug="img", name="Zoho CRM").get().systems.get().name
        == "Zoho CRM"
    )
    store = System.objects.get(name="WooCommerce store")
    assert (store.connector, store.dsn_env) == ("postgresql", "DSAR_DEMO_SHOP_DB_URL")
    states = set(Task.objects.values_list("state", flat=True))
    assert states == set(TaskState.values)
    assert RegisterChange.objects.filter(action="created").count() == counts[0] + counts[1]
