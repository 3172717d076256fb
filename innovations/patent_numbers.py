"""Chinese patent application numbers (申请号) and patent numbers (专利号, "ZL" + the same digits).

Two numberings exist, and people write both in many ways (``ZL 2023 1 0397744.0``,
``CN202310397744.0``, ``2023103977440``, full-width ``ＺＬ２０２３…``). This module reads them
all, checks them, and prints one canonical form.

- Since 2003-10-01: 4-digit filing year, 1 type digit, 7-digit serial, ".", check character.
- 1985 to 2003-09-30: 2-digit filing year, 1 type digit, 5-digit serial, ".", check character.

Check character: the digits times the weights 2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5 (the old
8-digit numbers use the first eight), summed, modulo 11; a remainder of 10 is written "X".
Verified against the worked examples 201710601862.3 (dfrtw.com/zhuanlichaxun/31487.html) and
ZL95115608.X, 97101765.4 (chengju.com/wenhua/33720.html), and against the granted numbers quoted in
tests/innovations/test_patent_numbers.py.

Canonical form: "CN" + digits + "." + check, e.g. ``CN202310397744.0``. Old numbers keep their
2-digit year (``CN95115608.X``), as they are printed on old certificates: widening the year would
change the digits the check character was computed over.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The Patent Law of the PRC took effect on 1985-04-01; no number has an earlier filing year.
FIRST_PATENT_YEAR = 1985

KIND_BY_TYPE_DIGIT = {
    1: "invention",
    2: "utility_model",
    3: "design",
    8: "invention",  # PCT application entering the Chinese national phase
    9: "utility_model",  # PCT application entering the Chinese national phase
}

_CHECK_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)

# After NFKC folding, upper-casing and removing whitespace. The dot is optional because
# databases often print the number without it (2023103977440).
_WRITTEN_FORM = re.compile(r"(?:CN|ZL)?(?P<digits>[0-9]{12}|[0-9]{8})\.?(?P<check>[0-9X])")

# Old 2-digit years run from 85 (1985) to 03 (2003); any other pair is not an old number.
_OLD_FORMAT_YEARS = {
    **{yy: 1900 + yy for yy in range(85, 100)},
    **{yy: 2000 + yy for yy in range(4)},
}

MESSAGES = {
    "patent_number_format": _(
        "Enter the patent number as it is printed on the certificate, for example "
        "ZL 2023 1 0123456.6 or CN202310123456.6: 12 digits, a dot and a check digit "
        "(numbers filed before October 2003 have 8 digits)."
    ),
    "patent_number_type": _(
        "The digit after the year gives the patent type and must be 1, 2, 3, 8 or 9, like the 1 "
        "in ZL 2023 1 0123456.6. Please check the number."
    ),
    "patent_number_year": _(
        "The year in a patent number must be between %(first_year)s and %(this_year)s, like the "
        "2023 in ZL 2023 1 0123456.6. Please check the number."
    ),
    "patent_number_check": _(
        "The last character of this patent number does not match the digits before it. Please "
        "copy the number again from the patent certificate, for example ZL 2023 1 0123456.6."
    ),
}


@dataclass(frozen=True)
class PatentNumber:
    year: int
    type_digit: int
    serial: str
    check: str
    old_format: bool = False

    @property
    def kind(self) -> str:
        """One of "invention", "utility_model", "design"."""
        return KIND_BY_TYPE_DIGIT[self.type_digit]

    @property
    def digits(self) -> str:
        """The digits the check character is computed over."""
        year = f"{self.year % 100:02d}" if self.old_format else f"{self.year:04d}"
        return f"{year}{self.type_digit}{self.serial}"

    def __str__(self) -> str:
        return f"CN{self.digits}.{self.check}"


def check_character(digits: str) -> str:
    """The check character of 12 (or, for old numbers, 8) digits: "0"–"9" or "X"."""
    remainder = sum(int(d) * w for d, w in zip(digits, _CHECK_WEIGHTS, strict=False)) % 11
    return "X" if remainder == 10 else str(remainder)


def parse_patent_number(text: str) -> PatentNumber:
    """Read a written patent or application number; raise ValidationError saying what to fix."""
    match = _WRITTEN_FORM.fullmatch(_fold(text)) if isinstance(text, str) else None
    if match is None:
        raise _refusal("patent_number_format")
    digits, check = match["digits"], match["check"]
    old_format = len(digits) == 8
    year_width = 2 if old_format else 4
    year_text, type_digit = digits[:year_width], int(digits[year_width])
    serial = digits[year_width + 1 :]
    year = _OLD_FORMAT_YEARS.get(int(year_text)) if old_format else int(year_text)
    if year is None:
        raise _refusal("patent_number_format")

    if type_digit not in KIND_BY_TYPE_DIGIT:
        raise _refusal("patent_number_type")
    this_year = timezone.localdate().year
    if not FIRST_PATENT_YEAR <= year <= this_year:
        raise _refusal("patent_number_year", first_year=FIRST_PATENT_YEAR, this_year=this_year)
    if check_character(digits) != check:
        raise _refusal("patent_number_check")
    return PatentNumber(
        year=year, type_digit=type_digit, serial=serial, check=check, old_format=old_format
    )


def normalize_patent_number(text: str) -> str:
    """The canonical form, e.g. "ZL 2023 1 0397744.0" → "CN202310397744.0"."""
    return str(parse_patent_number(text))


def validate_patent_number(text: str) -> None:
    """Django field validator."""
    parse_patent_number(text)


def _fold(text: str) -> str:
    # NFKC turns full-width letters, digits and "．" into ASCII; "。" is what a Chinese input
    # method types for the dot, and NFKC leaves it alone.
    folded = unicodedata.normalize("NFKC", text).replace("。", ".").upper()
    return re.sub(r"\s+", "", folded)


def _refusal(code: str, **params: object) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params or None)
