"""Money in templates: amounts in yuan, shown the way Chinese invoices write them."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()

FEN = Decimal("0.01")
NOT_STATED = "—"


@register.filter
def yuan(amount: Decimal | int | str | None) -> str:
    """¥1,234,567.50 for Decimal("1234567.5"); "—" for None (no amount was given).

    Decimal arithmetic throughout: a float would turn 0.1 into 0.1000000000000000055…
    Amounts are stored to the fen already; rounding half up is for callers that pass more
    places, and matches how a cashier rounds.
    """
    if amount is None or amount == "":
        return NOT_STATED
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
        value = value.quantize(FEN, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError):
        return ""
    sign = "-" if value < 0 else ""
    return f"{sign}¥{abs(value):,.2f}"
