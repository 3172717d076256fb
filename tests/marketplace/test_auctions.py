"""Auction sessions and lots before bidding (marketplace.services.auctions)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.choices import Role, VerificationStatus
from innovations.choices import Status, Tier
from marketplace.choices import LotStatus, RightType, Season, SessionStatus
from marketplace.exceptions import (
    EnterpriseNotVerifiedError,
    LotDisclosureIncompleteError,
    LotInvalidError,
    LotTransitionError,
    MarketplaceError,
    SessionSeasonTakenError,
    SessionTimesError,
)
from marketplace.models import ConfidentialityAcceptance
from marketplace.services import auctions
from marketplace.services.auctions import LotDisclosure, LotTerms, SessionSchedule
from tests.factories.accounts import EnterpriseFactory, UserFactory
from tests.factories.innovations import InnovationFactory, PatentFactory

COMPLETE_DISCLOSURE = LotDisclosure(
    patents_legal_status="CN202310397744.0 发明专利，已授权，维持有效。",
    is_service_invention=True,
    employer_consent=True,
    co_owners_consent=True,
    known_limitations="仅在 CK6140 系列车床上验证。",
)


def schedule_from(now=None, *, window=timedelta(days=2)) -> SessionSchedule:
    now = now or timezone.now()
    return SessionSchedule(
        preview_start=now - timedelta(days=1),
        bidding_start=now + timedelta(days=1),
        first_lot_closes_at=now + timedelta(days=1) + window,
    )


def make_session(staff, *, season=Season.SPRING, schedule=None, **kwargs):
    schedule = schedule or schedule_from()
    return auctions.session_create(
        actor=staff,
        name=kwargs.pop("name", "2026年春季职工创新成果拍卖会"),
        year=timezone.localtime(schedule.bidding_start).year,
        season=season,
        schedule=schedule,
        **kwargs,
    )


def ready_innovation(**kwargs):
    return InnovationFactory(status=Status.APPROVED, tier=Tier.TRANSACT, **kwargs)


@pytest.fixture
def session(union_staff):
    return make_session(union_staff)


def test_a_third_session_in_a_year_is_refused(union_staff):
    make_session(union_staff, season=Season.SPRING)
    make_session(union_staff, season=Season.AUTUMN, name="秋季")

    with pytest.raises(SessionSeasonTakenError):
        make_session(union_staff, season=Season.SPRING, name="又一场春季")


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"bidding_start": -3}, "bidding before preview"),
        ({"first_lot_closes_at": -30}, "23.5-hour bidding window"),
    ],
)
def test_inconsistent_times_are_refused(union_staff, change, why):
    base = schedule_from()
    values = {
        "preview_start": base.preview_start,
        "bidding_start": base.bidding_start,
        "first_lot_closes_at": base.first_lot_closes_at,
    }
    if "bidding_start" in change:
        values["bidding_start"] = base.preview_start + timedelta(days=change["bidding_start"])
    else:
        values["first_lot_closes_at"] = base.bidding_start + timedelta(hours=24, minutes=-30)

    with pytest.raises(SessionTimesError):
        make_session(union_staff, schedule=SessionSchedule(**values))


def test_a_24_hour_window_is_the_floor_and_allowed(union_staff):
    base = schedule_from()
    exact = SessionSchedule(
        preview_start=base.preview_start,
        bidding_start=base.bidding_start,
        first_lot_closes_at=base.bidding_start + timedelta(hours=24),
    )

    assert make_session(union_staff, schedule=exact).pk


def test_bad_increment_tables_are_refused(union_staff):
    with pytest.raises(MarketplaceError):
        make_session(union_staff, increment_bands=[["10000", "500"], ["5000", "100"], [None, "1"]])
    with pytest.raises(MarketplaceError):
        make_session(union_staff, increment_bands=[["10000", "500"]])


def test_workers_cannot_create_sessions(db):
    with pytest.raises(MarketplaceError):
        make_session(UserFactory(role=Role.WORKER))


@pytest.mark.parametrize(
    ("band_price", "increment"),
    [
        ("9999.99", "500"),
        ("10000.00", "2000"),
        ("99999.99", "2000"),
        ("100000.00", "10000"),
        ("9999999.99", "50000"),
        ("10000000.00", "100000"),
    ],
)
def test_increments_follow_the_default_bands_across_their_edges(session, band_price, increment):
    assert auctions.increment_for(session.increment_bands, Decimal(band_price)) == Decimal(
        increment
    )


@pytest.mark.parametrize(
    ("start", "deposit"),
    [
        ("5000.00", "1000.00"),
        ("10000.00", "1000.00"),
        ("12345.67", "1234.57"),
        ("2000000", "200000.00"),
    ],
)
def test_the_deposit_is_10_percent_of_the_start_but_at_least_1000(session, start, deposit):
    assert auctions.deposit_for(session, Decimal(start)) == Decimal(deposit)


def test_lots_are_numbered_in_order_and_close_one_interval_apart(session, union_staff):
    terms = LotTerms(right_type=RightType.ASSIGNMENT, starting_price=Decimal("200000.00"))

    first = auctions.lot_create(
        actor=union_staff, session=session, innovations=[ready_innovation()], terms=terms
    )
    second = auctions.lot_create(
        actor=union_staff, session=session, innovations=[ready_innovation()], terms=terms
    )

    assert (first.number, second.number) == (1, 2)
    assert first.closes_at == session.first_lot_closes_at
    assert second.closes_at - first.closes_at == timedelta(minutes=2)
    assert first.deposit_amount == Decimal("20000.00")
    assert first.status == LotStatus.DRAFT


def test_a_technology_package_offers_several_innovations(session, union_staff):
    package = [ready_innovation(), ready_innovation()]

    lot = auctions.lot_create(
        actor=union_staff,
        session=session,
        innovations=package,
        terms=LotTerms(
            right_type=RightType.NON_EXCLUSIVE_LICENCE,
            licence_term_years=5,
            starting_price=Decimal("80000"),
        ),
    )

    assert [link.innovation for link in lot.lot_innovations.order_by("position")] == package


@pytest.mark.parametrize(
    ("status", "tier"),
    [(Status.APPROVED, Tier.INCUBATE), (Status.SUBMITTED, ""), (Status.DRAFT, "")],
)
def test_only_ready_to_transact_innovations_become_lots(session, union_staff, status, tier):
    with pytest.raises(LotInvalidError):
        auctions.lot_create(
            actor=union_staff,
            session=session,
            innovations=[InnovationFactory(status=status, tier=tier)],
            terms=LotTerms(right_type=RightType.ASSIGNMENT, starting_price=Decimal("1000")),
        )

    assert not session.lots.exists()


def test_an_innovation_cannot_be_in_two_active_lots(session, union_staff):
    innovation = ready_innovation()
    terms = LotTerms(right_type=RightType.ASSIGNMENT, starting_price=Decimal("1000"))
    auctions.lot_create(actor=union_staff, session=session, innovations=[innovation], terms=terms)

    with pytest.raises(LotInvalidError):
        auctions.lot_create(
            actor=union_staff, session=session, innovations=[innovation], terms=terms
        )


@pytest.mark.parametrize(
    "terms",
    [
        LotTerms(
            right_type=RightType.ASSIGNMENT,
            starting_price=Decimal("1000"),
            reserve_price=Decimal("999"),
        ),
        LotTerms(right_type=RightType.EXCLUSIVE_LICENCE, starting_price=Decimal("1000")),
        LotTerms(right_type=RightType.ASSIGNMENT, starting_price=Decimal("0")),
        LotTerms(right_type=RightType.ASSIGNMENT, starting_price=Decimal("100.001")),
        LotTerms(right_type="lease", starting_price=Decimal("1000")),
    ],
    ids=["reserve-below-start", "licence-without-term", "zero-price", "sub-fen", "unknown-right"],
)
def test_bad_lot_terms_are_refused(session, union_staff, terms):
    with pytest.raises(LotInvalidError):
        auctions.lot_create(
            actor=union_staff, session=session, innovations=[ready_innovation()], terms=terms
        )


def test_publishing_needs_a_complete_disclosure(session, union_staff):
    innovation = ready_innovation()
    PatentFactory(innovation=innovation, holders="上海临港智能装备有限公司、王建国")
    lot = auctions.lot_create(
        actor=union_staff,
        session=session,
        innovations=[innovation],
        terms=LotTerms(right_type=RightType.ASSIGNMENT, starting_price=Decimal("50000")),
    )

    with pytest.raises(LotDisclosureIncompleteError) as error:
        auctions.lot_publish(lot=lot, actor=union_staff)
    assert "legal status" in str(error.value) or "法律状态" in str(error.value)

    auctions.lot_set_disclosure(
        lot=lot,
        actor=union_staff,
        disclosure=LotDisclosure(**{**COMPLETE_DISCLOSURE.__dict__, "co_owners_consent": False}),
    )
    with pytest.raises(LotDisclosureIncompleteError):
        auctions.lot_publish(lot=lot, actor=union_staff)

    auctions.lot_set_disclosure(lot=lot, actor=union_staff, disclosure=COMPLETE_DISCLOSURE)
    published = auctions.lot_publish(lot=lot, actor=union_staff)
    assert published.status == LotStatus.PUBLISHED


def test_a_service_invention_needs_the_employers_consent(session, union_staff):
    lot = auctions.lot_create(
        actor=union_staff,
        session=session,
        innovations=[ready_innovation()],
        terms=LotTerms(right_type=RightType.ASSIGNMENT, starting_price=Decimal("50000")),
    )
    auctions.lot_set_disclosure(
        lot=lot,
        actor=union_staff,
        disclosure=LotDisclosure(**{**COMPLETE_DISCLOSURE.__dict__, "employer_consent": False}),
    )

    with pytest.raises(LotDisclosureIncompleteError):
        auctions.lot_publish(lot=lot, actor=union_staff)


def published_lot(session, staff, **terms):
    lot = auctions.lot_create(
        actor=staff,
        session=session,
        innovations=[ready_innovation()],
        terms=LotTerms(right_type=RightType.ASSIGNMENT, starting_price=Decimal("50000"), **terms),
    )
    auctions.lot_set_disclosure(lot=lot, actor=staff, disclosure=COMPLETE_DISCLOSURE)
    return auctions.lot_publish(lot=lot, actor=staff)


def test_the_session_publishes_only_with_a_published_lot(session, union_staff):
    with pytest.raises(MarketplaceError):
        auctions.session_publish(session=session, actor=union_staff)

    published_lot(session, union_staff)

    assert auctions.session_publish(session=session, actor=union_staff).status == (
        SessionStatus.PUBLISHED
    )


def test_bidding_cannot_open_before_its_time(session, union_staff):
    published_lot(session, union_staff)
    auctions.session_publish(session=session, actor=union_staff)

    with pytest.raises(SessionTimesError):
        auctions.session_open(session=session)


def test_withdrawing_needs_a_reason_and_happens_before_bidding(session, union_staff):
    lot = published_lot(session, union_staff)

    with pytest.raises(LotInvalidError):
        auctions.lot_withdraw(lot=lot, actor=union_staff, reason="  ")
    withdrawn = auctions.lot_withdraw(lot=lot, actor=union_staff, reason="专利权属存在争议")

    assert (withdrawn.status, withdrawn.withdrawn_reason) == (
        LotStatus.WITHDRAWN,
        "专利权属存在争议",
    )
    with pytest.raises(LotTransitionError):
        auctions.lot_withdraw(lot=withdrawn, actor=union_staff, reason="再撤一次")


def test_a_withdrawn_lots_innovation_can_be_offered_again(session, union_staff):
    lot = published_lot(session, union_staff)
    auctions.lot_withdraw(lot=lot, actor=union_staff, reason="重新定价")

    again = auctions.lot_create(
        actor=union_staff,
        session=session,
        innovations=list(lot.innovations.all()),
        terms=LotTerms(right_type=RightType.ASSIGNMENT, starting_price=Decimal("40000")),
    )

    assert again.number == 2


def test_rescheduling_moves_every_lots_closing_time(session, union_staff):
    lot = published_lot(session, union_staff)
    later = schedule_from(timezone.now() + timedelta(days=3))

    auctions.session_reschedule(session=session, actor=union_staff, schedule=later)

    lot.refresh_from_db()
    assert lot.closes_at == lot.scheduled_close_at == later.first_lot_closes_at


def test_lots_cannot_be_added_once_bidding_has_started(union_staff):
    now = timezone.now()
    started = make_session(
        union_staff,
        schedule=SessionSchedule(
            preview_start=now - timedelta(days=3),
            bidding_start=now - timedelta(hours=1),
            first_lot_closes_at=now + timedelta(days=1),
        ),
    )

    with pytest.raises(MarketplaceError):
        auctions.lot_create(
            actor=union_staff,
            session=started,
            innovations=[ready_innovation()],
            terms=LotTerms(right_type=RightType.ASSIGNMENT, starting_price=Decimal("1000")),
        )


def test_confidentiality_is_accepted_only_by_verified_enterprises(session, union_staff):
    lot = published_lot(session, union_staff)
    lot.confidentiality_terms = "未经许可不得向第三方披露技术资料。"
    lot.save()
    unverified = UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=EnterpriseFactory())
    verified = UserFactory(
        role=Role.ENTERPRISE_MEMBER,
        enterprise=EnterpriseFactory(verification_status=VerificationStatus.VERIFIED),
    )

    with pytest.raises(EnterpriseNotVerifiedError):
        auctions.lot_confidentiality_accept(lot=lot, user=unverified)
    acceptance = auctions.lot_confidentiality_accept(lot=lot, user=verified)
    auctions.lot_confidentiality_accept(lot=lot, user=verified)

    assert acceptance.terms == lot.confidentiality_terms
    assert ConfidentialityAcceptance.objects.filter(lot=lot).count() == 1
    assert auctions.lot_documents_visible_to(lot, verified)
    assert not auctions.lot_documents_visible_to(lot, unverified)


def test_only_staff_open_bidding_by_hand(session, union_staff):
    published_lot(session, union_staff)
    auctions.session_publish(session=session, actor=union_staff)

    with pytest.raises(MarketplaceError):
        auctions.session_open(session=session, actor=UserFactory(role=Role.WORKER))
