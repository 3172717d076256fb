"""Money is Decimal yuan with two places (fen): one rounding rule, one conversion to fen."""

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
# What one Stripe CNY payment may be at most: 99,999,999 fen.
STRIPE_MAX_FEN = 99_999_999


def quantize_yuan(amount: Decimal) -> Decimal:
    """Round to the fen, half up (the usual commercial rule in China)."""
    if not isinstance(amount, Decimal):
        raise TypeError("Money must be Decimal, never float.")
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def yuan_to_fen(amount: Decimal) -> int:
    quantized = quantize_yuan(amount)
    if quantized != amount:
        raise ValueError(f"{amount} is finer than a fen.")
    return int(quantized * 100)


def fen_to_yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(FEN)


def split_by_weights(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split `total` in proportion to `weights`, rounded to the fen, summing exactly to total.

    Largest remainder: every part is rounded down to the fen, then the fen left over go one
    each to the parts with the largest remainders (earlier parts first on ties).
    """
    if not weights or any(weight < 0 for weight in weights) or sum(weights) <= 0:
        raise ValueError("Weights must be non-negative and not all zero.")
    if total < 0:
        # Only money received is shared; a reversal posts the negated split instead.
        raise ValueError("Only a non-negative total can be split.")
    total_fen = yuan_to_fen(total)
    weight_sum = sum(weights)
    exact = [Decimal(total_fen) * weight / weight_sum for weight in weights]
    floors = [int(part) for part in exact]
    leftover = total_fen - sum(floors)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for index in by_remainder[:leftover]:
        floors[index] += 1
    return [fen_to_yuan(part) for part in floors]
