"""A fee as a letter prints it: the amount with its ISO 4217 currency, in the letter's language.

Staff write the amount as a number ("25", "25.00", or "25.00 USD" as before); the letter prints
it with its currency and the decimal separator of its language ("USD 25.00", "25,00 USD"), so
no reader has to guess which dollar or whether the comma is a decimal point. The currency is the
one written with the amount, else the request's fee currency, else the organization's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils import formats, translation

# ISO 4217 minor units where they are not 2 (the currencies a fee is likely to be asked in).
_MINOR_UNITS = {
    "JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0, "XOF": 0, "XAF": 0, "UGX": 0, "PYG": 0,
    "BHD": 3, "JOD": 3, "KWD": 3, "OMR": 3, "TND": 3, "IQD": 3, "LYD": 3,
}  # fmt: skip
# Symbols staff may type: accepted, and dropped in favour of the code.
_SYMBOLS = {"$": "", "€": "EUR", "£": "GBP", "¥": "", "R$": "BRL"}
_CODE = re.compile(r"\b([A-Za-z]{3})\b")
_NUMBER = re.compile(r"^\d{1,3}(?:[.,\s\u00a0\u202f]\d{3})*(?:[.,]\d+)?$|^\d+(?:[.,]\d+)?$")


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str  # ISO 4217, upper case

    def printed(self, language: str) -> str:
        """ "USD 25.00" in English, "25,00 USD" in Spanish: the code, never an ambiguous sign."""
        places = _MINOR_UNITS.get(self.currency, 2)
        with translation.override(language):
            number = formats.number_format(
                self.amount, decimal_pos=places, use_l10n=True, force_grouping=True
            )
        return f"{self.currency} {number}" if language == "en" else f"{number} {self.currency}"


def _decimal(text: str) -> Decimal | None:
    """The number in ``text``: "25", "25.5", "1,250.00", "1.250,00" and "25,50" all read."""
    text = text.strip()
    if not text or not _NUMBER.match(text):
        return None
    digits = re.sub(r"[\s\u00a0\u202f]", "", text)
    last_dot, last_comma = digits.rfind("."), digits.rfind(",")
    if last_dot >= 0 and last_comma >= 0:  # the later one is the decimal separator
        decimal_sep = "." if last_dot > last_comma else ","
    elif last_comma >= 0:  # "25,50" is a decimal comma, "1,250" a thousands separator
        decimal_sep = "," if len(digits) - last_comma - 1 != 3 else ""
    else:  # one dot is a decimal point ("25.00", "1.250"); several separate thousands
        decimal_sep = "." if digits.count(".") == 1 else ""
    thousands = {",", "."} - {decimal_sep}
    for sep in thousands:
        digits = digits.replace(sep, "")
    if decimal_sep:
        digits = digits.replace(decimal_sep, ".")
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def parse(text: str, default_currency: str) -> Money | None:
    """The fee staff wrote (a number, optionally with a currency code or sign), or None when it
    is not a positive amount."""
    text = (text or "").strip()
    currency = ""
    for symbol, code in sorted(_SYMBOLS.items(), key=lambda item: -len(item[0])):
        if symbol in text:
            text = text.replace(symbol, " ")
            currency = currency or code
    if found := _CODE.search(text):
        currency = found.group(1).upper()
        text = text[: found.start()] + text[found.end() :]
    amount = _decimal(text)
    if amount is None or amount <= 0:
        return None
    return Money(amount, (currency or default_currency or "USD").upper())
