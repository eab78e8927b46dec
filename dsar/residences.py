"""Where a requester lives, as every intake asks it: the public form, staff intake and CSV import.

One list for all three, so a request typed in by staff or imported from a spreadsheet is judged
by the same laws as one sent through the form. It holds every US state and the District of
Columbia (each state's consumer privacy law, ``dsar.jurisdictions.US_STATE_LAWS``, binds its own
residents), every EU/EEA country (the GDPR; the country also names the supervisory authority a
letter points to), the United Kingdom (the UK GDPR), Canada (PIPEDA), Brazil (the LGPD) and
"elsewhere" (``OTHER``). What is stored is the ISO 3166 code: ``US-VA``, ``FR``, ``GB``, ``OTHER``.

Requests logged before this list existed may hold the coarse codes ``US`` (a US state not given)
and ``EU`` (an EU/EEA country not given); ``label`` still names them, but no intake offers them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dsar import jurisdictions

ELSEWHERE = "OTHER"

# ISO 3166-2:US: the fifty states and the District of Columbia.
US_STATES: dict[str, Promise] = {
    "AL": _("Alabama"), "AK": _("Alaska"), "AZ": _("Arizona"), "AR": _("Arkansas"),
    "CA": _("California"), "CO": _("Colorado"), "CT": _("Connecticut"), "DE": _("Delaware"),
    "DC": _("District of Columbia"), "FL": _("Florida"), "GA": _("Georgia"), "HI": _("Hawaii"),
    "ID": _("Idaho"), "IL": _("Illinois"), "IN": _("Indiana"), "IA": _("Iowa"),
    "KS": _("Kansas"), "KY": _("Kentucky"), "LA": _("Louisiana"), "ME": _("Maine"),
    "MD": _("Maryland"), "MA": _("Massachusetts"), "MI": _("Michigan"), "MN": _("Minnesota"),
    "MS": _("Mississippi"), "MO": _("Missouri"), "MT": _("Montana"), "NE": _("Nebraska"),
    "NV": _("Nevada"), "NH": _("New Hampshire"), "NJ": _("New Jersey"), "NM": _("New Mexico"),
    "NY": _("New York"), "NC": _("North Carolina"), "ND": _("North Dakota"), "OH": _("Ohio"),
    "OK": _("Oklahoma"), "OR": _("Oregon"), "PA": _("Pennsylvania"), "RI": _("Rhode Island"),
    "SC": _("South Carolina"), "SD": _("South Dakota"), "TN": _("Tennessee"), "TX": _("Texas"),
    "UT": _("Utah"), "VT": _("Vermont"), "VA": _("Virginia"), "WA": _("Washington"),
    "WV": _("West Virginia"), "WI": _("Wisconsin"), "WY": _("Wyoming"),
}  # fmt: skip

# The EU member states, then Iceland, Liechtenstein and Norway (the GDPR through the EEA
# Agreement); the same codes as ``dsar.jurisdictions.EEA_MEMBERS``.
EEA_COUNTRIES: dict[str, Promise] = {
    "AT": _("Austria"), "BE": _("Belgium"), "BG": _("Bulgaria"), "HR": _("Croatia"),
    "CY": _("Cyprus"), "CZ": _("Czechia"), "DK": _("Denmark"), "EE": _("Estonia"),
    "FI": _("Finland"), "FR": _("France"), "DE": _("Germany"), "GR": _("Greece"),
    "HU": _("Hungary"), "IE": _("Ireland"), "IT": _("Italy"), "LV": _("Latvia"),
    "LT": _("Lithuania"), "LU": _("Luxembourg"), "MT": _("Malta"), "NL": _("Netherlands"),
    "PL": _("Poland"), "PT": _("Portugal"), "RO": _("Romania"), "SK": _("Slovakia"),
    "SI": _("Slovenia"), "ES": _("Spain"), "SE": _("Sweden"),
    "IS": _("Iceland"), "LI": _("Liechtenstein"), "NO": _("Norway"),
}  # fmt: skip

OTHER_COUNTRIES: dict[str, Promise] = {
    "GB": _("United Kingdom"),
    "CA": _("Canada"),
    "BR": _("Brazil"),
}

# Every code an intake accepts, with its name.
NAMES: dict[str, Promise] = {
    **{f"US-{state}": name for state, name in US_STATES.items()},
    **EEA_COUNTRIES,
    **OTHER_COUNTRIES,
    ELSEWHERE: _("Elsewhere"),
}
# Codes of requests logged before this list: named, never offered.
_LEGACY: dict[str, Promise] = {
    "US": _("United States (state not given)"),
    "EU": _("EU/EEA (country not given)"),
}

assert set(EEA_COUNTRIES) == set(jurisdictions.EEA_MEMBERS)  # noqa: S101 - one list of the EEA


def _sort_key(text: object) -> str:
    """Alphabetical in any of our languages: "Míchigan" between "Massachusetts" and "Minnesota"."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _sorted(items: Iterable[tuple[str, Promise]]) -> list[tuple[str, str]]:
    return sorted(((code, str(name)) for code, name in items), key=lambda i: _sort_key(i[1]))


def grouped_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The list as a form's ``<select>`` shows it: named groups, each sorted in the current
    language (call it per request: the names are translated when it runs)."""
    return [
        (str(_("United States")), _sorted((f"US-{s}", n) for s, n in US_STATES.items())),
        (str(_("European Union, Iceland, Liechtenstein, Norway")), _sorted(EEA_COUNTRIES.items())),
        (str(_("Other countries")), _sorted(OTHER_COUNTRIES.items())),
        (str(_("None of these")), [(ELSEWHERE, str(NAMES[ELSEWHERE]))]),
    ]


def is_offered(code: str) -> bool:
    return code in NAMES


def label(code: str) -> str:
    """The place in words in the current language ("Virginia", "Francia"); "" for ""."""
    if not code:
        return ""
    found = NAMES.get(code) or _LEGACY.get(code)
    if found is not None:
        return str(found)
    try:
        return jurisdictions.Jurisdiction.parse(code).name
    except ValueError:
        return code


def parse(value: str) -> str:
    """The code of ``value`` ("us-va" → "US-VA"), or a ValueError that says what to write."""
    code = (value or "").strip().upper()
    if code in NAMES:
        return code
    hint = ""
    if code in ("US", "EU"):
        hint = " Give the state (US-VA) or the country (FR)."
    elif code:
        try:
            place = jurisdictions.Jurisdiction.parse(code)
        except ValueError:
            place = None
        if place is not None:
            hint = f" {place.name} is not in the list: write {ELSEWHERE} (elsewhere)."
    raise ValueError(
        f"unknown residence {value!r}: use a US state (US-CA, US-VA, US-DC), an EU/EEA country "
        f"(FR, DE, IE, …), GB, CA, BR or {ELSEWHERE}.{hint}"
    )
