"""The deployment check that keeps email links absolute."""

from __future__ import annotations

import pytest

from dsar.core.checks import check_site_url


@pytest.mark.parametrize("url", ["", "http://privacy.example.org", "privacy.example.org"])
def test_a_missing_or_plain_http_site_url_is_a_deploy_warning(settings, url):
    settings.DSAR_SITE_URL = url

    assert [message.id for message in check_site_url()] == ["dsar.W001"]


def test_an_https_origin_passes(settings):
    settings.DSAR_SITE_URL = "https://privacy.example.org"

    assert check_site_url() == []
