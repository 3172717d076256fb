"""The goal report's summary rows (marketplace.models.GoalDeal) follow the deals through the
services that make and unmake them, and `rebuild_goal_deals` checks and repairs them."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django.utils.translation import gettext

from innovations.models import Industry
from licensing.choices import AgreementStatus
from licensing.services.agreements import (
    agreement_activate,
    agreement_create_for_sale,
    agreement_create_negotiated,
    agreement_sign,
    agreement_transition,
)
from marketplace.choices import RightType
from marketplace.models import GoalDeal, Settlement
from marketplace.services.bidding import bid_place
from marketplace.services.defaults import (
    settlement_offer_to_runner_up,
    settlements_default_overdue,
)
from marketplace.services.goal_deals import goal_deals_differences, goal_deals_rebuild
from marketplace.services.negotiated_sales import lot_negotiated_sale_record
from tests.factories.licensing import approved_innovation
from tests.factories.marketplace import VerifiedEnterpriseFactory
from tests.marketplace import settlement_scenarios as scenarios
from tests.marketplace.settlement_scenarios import bidder, close, open_lot, sold_lot

simulated_stripe = scenarios.simulated_stripe
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("simulated_stripe")]


def rows() -> list[GoalDeal]:
    return list(GoalDeal.objects.order_by("pk"))


@pytest.fixture
def sale(django_capture_on_commit_callbacks):
    """Sold at ¥130,000 over two underbidders (maxima 120,000 and 110,000)."""
    lot, _winner, _others = sold_lot(
        django_capture_on_commit_callbacks, others=("120000.00", "110000.00")
    )
    return Settlement.objects.get(lot=lot)


def test_a_sale_gets_its_row_with_the_lots_attributes(sale):
    lot = sale.lot
    innovation = lot.innovations.get()
    industry = Industry.objects.create(slug="a-machinery", name_zh="机械", name_en="Machinery")
    [row] = rows()

    assert row.settlement_id == sale.pk and row.agreement_id is None
    assert row.amount == sale.price == Decimal("130000.00")
    assert row.deal_on == timezone.localdate(sale.created_at)
    assert row.session_id == lot.session_id
    assert row.innovation_id == innovation.pk
    assert (row.category, row.technical_field) == (innovation.category, innovation.technical_field)
    assert (row.district, row.right_type) == (sale.buyer.district, lot.right_type)
    assert goal_deals_differences() == []
    # The attributes are the deal's when it was made: an industry added later shows after a
    # rebuild, which the check points out until then.
    innovation.industries.add(industry)
    assert goal_deals_differences() == [f"settlement {sale.pk}: differs in industry_id"]
    goal_deals_rebuild()
    assert GoalDeal.objects.get().industry == industry


def test_a_default_removes_the_row_and_the_runner_up_offer_adds_its_own(sale, union_staff):
    settlements_default_overdue(now=sale.due_at + timedelta(seconds=1))
    assert rows() == []

    offer = settlement_offer_to_runner_up(staff_user=union_staff, settlement=sale)

    [row] = rows()
    assert (row.settlement_id, row.amount) == (offer.pk, Decimal("120000.00"))
    assert goal_deals_differences() == []


def test_a_passed_lot_sold_at_a_negotiated_price_counts(
    django_capture_on_commit_callbacks, union_staff
):
    lot = open_lot(reserve="500000.00")
    highest = bidder(lot, "上海甲公司")
    bid_place(user=highest, lot_id=lot.pk, max_amount="400000.00")
    close(lot, django_capture_on_commit_callbacks)
    assert rows() == []

    settlement = lot_negotiated_sale_record(staff_user=union_staff, lot=lot, price="450000.00")

    [row] = rows()
    assert (row.settlement_id, row.amount) == (settlement.pk, Decimal("450000.00"))
    assert goal_deals_differences() == []


def test_a_negotiated_agreement_counts_from_signing_until_terminated(union_staff):
    innovation = approved_innovation()
    agreement = agreement_create_negotiated(
        licensee=VerifiedEnterpriseFactory(district="minhang"),
        innovations=[innovation],
        right_type=RightType.ASSIGNMENT,
        deal_amount=Decimal("80000.00"),
        created_by=union_staff,
        contract_number="XY-2026-01",
        term_start=date(2026, 7, 1),
    )
    assert rows() == []  # a draft is not a deal

    agreement_sign(agreement=agreement, actor=union_staff, on=date(2026, 6, 30))
    [row] = rows()
    assert (row.agreement_id, row.settlement_id, row.session_id) == (agreement.pk, None, None)
    assert (row.amount, row.deal_on) == (Decimal("80000.00"), date(2026, 6, 30))
    assert (row.district, row.right_type) == ("minhang", RightType.ASSIGNMENT)
    assert (row.innovation_id, row.category) == (innovation.pk, innovation.category)

    agreement_activate(agreement=agreement, actor=union_staff)
    assert [r.pk for r in rows()] == [row.pk]

    agreement_transition(
        agreement=agreement,
        target=AgreementStatus.TERMINATED,
        actor=union_staff,
        reason="受让方违约",
    )
    assert rows() == []
    assert goal_deals_differences() == []


def test_an_auction_agreement_adds_nothing_to_its_counted_sale(sale, union_staff):
    agreement = agreement_create_for_sale(sale=sale.sale)
    agreement.contract_number = "PM-2026-01"
    agreement.save(update_fields=["contract_number"])

    agreement_sign(agreement=agreement, actor=union_staff)

    assert [row.settlement_id for row in rows()] == [sale.pk]
    assert goal_deals_differences() == []


def test_the_check_lists_differences_and_the_rebuild_repairs_them(sale, capsys):
    GoalDeal.objects.all().delete()
    with pytest.raises(CommandError) as refused:
        call_command("rebuild_goal_deals", "--check")
    assert str(refused.value) == gettext(
        "Goal report summary differs from the deals in %(count)d places."
    ) % {"count": 1}
    assert f"settlement {sale.pk}: missing" in capsys.readouterr().out

    call_command("rebuild_goal_deals")
    assert GoalDeal.objects.get().settlement_id == sale.pk
    call_command("rebuild_goal_deals", "--check")  # no error: they match

    # Written straight into the table, a default leaves the row behind; the check sees it.
    Settlement.objects.filter(pk=sale.pk).update(status="defaulted")
    assert goal_deals_differences() == [f"settlement {sale.pk}: counted but is not a deal"]
    goal_deals_rebuild()
    assert rows() == []
