"""The request's hand-written representation says what its declared fields (the schema) say."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from rest_framework import serializers

from dsar.api.serializers import RequestSerializer
from dsar.requests import services

pytestmark = pytest.mark.django_db


def test_the_fast_representation_equals_drfs(log_request: Any, alice: Any) -> None:
    r = services.request_start(request=log_request(), actor=None)
    r = services.request_assign(request=r, actor=None, assignee=alice)
    r = services.request_ask_requester(
        request=r, actor=None, waiting_for="fee", note="A fee.", fee_amount=Decimal("15")
    )
    r = services.request_acknowledge(
        request=r, actor=None, how="phone", at=dt.datetime(2026, 3, 2, 13, 30, tzinfo=dt.UTC)
    )
    fast = RequestSerializer(r).data
    drf = serializers.ModelSerializer.to_representation(RequestSerializer(r), r)
    assert fast == drf
    assert fast["fee_amount"] == "15.00" and fast["assignee"] == "alice"
