"""Chinese patent numbers: the written forms people use, the check character, type and year."""

import dataclasses
import re

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from innovations.patent_numbers import (
    PatentNumber,
    check_character,
    normalize_patent_number,
    parse_patent_number,
    validate_patent_number,
)

# The lead adds the zh-hans msgstr entries to config/locale; until then the Chinese-message tests
# fail by design, and strict=True makes the suite say so once the catalog has them.
CJK = re.compile(r"[\u4e00-\u9fff]")

# Real numbers, each with where the search tool found it (repository and path, or page).
REAL_NUMBERS = [
    # Granted invention, grant publication CN 116455754 B (2025-09-16), applicant
    # 香港中文大学（深圳）: YueLin301/yuelin301.github.io, _tabs/about.md.
    pytest.param("ZL 2023 1 0397744.0", "CN202310397744.0", "invention", id="granted-2023"),
    # Invention application published as CN106844774A (苏州朗动网络科技有限公司):
    # BenDaye/Nuxt-Vuetify-Koa, components/query/property/mock-zhuanlixinxi.js.
    pytest.param("CN201710117081.7", "CN201710117081.7", "invention", id="application-2017"),
    # Utility-model patents quoted as historical data in yutian1012/migrate-core,
    # src/main/java/com/ipph/migratecore/deal/format/PatentNoFormater.java.
    pytest.param("ZL 2008 2 0009767.0", "CN200820009767.0", "utility_model", id="utility-2008"),
    pytest.param("ZL200820132792.8", "CN200820132792.8", "utility_model", id="utility-2008-b"),
    # Granted 2022-08-16 to 太原理工大学, a real number whose check character is X: a lab's
    # patent table in the search tool's code index ("专利号:ZL202110377287.X").
    pytest.param("ZL202110377287.X", "CN202110377287.X", "invention", id="granted-check-x"),
    # Old 8-digit numbers, the worked examples on chengju.com/wenhua/33720.html.
    pytest.param("ZL95115608.X", "CN95115608.X", "invention", id="old-1995-check-x"),
    pytest.param("97101765.4", "CN97101765.4", "invention", id="old-1997"),
]


def number_with_valid_check(digits: str) -> str:
    return f"{digits}.{check_character(digits)}"


def refusal_code(text: str) -> str:
    with pytest.raises(ValidationError) as refused:
        parse_patent_number(text)
    return refused.value.code


# --- the check character -------------------------------------------------------------------


def test_the_example_in_the_messages_is_itself_a_valid_number():
    assert normalize_patent_number("ZL 2023 1 0123456.6") == "CN202310123456.6"


def test_check_character_follows_the_published_worked_example():
    # given the example on dfrtw.com/zhuanlichaxun/31487.html: 201710601862.3, where
    # 2*2+0*3+1*4+7*5+1*6+0*7+6*8+0*9+1*2+8*3+6*4+2*5 = 157, and 157 mod 11 = 3
    digits = "201710601862"

    # when / then
    assert check_character(digits) == "3"


def test_a_remainder_of_ten_is_written_x():
    # given 95115608: 9*2+5*3+1*4+1*5+5*6+6*7+0*8+8*9 = 186, and 186 mod 11 = 10
    assert check_character("95115608") == "X"


@pytest.mark.parametrize(("written", "canonical", "kind"), REAL_NUMBERS)
def test_real_published_numbers_are_accepted(written, canonical, kind):
    # when
    number = parse_patent_number(written)

    # then
    assert str(number) == canonical
    assert number.kind == kind


@pytest.mark.parametrize(("written", "canonical", "kind"), REAL_NUMBERS)
def test_a_real_number_with_another_check_character_is_refused(written, canonical, kind):
    # given the real number with its last character replaced by the next one in 0-9, X
    alphabet = "0123456789X"
    wrong = canonical[:-1] + alphabet[(alphabet.index(canonical[-1]) + 1) % len(alphabet)]

    # when / then
    assert refusal_code(wrong) == "patent_number_check"


def test_202310123456_with_check_7_is_refused_because_its_check_is_6():
    # 2*2+0*3+2*4+3*5+1*6+0*7+1*8+2*9+3*2+4*3+5*4+6*5 = 127, and 127 mod 11 = 6
    assert refusal_code("CN202310123456.7") == "patent_number_check"


def test_a_swapped_pair_of_digits_is_caught_by_the_check():
    # given ZL 2023 1 0397744.0 with "97" typed as "79"
    assert refusal_code("ZL 2023 1 0377944.0") == "patent_number_check"


# --- written forms -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "CN202310397744.0",
        "202310397744.0",
        "ZL 2023 1 0397744.0",
        "ZL202310397744.0",
        "CN 2023 1 0397744.0",
        "zl 2023 1 0397744.0",
        "cn202310397744.0",
        "Zl2023 10397744.0",
        "2023103977440",
        "  ZL 2023 1 0397744.0\n",
        "ZL\u00a02023\u00a01\u00a00397744.0",
        "ＺＬ２０２３１０３９７７４４．０",
        "ＣＮ２０２３\u30001\u30000397744．0",
        "ZL 2023 1 0397744。0",
    ],
)
def test_every_common_written_form_gives_the_same_canonical_number(written):
    assert normalize_patent_number(written) == "CN202310397744.0"


@pytest.mark.parametrize(
    "written",
    ["ZL 95 1 15608.X", "zl95115608.x", "CN95115608.X", "95115608X", "ＺＬ９５１１５６０８．Ｘ"],
)
def test_old_eight_digit_numbers_keep_their_two_digit_year(written):
    assert normalize_patent_number(written) == "CN95115608.X"


def test_an_old_number_knows_its_full_year_and_parts():
    # given the old-format example ZL 98 1 23456 with its check character
    # 9*2+8*3+1*4+2*5+3*6+4*7+5*8+6*9 = 196, and 196 mod 11 = 9
    number = parse_patent_number("ZL 98 1 23456.9")

    # then
    assert number == PatentNumber(
        year=1998, type_digit=1, serial="23456", check="9", old_format=True
    )
    assert str(number) == "CN98123456.9"


def test_old_numbers_from_2000_to_2003_have_years_in_this_century():
    # given an old-format number filed in 2003, before the 12-digit numbers began on 2003-10-01
    written = number_with_valid_check("03112345")

    # then
    assert parse_patent_number(written).year == 2003


def test_a_new_number_exposes_its_parts():
    # when
    number = parse_patent_number("ZL 2023 1 0397744.0")

    # then
    assert number.year == 2023
    assert number.type_digit == 1
    assert number.serial == "0397744"
    assert number.check == "0"
    assert number.old_format is False
    assert number.digits == "202310397744"


def test_a_patent_number_cannot_be_changed_once_parsed():
    number = parse_patent_number("CN202310397744.0")

    with pytest.raises(dataclasses.FrozenInstanceError):
        number.check = "1"


@pytest.mark.parametrize(
    "written",
    [
        pytest.param("", id="empty"),
        pytest.param("ZL", id="prefix-only"),
        pytest.param("2023103977", id="too-few-digits"),
        pytest.param("CN2023103977440.0", id="too-many-digits"),
        pytest.param("CN202310397744.00", id="two-check-characters"),
        pytest.param("US202310397744.0", id="foreign-prefix"),
        pytest.param("ZLCN202310397744.0", id="two-prefixes"),
        pytest.param("ZL 2023 1 0397744.A", id="letter-check"),
        pytest.param("ZL-2023-1-0397744.0", id="hyphens"),
        pytest.param("CN116455754B", id="publication-number-not-application-number"),
        pytest.param("ZL10123456.7", id="old-format-with-a-year-after-2003"),
        pytest.param("ZL84123456.7", id="old-format-with-a-year-before-1985"),
        pytest.param("٢٠٢٣١٠٣٩٧٧٤٤.٠", id="arabic-indic-digits"),
        pytest.param(None, id="not-text"),
    ],
)
def test_text_that_is_not_a_patent_number_is_refused_as_format(written):
    assert refusal_code(written) == "patent_number_format"


# --- type digit and kind -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_digit", "kind"),
    [(1, "invention"), (2, "utility_model"), (3, "design"), (8, "invention"), (9, "utility_model")],
)
def test_the_type_digit_gives_the_kind_of_patent(type_digit, kind):
    # given a 2023 number with this type digit and a correct check character
    written = number_with_valid_check(f"2023{type_digit}0397744")

    # then
    assert parse_patent_number(written).kind == kind


@pytest.mark.parametrize("type_digit", [0, 4, 5, 6, 7])
def test_other_type_digits_are_refused(type_digit):
    # given a correct check character, so only the type digit is wrong
    written = number_with_valid_check(f"2023{type_digit}0397744")

    assert refusal_code(written) == "patent_number_type"


def test_an_old_number_with_an_unknown_type_digit_is_refused():
    assert refusal_code(number_with_valid_check("98523456")) == "patent_number_type"


# --- year ----------------------------------------------------------------------------------


def test_the_first_year_of_the_patent_law_is_accepted():
    assert parse_patent_number(number_with_valid_check("198510000001")).year == 1985


def test_a_year_before_the_patent_law_is_refused():
    assert refusal_code(number_with_valid_check("198410000001")) == "patent_number_year"


def test_this_year_is_accepted_and_next_year_is_refused():
    this_year = timezone.localdate().year

    assert parse_patent_number(number_with_valid_check(f"{this_year}10000001")).year == this_year
    assert refusal_code(number_with_valid_check(f"{this_year + 1}10000001")) == (
        "patent_number_year"
    )


# --- use as a field validator --------------------------------------------------------------


class PatentForm(forms.Form):
    patent_number = forms.CharField(validators=[validate_patent_number])


def test_the_validator_accepts_a_valid_number_in_a_form():
    form = PatentForm(data={"patent_number": "ZL 2023 1 0397744.0"})

    assert form.is_valid()


def test_the_validator_reports_the_error_code_in_a_form():
    form = PatentForm(data={"patent_number": "ZL 2023 1 0397744.1"})

    assert not form.is_valid()
    assert form.errors.as_data()["patent_number"][0].code == "patent_number_check"


def test_the_validator_returns_nothing_for_a_valid_number():
    assert validate_patent_number("CN202310397744.0") is None


# --- messages ------------------------------------------------------------------------------


def refusal_message(text: str, language: str) -> str:
    # Messages are lazy: raising and reading must both happen in the language under test.
    with translation.override(language):
        with pytest.raises(ValidationError) as refused:
            parse_patent_number(text)
        return refused.value.messages[0]


def test_the_format_message_in_english_shows_an_example():
    message = refusal_message("12345", "en")

    assert message.startswith("Enter the patent number as it is printed on the certificate")
    assert "ZL 2023 1 0123456.6" in message


def test_the_year_message_in_english_names_the_allowed_years():
    this_year = timezone.localdate().year

    message = refusal_message(number_with_valid_check("198410000001"), "en")

    assert f"between 1985 and {this_year}" in message


def test_the_format_message_in_chinese_shows_an_example():
    message = refusal_message("12345", "zh-hans")

    assert CJK.search(message)
    assert "ZL 2023 1 0123456.6" in message


def test_the_check_message_in_chinese():
    message = refusal_message("ZL 2023 1 0397744.1", "zh-hans")

    assert CJK.search(message)
    assert message != refusal_message("ZL 2023 1 0397744.1", "en")
