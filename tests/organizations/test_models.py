"""Organizations: their settings, and the 1798.83 register of direct-marketing disclosures."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from dsar.organizations.models import MarketingDisclosure, Organization, disclosures_for_year
from dsar.policies.models import PolicyVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def org() -> Organization:
    return Organization.objects.create(slug="acme", name="Acme", reference_prefix="ACME")


def disclose(org: Organization, year: int, name: str) -> MarketingDisclosure:
    return MarketingDisclosure.objects.create(
        organization=org,
        year=year,
        third_party_name=name,
        third_party_address="1 Market Street, San Francisco, CA",
        categories="name\nemail address\n\n",
    )


def test_it_lists_the_disclosures_of_one_year_by_party(org):
    other = Organization.objects.create(slug="other", name="Other", reference_prefix="OTH")
    disclose(org, 2025, "Zeta Mail")
    disclose(org, 2025, "Alpha Lists")
    disclose(org, 2024, "Old Partner")
    disclose(other, 2025, "Someone Else's Partner")

    found = disclosures_for_year(org, 2025)

    assert [d.third_party_name for d in found] == ["Alpha Lists", "Zeta Mail"]
    assert found[0].category_list == ["name", "email address"]


def test_it_keeps_one_row_per_party_and_year_whatever_the_case(org):
    disclose(org, 2025, "Alpha Lists")
    disclose(org, 2024, "Alpha Lists")  # another year is another row

    with pytest.raises(IntegrityError), transaction.atomic():
        disclose(org, 2025, "ALPHA LISTS")


def test_it_refuses_a_year_that_is_not_a_calendar_year(org):
    with pytest.raises(IntegrityError), transaction.atomic():
        disclose(org, 25, "Alpha Lists")


@pytest.mark.parametrize(
    ("field", "value"),
    [("slug", "Acme_Inc"), ("reference_prefix", "acme"), ("primary_colour", "red")],
)
def test_the_database_refuses_badly_formed_settings(field, value):
    values = {"slug": "acme", "name": "Acme", "reference_prefix": "ACME", field: value}

    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(**values)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("time_zone", "Europe/Londres"),
        ("holiday_calendar", "US-XX"),
        ("jurisdictions", ["US", "california"]),
        ("websites", ["ftp://acme.example"]),
    ],
)
def test_it_validates_settings_the_database_cannot_check(org, field, value):
    setattr(org, field, value)

    with pytest.raises(ValidationError) as excinfo:
        org.full_clean()

    assert field in excinfo.value.message_dict


def test_it_accepts_good_settings(org):
    org.time_zone = "America/New_York"
    org.holiday_calendar = "US-FL"
    org.jurisdictions = ["US", "US-CA", "EU", "GB"]
    org.websites = ["https://acme.example"]
    org.primary_colour = "#1a2B3c"

    org.full_clean()
    org.save()


def test_it_has_no_policy_in_force_before_one_is_loaded(org):
    assert PolicyVersion.objects.in_force_for(org) is None


def test_staff_can_keep_the_register_in_the_admin(admin_client, org):
    add = reverse("admin:organizations_marketingdisclosure_add")

    response = admin_client.post(
        add,
        {
            "organization": org.pk,
            "year": 2025,
            "third_party_name": "Alpha Lists",
            "third_party_address": "1 Market Street",
            "categories": "name\nemail address",
        },
    )
    duplicate = admin_client.post(
        add,
        {
            "organization": org.pk,
            "year": 2025,
            "third_party_name": "alpha lists",
            "third_party_address": "elsewhere",
            "categories": "name",
        },
    )

    assert response.status_code == 302
    assert duplicate.status_code == 200  # the form shows the constraint's message
    assert b"already in the register" in duplicate.content
    assert MarketingDisclosure.objects.count() == 1
    changelist = admin_client.get(reverse("admin:organizations_marketingdisclosure_changelist"))
    assert b"Alpha Lists" in changelist.content


def test_today_is_the_date_where_the_organization_counts_its_days(org):
    # 23:30 in London on 2 March is already 3 March in Auckland and still 2 March in Los Angeles.
    now = datetime.datetime(2026, 3, 2, 23, 30, tzinfo=datetime.UTC)
    org.time_zone = "Pacific/Auckland"
    assert org.today(now) == datetime.date(2026, 3, 3)
    org.time_zone = "America/Los_Angeles"
    assert org.today(now) == datetime.date(2026, 3, 2)
