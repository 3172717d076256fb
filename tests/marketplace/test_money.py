"""Money is Decimal yuan rounded half up to the fen; splits add back to the total exactly."""

from decimal import Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marketplace.money import fen_to_yuan, quantize_yuan, split_by_weights, yuan_to_fen

FEN = Decimal("0.01")


@pytest.mark.parametrize(
    ("amount", "rounded"),
    [
        ("0.005", "0.01"),
        ("0.015", "0.02"),  # half up, not to even
        ("0.025", "0.03"),
        ("2.344999", "2.34"),
        ("2.345", "2.35"),
        ("-0.005", "-0.01"),  # half away from zero
        ("10", "10.00"),
        ("99999999.995", "100000000.00"),
    ],
)
def test_quantize_rounds_half_up_to_the_fen(amount, rounded):
    result = quantize_yuan(Decimal(amount))

    assert result == Decimal(rounded)
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize("amount", [0.1, 1, "1.00"], ids=["float", "int", "str"])
def test_quantize_refuses_anything_but_decimal(amount):
    with pytest.raises(TypeError, match="never float"):
        quantize_yuan(amount)


@pytest.mark.parametrize(
    ("yuan", "fen"),
    [("12.34", 1234), ("12.3", 1230), ("0.01", 1), ("0", 0), ("999999.99", 99_999_999)],
)
def test_yuan_to_fen_and_back(yuan, fen):
    assert yuan_to_fen(Decimal(yuan)) == fen
    assert fen_to_yuan(fen) == Decimal(yuan)
    assert fen_to_yuan(fen).as_tuple().exponent == -2


@pytest.mark.parametrize("yuan", ["12.345", "0.001", "0.0050"])
def test_yuan_to_fen_refuses_amounts_finer_than_a_fen(yuan):
    with pytest.raises(ValueError, match="finer than a fen"):
        yuan_to_fen(Decimal(yuan))


def test_yuan_to_fen_accepts_trailing_zeros_that_are_whole_fen():
    assert yuan_to_fen(Decimal("0.0500")) == 5


def test_yuan_to_fen_refuses_float():
    with pytest.raises(TypeError):
        yuan_to_fen(12.34)


@pytest.mark.parametrize(
    ("total", "weights", "parts"),
    [
        # ¥100.00 three ways: 33.333… each; the spare fen goes to the first part.
        ("100.00", ["1", "1", "1"], ["33.34", "33.33", "33.33"]),
        # 5 fen halved: 2.5 each; the tie goes to the earlier part.
        ("0.05", ["1", "1"], ["0.03", "0.02"]),
        # Inventors 60 / employer 25 / fund 10 / platform 5 of ¥12,345.67.
        (
            "12345.67",
            ["60", "25", "10", "5"],
            ["7407.40", "3086.42", "1234.57", "617.28"],
        ),
        # Largest remainder, not position: 1 fen as ⅓ and ⅔ → the ⅔ part gets it.
        ("0.01", ["1", "2"], ["0.00", "0.01"]),
        ("10.00", ["0", "1"], ["0.00", "10.00"]),
        ("0.00", ["1", "1"], ["0.00", "0.00"]),
    ],
)
def test_split_by_weights_worked_examples(total, weights, parts):
    result = split_by_weights(Decimal(total), [Decimal(weight) for weight in weights])

    assert result == [Decimal(part) for part in parts]
    assert sum(result) == Decimal(total)


@pytest.mark.parametrize(
    "weights", [[], ["0", "0"], ["1", "-1"]], ids=["none", "all zero", "negative"]
)
def test_split_by_weights_refuses_weights_that_cannot_share(weights):
    with pytest.raises(ValueError, match="Weights"):
        split_by_weights(Decimal("100.00"), [Decimal(weight) for weight in weights])


def test_split_by_weights_refuses_a_total_finer_than_a_fen():
    with pytest.raises(ValueError, match="finer than a fen"):
        split_by_weights(Decimal("100.005"), [Decimal("1"), Decimal("1")])


# Up to ¥1,000,000,000.00, and weights as contribution shares or percentages are written.
totals_in_fen = st.integers(min_value=0, max_value=100_000_000_000)
weight_lists = st.lists(
    st.decimals(min_value=0, max_value=1_000_000, places=4, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=12,
).filter(lambda weights: sum(weights) > 0)


@given(total_fen=totals_in_fen, weights=weight_lists)
def test_split_by_weights_adds_up_and_each_part_is_within_a_fen_of_its_share(total_fen, weights):
    total = fen_to_yuan(total_fen)

    parts = split_by_weights(total, weights)

    assert len(parts) == len(weights)
    assert sum(parts) == total
    with localcontext() as exact:
        exact.prec = 60
        weight_sum = sum(weights)
        for part, weight in zip(parts, weights, strict=True):
            assert part >= 0
            assert part.as_tuple().exponent == -2
            share_fen = Decimal(total_fen) * weight / weight_sum
            assert abs(yuan_to_fen(part) - share_fen) < 1


@given(total_fen=totals_in_fen)
def test_fen_and_yuan_convert_back_and_forth_without_loss(total_fen):
    assert yuan_to_fen(fen_to_yuan(total_fen)) == total_fen


def test_a_negative_total_is_not_split():
    with pytest.raises(ValueError):
        split_by_weights(Decimal("-1.00"), [Decimal("1"), Decimal("1"), Decimal("1")])
