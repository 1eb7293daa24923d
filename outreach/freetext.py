"""Free text people type (notes, reasons): a soft check that it does not identify a person."""

from __future__ import annotations

import re
from datetime import date

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
# Inward codes never use C, I, K, M, O or V; "x2 2nd" is an ordinal, not a postcode.
_POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?(?!\d(?:st|nd|rd|th)\b)\d[ABD-HJLNP-UW-Z]{2})\b",
    re.IGNORECASE,
)
# Runs of digits with the separators people type in phone numbers.
_DIGIT_RUN = re.compile(r"(?<![\w/.])\+?\(?\d[\d ()\-]{7,}\d(?![\w/])")
_DOB_WORDS = re.compile(r"\b(?:d\.?\s?o\.?\s?b\b\.?|date of birth|born (?:on|in)\b)", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_WORD_DATE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?,?\s+(\d{{4}})"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(\d{{4}}))\b",
    re.IGNORECASE,
)
# A Swedish personal identity number holds the birth date.
_PERSONNUMMER = re.compile(r"\b(?:19|20)?\d{6}[-+]\d{4}\b")


def _full_year(raw: str, today: date) -> int:
    year = int(raw)
    if len(raw) == 2:
        year += 2000 if year <= today.year % 100 else 1900
    return year


def _old_enough_to_be_a_birth_year(year: int, today: date) -> bool:
    """Dates of this month's session are fine; a year 10 or more back is likely a birth."""
    return 1900 <= year <= today.year - 10


def _is_phone(run: str) -> bool:
    digits = re.sub(r"\D", "", run)
    international = run.startswith("+") or digits.startswith("00")
    if digits.startswith("0044"):
        rest = digits[4:]
    elif run.startswith("+44"):
        rest = digits[2:]
    elif international:
        return 9 <= len(digits.lstrip("0")) <= 15
    elif digits.startswith("0"):
        rest = digits[1:]
    else:
        return False
    rest = rest[1:] if rest.startswith("0") else rest  # "+44 (0)7700 …"
    return len(rest) in (9, 10) and rest[0] in "1235789"


def identifying_detail(text: str | None, today: date | None = None) -> str | None:
    """The kind of identifying detail the text seems to hold ('dob', 'phone', 'email',
    'postcode'), or None. A soft check: it catches the common shapes, not every one."""
    if not text:
        return None
    today = today or date.today()
    if _EMAIL.search(text):
        return "email"
    if _DOB_WORDS.search(text) or _PERSONNUMMER.search(text):
        return "dob"
    for m in _NUMERIC_DATE.finditer(text):
        a, b = int(m.group(1)), int(m.group(2))
        plausible = 1 <= min(a, b) <= 12 and max(a, b) <= 31
        if plausible and _old_enough_to_be_a_birth_year(_full_year(m.group(3), today), today):
            return "dob"
    for m in _ISO_DATE.finditer(text):
        if _old_enough_to_be_a_birth_year(int(m.group(1)), today):
            return "dob"
    for m in _WORD_DATE.finditer(text):
        if _old_enough_to_be_a_birth_year(int(m.group(1) or m.group(2)), today):
            return "dob"
    if any(_is_phone(m.group(0)) for m in _DIGIT_RUN.finditer(text)):
        return "phone"
    if _POSTCODE.search(text):
        return "postcode"
    return None
