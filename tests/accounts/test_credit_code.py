"""Unified social credit codes (GB 32100-2015) are checked; the message says what is wrong."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.validators import validate_credit_code, validate_mobile
from tests.factories.accounts import EnterpriseFactory


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # the example printed in GB 32100-2015
        "91310115MA1H7K2X30",
        "91310104MA1FR3TL0A",  # check character is a letter
        "91310104ma1fr3tl0a",  # lower case is the same code
    ],
)
def test_valid_codes_pass(code):
    validate_credit_code(code)


@pytest.mark.parametrize(
    ("code", "error_code"),
    [
        ("91350100M000100Y4", "credit_code_length"),
        ("91350100M000100Y433", "credit_code_length"),
        ("", "credit_code_length"),
        ("91350100M000100Y44", "credit_code_check"),
        ("9135010OM000100Y43", "credit_code_characters"),  # letter O in the division code
        ("91350100M0001I0Y43", "credit_code_characters"),  # I is not in the alphabet
        ("<script>alert(1)<", "credit_code_length"),
    ],
)
def test_invalid_codes_are_refused_with_the_reason(code, error_code):
    with pytest.raises(ValidationError) as error:
        validate_credit_code(code)

    assert error.value.code == error_code


def test_the_message_is_in_chinese_by_default():
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as error:
            validate_credit_code("91350100M000100Y44")
        message = str(error.value.messages[0])

    assert "校验位" in message


def test_the_message_is_in_english_when_english_is_active():
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            validate_credit_code("91350100M000100Y44")
        message = str(error.value.messages[0])

    assert "check character" in message


def test_an_enterprise_with_a_bad_code_does_not_validate(db):
    enterprise = EnterpriseFactory.build(credit_code="91350100M000100Y44")

    with pytest.raises(ValidationError) as error:
        enterprise.full_clean()

    assert "credit_code" in error.value.message_dict


@pytest.mark.parametrize("mobile", ["13812345678", "19912345678"])
def test_mainland_mobiles_pass(mobile):
    validate_mobile(mobile)


@pytest.mark.parametrize("mobile", ["1381234567", "23812345678", "12812345678", "1381234567a", ""])
def test_other_numbers_are_refused(mobile):
    with pytest.raises(ValidationError):
        validate_mobile(mobile)
