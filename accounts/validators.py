"""Validators for Chinese identifiers: unified social credit codes and mobile numbers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import uscc

MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")


def normalize_credit_code(value: str) -> str:
    return uscc.compact(value)


def validate_credit_code(value: str) -> None:
    """GB 32100-2015: 18 characters, digits in places 1 to 8, a check character at the end.

    python-stdnum does the arithmetic; the messages here tell the user what to fix.
    """
    try:
        uscc.validate(value)
    except stdnum_exceptions.InvalidLength:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d."),
            code="credit_code_length",
            params={"count": len(normalize_credit_code(value))},
        ) from None
    except stdnum_exceptions.InvalidChecksum:
        raise ValidationError(
            _("The check character of this unified social credit code is wrong: please check it."),
            code="credit_code_check",
        ) from None
    except stdnum_exceptions.ValidationError:
        raise ValidationError(
            _(
                "A unified social credit code has digits in places 1 to 8, then digits and "
                "capital letters other than I, O, S, V and Z."
            ),
            code="credit_code_characters",
        ) from None


def validate_mobile(value: str) -> None:
    if not MOBILE_PATTERN.match(value):
        raise ValidationError(
            _("Enter an 11-digit mainland China mobile number, e.g. 13812345678."),
            code="mobile_format",
        )
