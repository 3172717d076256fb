"""The corpus of nasty values, and what a field of each kind must do with them.

A value is either one every field of its kind must refuse (nothing written), or one it may take
(a title may well contain "<b>" or an emoji: it is stored as text and escaped when shown). No
value may ever cause a server error.
"""

from dataclasses import dataclass

LONG = "长" * 10_000
# Sent as raw bytes in a form body: not UTF-8 (a lone surrogate as CESU-8, and 0xFF).
LONE_SURROGATE = b"\xed\xa0\x80"
NOT_UTF8 = b"\xff\xfe"


@dataclass(frozen=True)
class Nasty:
    name: str
    value: str | bytes
    # Which field kinds must refuse it; "text" means any length-limited or required text.
    refused_by: frozenset


def _nasty(name, value, *kinds) -> Nasty:
    return Nasty(name, value, frozenset(kinds))


# Kinds: text (free text with max_length ≤ 300, required), format (email, mobile, code, number
# with a pattern), number (decimal or integer with a range), choice (one of a list), id (a
# foreign key), amount (money: positive, two decimals at most).
ALL = ("text", "format", "number", "choice", "id", "amount")
EMPTY_REFUSERS = ("text", "number", "choice", "id", "amount", "format")

TEXT_VALUES = [
    _nasty("empty", "", *EMPTY_REFUSERS),
    _nasty("whitespace only", " \t\n\u3000 ", *EMPTY_REFUSERS),
    _nasty("10,000 characters", LONG, *ALL),
    _nasty("NUL byte", "abc\x00def", *ALL),
    _nasty(
        "HTML",
        "<b>粗体</b><img src=x onerror=alert(1)>",
        "format",
        "number",
        "choice",
        "id",
        "amount",
    ),
    _nasty("script", "<script>alert('xss')</script>", "format", "number", "choice", "id", "amount"),
    _nasty("SQL", "' OR 1=1 --", "format", "number", "choice", "id", "amount"),
    _nasty(
        "SQL drop", "1; DROP TABLE accounts_user; --", "format", "number", "choice", "id", "amount"
    ),
    _nasty("RTL override", "\u202egnp.exe", "format", "number", "choice", "id", "amount"),
    _nasty("zero-width joiner", "a\u200db\u200b", "format", "number", "choice", "id", "amount"),
    _nasty("emoji", "👷\u200d♀️🔧🏭", "format", "number", "choice", "id", "amount"),
    _nasty("lone surrogate", LONE_SURROGATE, "format", "number", "choice", "id", "amount"),
    _nasty("not UTF-8", NOT_UTF8, "format", "number", "choice", "id", "amount"),
]

NUMBER_VALUES = [
    _nasty("letters", "abc", "number", "id", "amount", "choice"),
    _nasty("negative", "-1", "number", "id", "amount", "choice"),
    _nasty("1e309", "1e309", "number", "id", "amount", "choice"),
    _nasty("20 digits", "99999999999999999999", "number", "id", "amount", "choice"),
    _nasty("three decimals", "1.001", "number", "id", "amount", "choice"),
    _nasty("NaN", "NaN", "number", "id", "amount", "choice"),
    _nasty("Infinity", "Infinity", "number", "id", "amount", "choice"),
    _nasty("-Infinity", "-Infinity", "number", "id", "amount", "choice"),
    _nasty("thousands separator", "1,000", "number", "id", "amount", "choice"),
    _nasty("hexadecimal", "0x10", "number", "id", "amount", "choice"),
    _nasty("zero", "0", "id", "amount", "choice"),
]

CREDIT_CODES = [
    _nasty("17 characters", "91310115MA1H7K2X3", "format"),
    _nasty("wrong check character", "91310115MA1H7K2X31", "format"),
    _nasty("forbidden letter I", "9131011IMA1H7K2X30", "format"),
    _nasty("letters where digits go", "ABCDEFGHMA1H7K2X30", "format"),
    _nasty("full-width", "９１３１０１１５ＭＡ１Ｈ７Ｋ２Ｘ３０"),
    _nasty("Chinese", "统一社会信用代码统一社会信用代码统一", "format"),
]

PATENT_NUMBERS = [
    _nasty("wrong check digit", "ZL 2023 1 0397744.1", "format"),
    _nasty("no check digit", "CN202310397744", "format"),
    _nasty("letter in serial", "CN20231039774X.0", "format"),
    _nasty("year 1899", "ZL 1899 1 0397744.0", "format"),
    _nasty("type digit 5", "CN202350397744.0", "format"),
    _nasty("too short", "ZL 2023 1", "format"),
    _nasty("full-width", "ＣＮ２０２３１０３９７７４４.０"),
    _nasty("US number", "US 10,123,456 B2", "format"),
]


def refuses(kind: str, nasty: Nasty) -> bool:
    return kind in nasty.refused_by


def values_for(kind: str) -> list[Nasty]:
    if kind in ("number", "id", "amount", "choice"):
        return TEXT_VALUES + NUMBER_VALUES
    return TEXT_VALUES


def form_query(data: dict) -> str:
    """A query string; bytes values go as they are (invalid UTF-8 included)."""
    from urllib.parse import urlencode

    return urlencode(data, doseq=True)
