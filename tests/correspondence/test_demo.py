"""The demo's conversation, told through the real services."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from dsar.correspondence.models import Direction, HeldReason, Message

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_conversation_and_a_held_message(ann_request, alice, settings):
    settings.DSAR_REPLY_ADDRESS = ""  # as in `make demo`: the demo sets IMG's own mailbox
    out = io.StringIO()
    call_command("seed_demo_messages", actor="alice", stdout=out)
    assert "3 demo messages" in out.getvalue()

    sent = Message.objects.get(direction=Direction.OUT)
    assert (sent.request, sent.created_by) == (ann_request, alice)
    answer = Message.objects.get(direction=Direction.IN, request=ann_request)
    assert answer.in_reply_to == sent.message_id
    assert Message.objects.held().get().held_reason == HeldReason.UNKNOWN_SENDER

    call_command("seed_demo_messages", actor="alice", stdout=io.StringIO())
    assert Message.objects.count() == 3
