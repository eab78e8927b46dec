"""Where the requester lives: one <select> of every US state, EU/EEA country, the UK, Canada,
Brazil and "elsewhere" (``dsar.residences``), in the page's language; what is kept is the ISO
code, and the code decides whose law gives the deadline."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dsar.requests.models import PrivacyRequest

from .conftest import text_of

pytestmark = pytest.mark.django_db


def residence_select(html: str) -> str:
    start = html.index('<select name="residence"')
    return html[start : html.index("</select>", start) + len("</select>")]


def option_names(select: str, group: str) -> list[str]:
    found = re.search(rf'<optgroup label="{re.escape(group)}">(.*?)</optgroup>', select, re.S)
    assert found, group
    return [text_of(name) for name in re.findall(r"<option [^>]*>(.*?)</option>", found.group(1))]


def test_the_select_is_labelled_described_and_grouped(img, client):
    html = client.get("/o/img/request/").content.decode()
    select = residence_select(html)

    assert '<label for="id_residence">Where do you live?</label>' in html
    assert 'id="id_residence"' in select and 'aria-describedby="id_residence_hint"' in select
    hint = re.search(r'<p class="hint" id="id_residence_hint">(.*?)</p>', html, re.S)
    assert hint and "Choose your US state or your country" in hint.group(1)
    assert re.search(r'<option value="" selected>Choose where you live</option>', select)
    groups = re.findall(r'<optgroup label="([^"]+)">', select)
    assert groups == [
        "United States",
        "European Union, Iceland, Liechtenstein, Norway",
        "Other countries",
        "None of these",
    ]
    states = option_names(select, "United States")
    assert len(states) == 51 and states == sorted(states)
    assert {"Virginia", "Texas", "California", "District of Columbia"} <= set(states)
    assert option_names(select, "Other countries") == ["Brazil", "Canada", "United Kingdom"]
    assert option_names(select, "None of these") == ["Elsewhere"]
    assert '<option value="US-VA">Virginia</option>' in select


def test_the_select_speaks_spanish_sorted_in_spanish(img, client):
    html = client.get("/o/img/request/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    select = residence_select(html)

    assert '<label for="id_residence">¿Dónde vive?</label>' in html
    assert "Elija dónde vive" in select
    states = option_names(select, "Estados Unidos")
    assert {"Carolina del Norte", "Nueva York", "Hawái", "Virginia Occidental"} <= set(states)
    # Sorted in Spanish, accents aside: Míchigan after Massachusetts, before Minnesota.
    assert states.index("Massachusetts") < states.index("Míchigan") < states.index("Minnesota")
    europe = option_names(select, "Unión Europea, Islandia, Liechtenstein, Noruega")
    assert europe[:3] == ["Alemania", "Austria", "Bélgica"]
    assert "Países Bajos" in europe and "Francia" in europe
    assert option_names(select, "Otros países") == ["Brasil", "Canadá", "Reino Unido"]
    assert option_names(select, "Ninguno de estos") == ["En otro lugar"]


@pytest.mark.parametrize(
    ("posted", "stored"),
    [("US-VA", "US-VA"), ("us-tx", "US-TX"), ("FR", "FR"), ("GB", "GB"), ("OTHER", "OTHER")],
)
def test_the_iso_code_is_stored(img, submit, posted, stored):
    response = submit(img, residence=posted)

    assert response.status_code == 302
    assert PrivacyRequest.objects.get().jurisdiction == stored


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ("US", "Choose where you live from the list."),
        ("EU", "Choose where you live from the list."),
        ("JP", "Choose where you live from the list."),
        ("", "Choose where you live."),
    ],
)
def test_a_coarse_or_unknown_residence_is_refused(img, submit, posted, message):
    response = submit(img, residence=posted)

    assert response.status_code == 200
    assert response.context["form"].errors["residence"] == [message]
    assert f'<a href="#id_residence">{message}</a>' in response.content.decode()
    assert not PrivacyRequest.objects.exists()


def test_a_choice_is_kept_when_another_field_is_wrong(img, submit):
    html = submit(img, residence="US-VA", email="not an address").content.decode()

    assert '<option value="US-VA" selected>Virginia</option>' in residence_select(html)


def test_a_virginian_gets_the_virginia_law_where_no_promise_is_earlier(seeds, submit):
    # imgwg promises no date: the Virginia Consumer Data Protection Act's 45 days bind.
    submit(seeds["imgwg"], residence="US-VA")

    request = PrivacyRequest.objects.get()
    assert request.due_date == dt.date(2026, 4, 16)
    assert request.deadline_rule == "us_state"
    assert "Virginia Consumer Data Protection Act" in request.deadline_basis


def test_a_texan_gets_the_texas_law(seeds, submit):
    submit(seeds["imgwg"], residence="US-TX")

    request = PrivacyRequest.objects.get()
    assert request.due_date == dt.date(2026, 4, 16)
    assert "Texas Data Privacy and Security Act" in request.deadline_basis
