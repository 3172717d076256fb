"""Sharing an amount by the innovation's plan: exact parts, rounding to the fen, the ledger."""

from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.choices import Role
from licensing.choices import SharingParty
from licensing.exceptions import SharingPlanInvalidError
from licensing.models import SharingEvent, SharingPlan
from licensing.payable_accounts import (
    PROCEEDS_TO_SHARE,
    employer_payable_account,
    worker_payable_account,
)
from licensing.services.profit_sharing import (
    proceeds_share,
    sharing_plan_for,
    sharing_plan_set,
    sharing_plan_warnings,
)
from marketplace.models import LedgerAccount, LedgerTransaction
from marketplace.services.ledger import (
    PLATFORM_FEES,
    TRANSFORMATION_FUND,
    account_balance_fen,
    platform_account,
)
from tests.factories.accounts import UserFactory
from tests.factories.licensing import approved_innovation
from tests.factories.marketplace import LotFactory

pytestmark = pytest.mark.django_db


def workers(count):
    return [UserFactory(role=Role.WORKER) for _ in range(count)]


def inventors_only(innovation, staff):
    sharing_plan_set(
        innovation=innovation,
        inventors_percent=Decimal("100"),
        employer_percent=Decimal("0"),
        union_fund_percent=Decimal("0"),
        platform_percent=Decimal("0"),
        actor=staff,
    )


def share(innovations, amount, key="test:1"):
    return proceeds_share(
        innovations=innovations, amount=Decimal(amount), source_label="测试", idempotency_key=key
    )


def test_an_innovation_without_a_plan_is_shared_70_15_10_5():
    plan = sharing_plan_for(approved_innovation())
    assert (
        plan.inventors_percent,
        plan.employer_percent,
        plan.union_fund_percent,
        plan.platform_percent,
    ) == (70, 15, 10, 5)
    assert plan.pk is None


def test_100_yuan_over_three_inventors_of_equal_standing_is_33_34_33_33_33_33(union_staff):
    # Shares of one innovation are whole hundredths summing to 100, so "equal thirds" is
    # written 33.34 / 33.33 / 33.33.
    a, b, c = workers(3)
    innovation = approved_innovation(inventors=[(a, "33.34"), (b, "33.33"), (c, "33.33")])
    inventors_only(innovation, union_staff)

    event = share([innovation], "100.00")

    assert [(line.user, line.amount) for line in event.lines.all()] == [
        (a, Decimal("33.34")),
        (b, Decimal("33.33")),
        (c, Decimal("33.33")),
    ]


def test_a_package_of_three_innovations_splits_100_yuan_by_largest_remainder(union_staff):
    # Three innovations, one inventor each: 33.333… each; the fen left over goes to the first.
    a, b, c = workers(3)
    innovations = [approved_innovation(inventors=[(user, "100")]) for user in (a, b, c)]
    for innovation in innovations:
        inventors_only(innovation, union_staff)

    event = share(innovations, "100.00")

    lines = list(event.lines.all())
    assert [line.amount for line in lines] == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert [line.exact_amount for line in lines] == [Decimal("33.33333333")] * 3
    assert [line.weight_percent for line in lines] == [Decimal("33.33333333")] * 3


def test_the_default_plan_credits_each_party_and_the_statement_shows_exact_and_rounded():
    a, b = workers(2)
    innovation = approved_innovation(inventors=[(a, "60"), (b, "40")])

    event = share([innovation], "1000.01")

    lines = {(line.party, line.payee_name): line for line in event.lines.all()}
    inventor_a = lines[(SharingParty.INVENTOR, a.get_full_name())]
    # 100,001 fen × 42% = 42,000.42 fen, the largest remainder of the five parts
    # (.42, .28, .15, .10, .05), so it takes the one fen left over after rounding down.
    assert (inventor_a.exact_amount, inventor_a.amount) == (
        Decimal("420.00420000"),
        Decimal("420.01"),
    )
    assert sum(line.amount for line in lines.values()) == Decimal("1000.01")
    assert account_balance_fen(worker_payable_account(a)) == -42001
    assert account_balance_fen(worker_payable_account(b)) == -28000
    assert account_balance_fen(employer_payable_account(innovation.employer)) == -15000
    assert account_balance_fen(platform_account(TRANSFORMATION_FUND)) == -10000
    assert account_balance_fen(platform_account(PLATFORM_FEES)) == -5000
    proceeds = LedgerAccount.objects.get(code=PROCEEDS_TO_SHARE)
    assert account_balance_fen(proceeds) == 100001


def test_sharing_again_with_the_same_key_writes_nothing():
    innovation = approved_innovation()
    first = share([innovation], "50.00", key="k")
    again = share([innovation], "50.00", key="k")

    assert again == first
    assert SharingEvent.objects.count() == 1
    assert LedgerTransaction.objects.count() == 1


def test_an_inventor_without_an_account_is_kept_a_payable_of_their_own(union_staff):
    worker = UserFactory(role=Role.WORKER)
    innovation = approved_innovation(inventors=[(worker, "50"), (None, "50")])
    inventors_only(innovation, union_staff)

    event = share([innovation], "10.00")

    no_account = event.lines.get(user=None)
    assert no_account.account.code == f"contributor:{no_account.contributor_id}:payable"
    assert account_balance_fen(no_account.account) == -500


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    amount_fen=st.integers(min_value=1, max_value=10**11),
    # Cut points in hundredths of a percent: the pieces are contribution shares summing to 100.
    cuts=st.sets(st.integers(min_value=1, max_value=9999), max_size=5),
    plan=st.lists(st.integers(min_value=0, max_value=100), min_size=3, max_size=3).filter(
        lambda parts: sum(parts) <= 100
    ),
)
def test_parts_always_add_up_to_the_amount(amount_fen, cuts, plan):
    points = [0, *sorted(cuts), 10000]
    percents = [Decimal(end - start) / 100 for start, end in pairwise(points)]
    users = [UserFactory() for _ in percents]
    innovation = approved_innovation(inventors=list(zip(users, percents, strict=True)))
    employer, fund, fee = (Decimal(part) for part in plan)
    SharingPlan.objects.create(
        innovation=innovation,
        inventors_percent=100 - employer - fund - fee,
        employer_percent=employer,
        union_fund_percent=fund,
        platform_percent=fee,
    )
    amount = Decimal(amount_fen) / 100

    event = share([innovation], str(amount), key=f"prop:{innovation.pk}")

    lines = list(event.lines.all())
    assert sum(line.amount for line in lines) == amount
    # Rounding moves each part by less than one fen from its exact value.
    assert all(abs(line.amount - line.exact_amount) < Decimal("0.01") for line in lines)
    entries = event.ledger_transaction.entries.all()
    assert sum(entry.amount_fen for entry in entries) == 0


def test_a_plan_must_sum_to_100(union_staff):
    innovation = approved_innovation()
    with pytest.raises(SharingPlanInvalidError) as refused:
        sharing_plan_set(
            innovation=innovation,
            inventors_percent=Decimal("70"),
            employer_percent=Decimal("20"),
            union_fund_percent=Decimal("10"),
            platform_percent=Decimal("5"),
            actor=union_staff,
        )
    assert "105" in str(refused.value)
    assert not SharingPlan.objects.exists()


def test_staff_are_warned_when_the_inventors_get_less_than_half(union_staff):
    innovation = approved_innovation()

    plan, warnings = sharing_plan_set(
        innovation=innovation,
        inventors_percent=Decimal("40"),
        employer_percent=Decimal("45"),
        union_fund_percent=Decimal("10"),
        platform_percent=Decimal("5"),
        actor=union_staff,
    )

    assert plan.pk is not None
    assert len(warnings) == 1
    assert "50%" in warnings[0]
    assert (
        sharing_plan_warnings(plan=sharing_plan_for(approved_innovation()), innovation=innovation)
        == []
    )


def test_a_licensed_service_invention_warns_below_10_percent_for_the_inventors(union_staff):
    lot = LotFactory(is_service_invention=True)
    innovation = lot.innovations.get()

    _plan, warnings = sharing_plan_set(
        innovation=innovation,
        inventors_percent=Decimal("8"),
        employer_percent=Decimal("77"),
        union_fund_percent=Decimal("10"),
        platform_percent=Decimal("5"),
        actor=union_staff,
    )

    assert len(warnings) == 2
    assert "10%" in warnings[1]


def test_the_10_percent_warning_is_only_for_service_inventions(union_staff):
    innovation = LotFactory(is_service_invention=False).innovations.get()

    _plan, warnings = sharing_plan_set(
        innovation=innovation,
        inventors_percent=Decimal("8"),
        employer_percent=Decimal("77"),
        union_fund_percent=Decimal("10"),
        platform_percent=Decimal("5"),
        actor=union_staff,
    )

    assert len(warnings) == 1
