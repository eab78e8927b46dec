"""Every admin list of our models that can be searched keeps the search term out of its URLs
(``dsar.lib.admin_search``): a name or an email address typed in a search box is personal data,
and an address ends up in access logs, histories and Referer headers."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse

from dsar.lib.admin_search import PrivateSearchMixin
from dsar.organizations.models import Organization, OrganizationContact

pytestmark = pytest.mark.django_db


def searchable() -> list[tuple[type, admin.ModelAdmin]]:
    """Every list that can be searched, but django-q2's (task names and functions)."""
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model_admin.search_fields and model._meta.app_label != "django_q"
    ]


def test_every_searchable_admin_searches_by_token(admin_client):
    lists = searchable()
    assert len(lists) > 10
    assert [type(a).__name__ for _m, a in lists if not isinstance(a, PrivateSearchMixin)] == []
    # And its page posts the search form (its app's admin/<app>/search_form.html): a form sent
    # by GET would put the term in the URL before any redirect.
    for model, _model_admin in lists:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        page = admin_client.get(url).content.decode()
        assert re.search(r'<form id="changelist-search" method="post"', page), url


def test_a_contacts_search_keeps_the_persons_address_out_of_the_url(client):
    organization = Organization.objects.create(slug="acme", name="Acme", reference_prefix="ACME")
    OrganizationContact.objects.create(
        organization=organization, role="dpo", name="Dora Protect", email="dora@acme.example"
    )
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x"))
    changelist = reverse("admin:organizations_organizationcontact_changelist")

    response = client.post(changelist, {"q": "dora@acme.example"})

    assert response.status_code == 302
    assert "dora" not in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "Dora Protect" in page
    assert 'value="dora@acme.example"' in page  # the search box
    assert "dora@acme.example" not in "".join(
        part.split('"')[0] for part in page.split('href="')[1:]
    )


def test_a_search_on_a_filtered_list_keeps_the_filters(client):
    # As the browser does: the search form posts the list's current filters as hidden fields.
    acme, other = (
        Organization.objects.create(slug=slug, name=slug, reference_prefix=slug.upper())
        for slug in ("acme", "other")
    )
    contacts = [
        OrganizationContact.objects.create(
            organization=organization, role="dpo", name="Dora Protect", email="dora@example.org"
        )
        for organization in (acme, other)
    ]
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x"))
    changelist = reverse("admin:organizations_organizationcontact_changelist")
    page = client.get(changelist, {"organization__id__exact": acme.pk}).content.decode()
    form = page[page.index('<form id="changelist-search"') :]
    form = form[: form.index("</form>")]
    hidden = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form))

    response = client.post(changelist, {**hidden, "q": "Dora"})

    assert response["Location"].startswith(f"{changelist}?organization__id__exact={acme.pk}&s=")
    listed = client.get(response["Location"]).context["cl"].result_list
    assert list(listed) == [contacts[0]]  # acme's, not other's
