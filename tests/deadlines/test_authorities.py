"""Where a requester can complain: the authority a letter names for each residence."""

from __future__ import annotations

import ast
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from dsar import authorities
from dsar.authorities import Authority, Role, complaint_authorities
from dsar.jurisdictions import EEA_MEMBERS, US_STATE_LAWS

STATES = sorted(US_STATE_LAWS)
EVERY_RESIDENCE = [*EEA_MEMBERS, "GB", "US-CA", *(f"US-{s}" for s in STATES), "BR", "CA"]


def _all() -> list[Authority]:
    return [a for code in EVERY_RESIDENCE for a in complaint_authorities(code)]


@pytest.mark.parametrize("code", sorted(EEA_MEMBERS))
def test_every_eea_country_has_exactly_one_supervisory_authority(code):
    (authority,) = complaint_authorities(code)
    assert authority.code == code
    assert authority.role is Role.SUPERVISORY_AUTHORITY
    assert authority.law == "GDPR"
    assert "Art. 77" in authority.citation
    assert urlsplit(authority.website).scheme == "https"


def test_the_eea_efta_states_cite_the_eea_agreement():
    for code in ("IS", "LI", "NO"):
        assert "EEA Agreement" in complaint_authorities(code)[0].citation
    assert "EEA Agreement" not in complaint_authorities("FR")[0].citation


def test_germany_names_the_bfdi_and_says_the_land_authority_is_also_competent():
    (bfdi,) = complaint_authorities("DE")
    assert bfdi.acronym == "BfDI"
    assert "Bonn" in bfdi.address
    assert "Land" in bfdi.note


def test_france_gives_the_cnil_complaint_page_and_its_language():
    (cnil,) = complaint_authorities("FR")
    assert cnil.acronym == "CNIL"
    assert cnil.local_name == "Commission nationale de l'informatique et des libertés"
    assert cnil.website == "https://www.cnil.fr/fr/adresser-une-plainte"
    assert "French" in cnil.note


def test_gb_gives_the_ico_under_uk_gdpr():
    (ico,) = complaint_authorities("GB")
    assert (ico.name, ico.acronym) == ("Information Commissioner's Office", "ICO")
    assert ico.law == "UK GDPR"
    assert ico.address.splitlines() == [
        "Wycliffe House", "Water Lane", "Wilmslow", "Cheshire", "SK9 5AF", "United Kingdom",
    ]  # fmt: skip
    assert ico.website == "https://ico.org.uk/make-a-complaint/"
    assert "Data Protection Act 2018" in ico.citation
    assert ico.role is Role.SUPERVISORY_AUTHORITY


def test_california_gives_the_cppa_then_the_attorney_general():
    cppa, ag = complaint_authorities("US-CA")
    assert (cppa.acronym, cppa.role) == ("CPPA", Role.PRIVACY_AGENCY)
    assert "§1798.199.10" in cppa.citation
    assert "§1798.155" in cppa.citation
    assert ag.role is Role.ATTORNEY_GENERAL
    assert "Attorney General" in ag.name
    assert ag.citation == "Cal. Civ. Code §1798.199.90"
    assert {cppa.law, ag.law} == {"CCPA"}
    assert all(a.code == "US-CA" for a in (cppa, ag))


@pytest.mark.parametrize("state", STATES)
def test_every_state_with_a_law_gives_its_attorney_general(state):
    (ag,) = complaint_authorities(f"US-{state}")
    assert ag.code == f"US-{state}"
    assert ag.role is Role.ATTORNEY_GENERAL
    assert ag.law == US_STATE_LAWS[state].name
    assert ag.citation
    assert urlsplit(ag.website).scheme == "https"


def test_brazil_and_canada():
    (anpd,) = complaint_authorities("BR")
    assert (anpd.acronym, anpd.law) == ("ANPD", "LGPD")
    assert "Art. 18 §1" in anpd.citation
    assert "Art. 55-J" in anpd.citation
    (opc,) = complaint_authorities("CA")
    assert (opc.acronym, opc.role, opc.law) == ("OPC", Role.PRIVACY_COMMISSIONER, "PIPEDA")
    assert opc.citation == "PIPEDA s.11(1)"


@pytest.mark.parametrize(
    "code",
    ["US-WY", "US-FL", "US-DC", "OTHER", "US", "EU", "JP", "CH"],
    ids=["state without a law", "Florida is left out", "DC", "other", "US without a state",
         "EU without a country", "Japan", "Switzerland is not in the EEA"],
)  # fmt: skip
def test_residences_without_a_known_authority_get_general_wording(code):
    assert complaint_authorities(code) == ()


@pytest.mark.parametrize("code", ["fr", " FR ", "us-ca", "  Us-Va\n", "gb"])
def test_codes_are_normalised(code):
    assert complaint_authorities(code) == complaint_authorities(code.strip().upper())
    assert complaint_authorities(code)


@pytest.mark.parametrize("code", ["", "XX", "US-ZZ", "France", "FR-75", None, 33])
def test_an_invalid_code_raises_value_error(code):
    with pytest.raises(ValueError, match="unknown jurisdiction"):
        complaint_authorities(code)


def test_every_entry_is_complete_and_printable():
    for a in _all():
        assert a.name and a.law and a.citation, a
        parts = urlsplit(a.website)
        assert parts.scheme == "https" and parts.netloc, a.website
        assert a.name != a.local_name, a.code  # "" when the name is English
        assert a.address == a.address.strip(), a.code
        assert all(line.strip() == line and line for line in a.address.splitlines()), a.code
        assert a.note == a.note.strip(), a.code


def test_entries_are_frozen():
    (ico,) = complaint_authorities("GB")
    with pytest.raises(AttributeError):
        ico.website = "https://example.com"  # type: ignore[misc]


def test_the_module_is_pure():
    source = Path(authorities.__file__).read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert not imported & {"django", "time", "datetime"}
