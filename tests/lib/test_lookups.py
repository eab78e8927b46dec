"""An integer beyond 64 bits in a multiple choice is a wrong choice, not a server error."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.auth.models import Group, Permission

pytestmark = pytest.mark.django_db

HUGE = 2**70


def test_a_huge_id_among_the_choices_is_refused_with_the_fields_message() -> None:
    class GroupForm(forms.ModelForm):
        class Meta:
            model = Group
            fields = ["name", "permissions"]

    real = Permission.objects.order_by("pk").first()
    form = GroupForm(data={"name": "Reviewers", "permissions": [str(real.pk), str(HUGE)]})

    assert not form.is_valid()
    assert (
        f"Select a valid choice. {HUGE} is not one of the available choices."
        in (form.errors["permissions"])
    )


def test_in_leaves_out_only_the_values_no_column_holds() -> None:
    real = Permission.objects.order_by("pk").first()

    found = Permission.objects.filter(pk__in=[real.pk, HUGE, -HUGE])

    assert list(found) == [real]
    assert not Permission.objects.filter(pk__in=[HUGE]).exists()
