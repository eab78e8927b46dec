"""The staff pages: privacy officers manage their organization's subscriptions, every role reads
its deliveries, nobody sees another organization's, and a resend is a privacy officer's action,
written to the admin's log."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from dsar.organizations.models import Role
from dsar.webhooks import outbox
from dsar.webhooks.models import Delivery, OutboxStatus, Subscription
from tests.webhooks.conftest import load, member

pytestmark = pytest.mark.django_db


def test_a_privacy_officer_subscribes_and_sees_the_secret(client, olivia, img):
    client.force_login(olivia)
    add = reverse("admin:webhooks_subscription_add")

    refused = client.post(
        add,
        {"organization": img.pk, "url": "https://10.0.0.1/hook", "events": ["request.received"]},
    )
    assert refused.status_code == 200 and "not a public address" in refused.content.decode()

    response = client.post(
        add,
        {
            "organization": img.pk,
            "url": "https://hooks.example.org/dsar",
            "events": ["request.received", "request.closed"],
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    subscription = Subscription.objects.get()
    assert subscription.created_by == olivia and not subscription.include_personal_data
    assert subscription.secret.startswith("whsec_")
    page = client.get(reverse("admin:webhooks_subscription_change", args=[subscription.pk]))
    assert subscription.secret in page.content.decode()


def test_a_handler_reads_deliveries_but_not_subscriptions(client, alice, subscribe, log):
    subscribe()
    log()
    client.force_login(alice)
    assert client.get(reverse("admin:webhooks_subscription_changelist")).status_code == 403
    page = client.get(reverse("admin:webhooks_delivery_changelist"))
    assert page.status_code == 200
    assert Delivery.objects.get().message_id in page.content.decode()
    assert "resend" not in page.content.decode()  # the action is a privacy officer's


def test_another_organizations_delivery_is_a_404(client, subscribe, log):
    imt = load("imt")
    charlie = member("charlie", imt, Role.PRIVACY_OFFICER)
    subscribe()
    log()
    client.force_login(charlie)
    delivery = Delivery.objects.get()
    assert (
        client.get(reverse("admin:webhooks_delivery_change", args=[delivery.pk])).status_code == 404
    )
    listed = client.get(reverse("admin:webhooks_delivery_changelist")).content.decode()
    assert delivery.message_id not in listed


def test_a_resend_is_audited_and_goes_out_again_with_the_same_id(
    client, olivia, subscribe, log, receiver
):
    subscribe()
    receiver.expect_request("/hook").respond_with_data("ok")
    log()
    outbox.deliver_pending()
    delivery = Delivery.objects.get()
    assert delivery.status == OutboxStatus.DELIVERED
    client.force_login(olivia)

    response = client.post(
        reverse("admin:webhooks_delivery_changelist"),
        {"action": "resend", "_selected_action": [delivery.pk]},
    )

    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == OutboxStatus.PENDING and delivery.resends == 1
    entry = LogEntry.objects.get(object_id=str(delivery.pk))
    assert entry.user == olivia and "Resent" in entry.get_change_message()
    outbox.deliver_pending()
    ids = [request.headers["webhook-id"] for request, _ in receiver.log]
    assert ids == [delivery.message_id, delivery.message_id]
    delivery.refresh_from_db()
    assert delivery.status == OutboxStatus.DELIVERED and delivery.tries.count() == 2
