"""The opt-out confirmation for the US state opt-outs (issue 15): worded by what it stops (sale or
sharing, targeted advertising, profiling, the limit on sensitive information), citing the law of
the requester's residence only where it gives that opt-out, and saying when the request was the
browser's Global Privacy Control signal. Read back from the issued PDFs, in English and Spanish."""

from __future__ import annotations

from typing import Any

import pytest

from dsar.letters.kinds import LetterKind
from dsar.letters.services import letter_issue
from dsar.policies.models import OPT_OUT_KINDS
from dsar.requests.models import PrivacyRequest

from .conftest import RECEIVED
from .helpers import pdf_text, printed

pytestmark = pytest.mark.django_db
SEED_SLUGS = ("imservicecenter",)


def _letter(make_request: Any, right: str, residence: str, **details: Any) -> str:
    request: PrivacyRequest = make_request(
        "imservicecenter", right, jurisdiction=residence, **details
    )
    return pdf_text(letter_issue(request=request, kind="opt_out", actor=None).read())


def test_the_opt_out_confirmation_fits_every_opt_out() -> None:
    assert all(LetterKind.OPT_OUT.fits(kind) for kind in OPT_OUT_KINDS)
    assert LetterKind.OPT_OUT.fits("marketing_opt_out")


@pytest.mark.parametrize(
    ("right", "subject", "right_words", "citation", "done"),
    [
        (
            "opt_out_sale",
            "We no longer sell or share your personal information",
            "direct us not to sell or share your personal information",
            "Cal. Civ. Code §§1798.120, 1798.135",
            "We have stopped selling and sharing your personal information, and we have told the "
            "third parties",
        ),
        (
            "opt_out_targeted_ads",
            "We no longer use your personal information for targeted advertising",
            "direct us not to share your personal information for cross-context behavioral "
            "advertising",
            "Cal. Civ. Code §§1798.120, 1798.135",
            "advertising based on your activity on other companies' websites and apps",
        ),
        (
            "limit_sensitive",
            "We now limit the use of your sensitive personal information",
            "limit our use and disclosure of your sensitive personal information",
            "Cal. Civ. Code §§1798.121, 1798.135",
            "only as needed to provide the goods and services you ask us for",
        ),
    ],
)
def test_a_californian_s_opt_out_cites_the_ccpa(
    make_request: Any, right: str, subject: str, right_words: str, citation: str, done: str
) -> None:
    text = _letter(make_request, right, "US-CA")

    assert subject in text
    assert f"The California Consumer Privacy Act gives you the right to {right_words}" in text
    assert f"({citation})." in text
    assert done in text
    assert "marketing" not in text.lower()


def test_another_state_s_opt_outs_name_its_law(make_request: Any) -> None:
    sale = _letter(make_request, "opt_out_sale", "US-VA")
    profiling = _letter(make_request, "opt_out_profiling", "US-CO")

    assert "We no longer sell your personal information" in sale
    assert (
        "The Virginia Consumer Data Protection Act gives you the right to opt out of the sale of "
        "your personal data." in sale
    )
    assert "We have stopped selling your personal information." in sale
    assert "§1798" not in sale and "California" not in sale
    assert "We no longer use your personal information for profiling" in profiling
    assert (
        "The Colorado Privacy Act gives you the right to opt out of the processing of your "
        "personal data for profiling in furtherance of decisions that produce legal or similarly "
        "significant effects concerning you." in profiling
    )


@pytest.mark.parametrize(
    ("right", "residence"),
    [
        ("opt_out_profiling", "US-CA"),  # the CCPA has no opt-out of profiling
        ("opt_out_profiling", "US-UT"),  # Utah: sale and targeted advertising only
        ("opt_out_targeted_ads", "US-IA"),  # Iowa: sale only
        ("limit_sensitive", "US-VA"),  # the limit is California's
        ("opt_out_sale", "FR"),
    ],
)
def test_no_law_is_cited_where_none_gives_the_opt_out(
    make_request: Any, right: str, residence: str
) -> None:
    text = _letter(make_request, right, residence)

    assert "gives you the right" not in text
    assert "§" not in text and "Act" not in text


def test_a_gpc_signal_is_confirmed_as_such(make_request: Any) -> None:
    california = _letter(make_request, "opt_out_sale", "US-CA", gpc=True)
    colorado = _letter(make_request, "opt_out_sale", "US-CO", gpc=True)
    virginia = _letter(make_request, "opt_out_sale", "US-VA", gpc=True)

    day = printed(RECEIVED.date())
    assert f"On {day} we received your browser's Global Privacy Control signal" in california
    assert (
        "We treat it as your request to opt out of the sale and sharing of your personal "
        "information, as the California Consumer Privacy Act requires (Cal. Code Regs. tit. 11 "
        "§7025)." in california
    )
    assert "as the Colorado Privacy Act requires." in colorado
    # Virginia's law says nothing of the signal (docs/us-state-laws.md): honoured anyway.
    assert "your browser's Global Privacy Control signal" in virginia
    assert "sharing of your personal information, wherever you live." in virginia


def test_in_spanish(make_request: Any) -> None:
    sale = _letter(make_request, "opt_out_sale", "US-CA", language="es")
    gpc = _letter(make_request, "opt_out_sale", "US-VA", language="es", gpc=True)

    assert "Ya no vendemos ni compartimos su información personal" in sale
    assert (
        "La Ley de Privacidad del Consumidor de California (CCPA) le reconoce el derecho a "
        "indicarnos que no vendamos ni compartamos su información personal (Cal. Civ. Code "
        "§§1798.120, 1798.135)." in sale
    )
    assert "Hemos dejado de vender y de compartir su información personal" in sale
    assert "recibimos la señal Global Privacy Control de su navegador" in gpc
    assert (
        "La ley «Virginia Consumer Data Protection Act» le reconoce el derecho a excluirse de la "
        "venta de sus datos personales." in gpc
    )


def test_a_marketing_opt_out_keeps_its_words(make_request: Any) -> None:
    text = _letter(make_request, "marketing_opt_out", "US-CA")

    assert "You will no longer receive our marketing" in text
    assert "We have removed your contact details" in text
    assert "Global Privacy Control" not in text and "gives you the right" not in text
