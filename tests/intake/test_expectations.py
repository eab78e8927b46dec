"""When to expect an answer, as the form says it for each place: computed by ``clock.decide`` as
the staff side computes it, grouped where equal, and labelled by what it rests on: a law by name,
the policy's promise as a promise, or the organization's own date. Never "no law sets a
deadline" (dsar cannot know that)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import translation

from dsar.intake import selectors
from dsar.policies.models import PolicyVersion
from dsar.requests.models import PrivacyRequest

from .conftest import SLUGS, text_of

pytestmark = pytest.mark.django_db

RESIDENCES = ["FR", "GB", "US-CA", "US-VA", "US-TX", "OTHER"]
# The first right each organization promises that every residence can use.
RIGHT = {
    "img": "access",
    "imgwg": "access",
    "imt": "erasure",
    "ims-consulting": "access",
    "imservicecenter": "access",
}


def lines(html: str, kind: str) -> list[str]:
    summary = html[html.index(f'id="id_right_{kind}_summary"') :]
    found = re.search(r'<ul class="expectations">(.*?)</ul>', summary, re.S)
    assert found, kind
    return [text_of(line) for line in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)]


# Received on Monday 2 March 2026 (the frozen clock). The GDPR's month: 2 April; the CCPA's and
# the state laws' 45 days: 16 April, but Iowa's own 90 days (Iowa Code §715D.3(2)): 31 May;
# PIPEDA's 30 days: 1 April; the LGPD's 15 days: 17 March; the organization's own date (14 days,
# DSAR_DEFAULT_TARGET_DAYS): 16 March.
STATES_AND_IOWA = [
    "US states with their own privacy law except Iowa: by 16 April 2026 under the privacy law of "
    "your state",
    "Iowa: by 31 May 2026 under the Iowa Consumer Data Protection Act",
]
LAWS_THEN_ORGANIZATION = [
    "EU/EEA: by 2 April 2026 under the GDPR",
    "United Kingdom: by 2 April 2026 under the UK GDPR",
    "California: by 16 April 2026 under the California Consumer Privacy Act",
    *STATES_AND_IOWA,
    "Other US states, elsewhere: {name} sets the date: by 16 March 2026",
    "Canada: by 1 April 2026 under PIPEDA, Canada's privacy law",
    "Brazil: by 17 March 2026 under the LGPD, Brazil's data protection law",
]
EXPECTED = {
    # IMG promises one month for every right, and offers its form: the promise covers everyone
    # and is earlier than the CCPA's and the state laws' 45 days.
    "img": [
        "EU/EEA: by 2 April 2026 under the GDPR",
        "United Kingdom: by 2 April 2026 under the UK GDPR",
        "United States, elsewhere: by 2 April 2026, as the privacy policy promises (one month)",
        "Canada: by 1 April 2026 under PIPEDA, Canada's privacy law",
        "Brazil: by 17 March 2026 under the LGPD, Brazil's data protection law",
    ],
    "imgwg": [line.format(name="imgwg Communications") for line in LAWS_THEN_ORGANIZATION],
    # PIPEDA and the LGPD give no erasure deadline.
    "imt": [
        "EU/EEA: by 2 April 2026 under the GDPR",
        "United Kingdom: by 2 April 2026 under the UK GDPR",
        "California: by 16 April 2026 under the California Consumer Privacy Act",
        *STATES_AND_IOWA,
        "Other US states, Canada, Brazil, elsewhere: iMT sets the date: by 16 March 2026",
    ],
    "ims-consulting": [line.format(name="IMS Consulting") for line in LAWS_THEN_ORGANIZATION],
    "imservicecenter": [line.format(name="imservicecenter.com") for line in LAWS_THEN_ORGANIZATION],
}


@pytest.mark.parametrize("slug", SLUGS)
def test_each_place_reads_its_date_and_what_it_rests_on(seeds, client, slug):
    html = client.get(f"/o/{slug}/request/").content.decode()

    assert lines(html, RIGHT[slug]) == EXPECTED[slug]


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("residence", RESIDENCES)
def test_the_form_says_the_date_the_staff_side_gives(seeds, client, submit, slug, residence):
    """The line covering the residence names the date the logged request then gets."""
    organization = seeds[slug]
    version = PolicyVersion.objects.in_force_for(organization)
    right = version.rights.get(kind=RIGHT[slug])
    html = client.get(f"/o/{slug}/request/").content.decode()
    (expected,) = [
        e
        for e in selectors.expectations(organization, version, right, today=dt.date(2026, 3, 2))
        if residence in e.codes
    ]
    with translation.override("en"):
        where = expected.where

    submit(organization, right=RIGHT[slug], residence=residence)

    request = PrivacyRequest.objects.get()
    due = request.due_date or request.internal_target
    assert expected.answer.due == due
    assert any(
        line.startswith(f"{where[0].upper()}{where[1:]}: ") and f"{due:%-d %B %Y}" in line
        for line in lines(html, RIGHT[slug])
    )
    basis = {"law": "under ", "promise": "as the privacy policy promises", "organization": "sets"}
    assert basis[expected.answer.basis] in next(
        line for line in lines(html, RIGHT[slug]) if line.startswith(where[0].upper() + where[1:])
    )


def test_a_promise_in_words_is_quoted_beside_the_organizations_date(seeds, client):
    html = client.get("/o/ims-consulting/request/").content.decode()

    assert lines(html, "account_closure") == [
        "Wherever you live: IMS Consulting sets the date: by 16 March 2026; the privacy policy "
        "promises: as soon as reasonably possible"
    ]
    assert '<q lang="en">as soon as reasonably possible</q>' in html


def test_can_spam_binds_the_sender_wherever_the_recipient_lives(seeds, client):
    html = client.get("/o/imt/request/").content.decode()

    # 10 US business days from 2 March 2026: 16 March.
    assert lines(html, "marketing_opt_out") == [
        "Wherever you live: by 16 March 2026 under the CAN-SPAM Act"
    ]


def test_a_1798_83_request_through_the_form_is_received_otherwise(seeds, client):
    # imgwg designates no channel for 1798.83 and promises no date: a Californian's request
    # through the form gets the statute's outer limit, 150 days (2 March + 150 = 30 July).
    html = client.get("/o/imgwg/request/").content.decode()

    found = lines(html, "shine_the_light")
    assert "California: by 30 July 2026 under section 1798.83 of the California Civil Code" in found
    assert len(found) == 2
    assert found[0].startswith("EU/EEA, United Kingdom, US states with their own privacy law, ")
    assert found[0].endswith(": imgwg Communications sets the date: by 16 March 2026")


def test_a_right_two_states_give_no_law_for_splits_the_states(seeds, client):
    # Iowa's and Utah's laws have no right to correction.
    html = client.get("/o/imgwg/request/").content.decode()

    found = lines(html, "rectification")
    assert (
        "US states with their own privacy law except Iowa, Utah: by 16 April 2026 under the "
        "privacy law of your state"
    ) in found
    assert (
        "Iowa, Utah, other US states, Brazil, elsewhere: imgwg Communications sets the date: by "
        "16 March 2026"
    ) in found


def test_the_states_with_a_law_are_named_once(img, client):
    text = text_of(client.get("/o/img/request/").content.decode())

    found = re.search(
        r"The US states with their own privacy law, as this page names them: ([^.]+)\.", text
    )
    assert found
    states = found.group(1).split(", ")
    assert states[:3] == ["Colorado", "Connecticut", "Delaware"]
    assert "Texas" in states and "Virginia" in states and "California" not in states
    assert "Florida" not in states
    assert len(states) == 18


def test_texas_law_counts_from_1_july_2024(seeds):
    organization = seeds["imgwg"]
    version = PolicyVersion.objects.in_force_for(organization)
    right = version.rights.get(kind="access")

    def texan(day: dt.date) -> selectors.Expectation:
        found = selectors.expectations(organization, version, right, today=day)
        return next(e for e in found if "US-TX" in e.codes)

    before, after = texan(dt.date(2024, 6, 28)), texan(dt.date(2024, 7, 1))
    assert before.answer.basis == "organization"
    assert after.answer.basis == "law"
    assert after.answer.due == dt.date(2024, 8, 15)
    with translation.override("en"):
        assert "Texas" not in selectors.state_law_names(dt.date(2024, 6, 28))
        assert "Texas" in selectors.state_law_names(dt.date(2024, 7, 1))
        assert before.where == "other US states, elsewhere"
        assert after.where == "US states with their own privacy law"


def test_the_lines_speak_spanish(img, client):
    html = client.get("/o/imgwg/request/", HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert lines(html, "access") == [
        "UE/EEE: a más tardar el 2 de abril de 2026, según el RGPD",
        "Reino Unido: a más tardar el 2 de abril de 2026, según el RGPD del Reino Unido",
        "California: a más tardar el 16 de abril de 2026, según la Ley de Privacidad del "
        "Consumidor de California",
        "Estados de EE. UU. con ley de privacidad propia salvo Iowa: a más tardar el 16 de abril "
        "de 2026, según la ley de privacidad de su estado",
        "Iowa: a más tardar el 31 de mayo de 2026, según la ley «Iowa Consumer Data Protection "
        "Act»",
        "Otros estados de EE. UU., otro lugar: imgwg Communications fija la fecha: a más tardar "
        "el 16 de marzo de 2026",
        "Canadá: a más tardar el 1 de abril de 2026, según la PIPEDA, la ley de privacidad de "
        "Canadá",
        "Brasil: a más tardar el 17 de marzo de 2026, según la LGPD, la ley de protección de "
        "datos de Brasil",
    ]
    html = client.get("/o/img/request/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert (
        "Estados Unidos, otro lugar: a más tardar el 2 de abril de 2026, como promete la política "
        "de privacidad (one month)"
    ) in lines(html, "access")


@pytest.mark.parametrize("slug", SLUGS)
def test_no_page_says_no_law_sets_a_deadline(seeds, client, submit, slug):
    pages = [client.get(f"/o/{slug}/request/", HTTP_ACCEPT_LANGUAGE=lang) for lang in ("en", "es")]
    pages.append(client.get(submit(seeds[slug], right=RIGHT[slug], residence="OTHER")["Location"]))

    sent = text_of(pages[-1].content.decode())
    if slug == "img":
        assert (
            "Answer expected: by 2 April 2026, as the privacy policy promises (one month)." in sent
        )
    else:
        assert f"Answer expected: {seeds[slug].name} sets the date: by 16 March 2026." in sent
    for page in pages:
        text = text_of(page.content.decode()).casefold()
        assert "no law" not in text and "ninguna ley" not in text
        assert "no legal deadline" not in text and "sin plazo legal" not in text
