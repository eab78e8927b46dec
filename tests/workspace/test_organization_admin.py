"""The organization's record in the admin: its privacy officer edits the places whose law does not
reach it (with the reason the database requires, said as a form error), whether it offers the
public request form, and the currency of its fees. Others read it, or never see it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from dsar.organizations.models import Organization

pytestmark = pytest.mark.django_db

FIELDS = ("out_of_scope", "out_of_scope_reason", "web_form_enabled", "currency")
REASON = (
    "Not established in the UK; offers no goods or services to people there and does not "
    "monitor them (UK GDPR Art. 3(2))."
)


def change_url(organization: Organization) -> str:
    return reverse("admin:organizations_organization_change", args=[organization.pk])


def _post_data(response) -> dict[str, Any]:
    """The change form's current values, as the browser would post them back."""
    data: dict[str, Any] = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False or name == "logo":  # no file to send again
                continue
            if isinstance(value, list | tuple):
                value = [str(v) for v in value]
            data[form.add_prefix(name)] = value
    return data


def test_the_privacy_officer_sees_the_fields_on_the_organizations_page(login, olivia, img):
    response = login(olivia).get(change_url(img))

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert set(FIELDS) <= set(form.fields)
    page = response.content.decode()
    assert "Whose law reaches it" in page and 'name="_save"' in page


def test_the_privacy_officer_lists_a_place_out_of_scope_with_the_reason(login, olivia, img):
    client = login(olivia)
    data = _post_data(client.get(change_url(img)))
    data.update(
        out_of_scope="gb, US-TX",
        out_of_scope_reason=REASON,
        currency="eur",
    )
    data.pop("web_form_enabled", None)  # unticked

    response = client.post(change_url(img), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    img.refresh_from_db()
    assert img.out_of_scope == ["GB", "US-TX"]
    assert img.out_of_scope_reason == REASON
    assert (img.currency, img.web_form_enabled) == ("EUR", False)


def test_a_place_out_of_scope_without_its_reason_is_a_form_error(login, olivia, img):
    client = login(olivia)
    data = _post_data(client.get(change_url(img)))
    data.update(out_of_scope="GB", out_of_scope_reason="  ")

    response = client.post(change_url(img), data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["out_of_scope_reason"] == ["Say why these places' laws do not reach it."]
    assert "Say why these places" in response.content.decode()
    assert 'value="GB"' in response.content.decode()  # what was typed is kept
    img.refresh_from_db()
    assert img.out_of_scope == []


@pytest.mark.parametrize(
    ("field", "value"),
    [("out_of_scope", "Narnia"), ("out_of_scope", "GB, GB"), ("currency", "euro")],
)
def test_a_bad_value_is_a_form_error(login, olivia, img, field, value):
    client = login(olivia)
    data = _post_data(client.get(change_url(img)))
    data.update({field: value, "out_of_scope_reason": REASON})

    response = client.post(change_url(img), data)

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    img.refresh_from_db()
    assert (img.out_of_scope, img.currency) == ([], "USD")


def test_a_superuser_edits_them_too(login, root, img):
    client = login(root)
    data = _post_data(client.get(change_url(img)))
    data.update(out_of_scope="EU", out_of_scope_reason=REASON)

    response = client.post(change_url(img), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    img.refresh_from_db()
    assert img.out_of_scope == ["EU"]


def test_a_handler_cannot_change_the_record(login, alice, img):
    client = login(alice)

    assert client.get(change_url(img)).status_code == 403
    assert client.post(change_url(img), {"out_of_scope": "GB"}).status_code == 403
    img.refresh_from_db()
    assert img.out_of_scope == []


def test_an_auditor_reads_it_without_a_save_button(login, audrey, img):
    response = login(audrey).get(change_url(img))

    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()


def test_a_privacy_officer_of_another_organization_gets_a_404(login, olivia, imt):
    assert login(olivia).get(change_url(imt)).status_code == 404
