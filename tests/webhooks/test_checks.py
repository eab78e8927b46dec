"""Webhook settings that cannot work are refused at startup."""

from __future__ import annotations

from dsar.webhooks.checks import check_webhook_reach, check_webhook_settings


def test_a_lease_shorter_than_a_try_is_an_error(settings):
    settings.DSAR_WEBHOOK_TIMEOUT = 30
    settings.DSAR_WEBHOOK_LEASE_SECONDS = 10
    assert [m.id for m in check_webhook_settings()] == ["webhooks.E002"]


def test_plain_http_is_a_deploy_warning(settings):
    settings.DSAR_WEBHOOK_ALLOW_HTTP_LOOPBACK = True
    assert [m.id for m in check_webhook_reach()] == ["webhooks.W001"]
    settings.DSAR_WEBHOOK_ALLOW_HTTP_LOOPBACK = False
    assert check_webhook_reach() == []
