"""Closing lots (marketplace.services.closing): sold to the leader or passed, exactly once, with
the session closed after its last lot and the results emailed after commit.

Bids are simulated by setting the lot's live fields directly (leader, maxima, price, count) and,
where underbidders matter, writing their BidderRegistration and Bid rows."""

import io
import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone, translation

from accounts.choices import Role
from marketplace.choices import LotStatus, SessionStatus
from marketplace.management.commands import close_lots
from marketplace.models import Bid, BidderRegistration, Lot, Sale
from marketplace.services import closing
from marketplace.services.closing import (
    lot_close,
    lots_close_due,
    lots_close_notify,
    session_close_if_finished,
    sessions_close_finished,
)
from tests.factories.accounts import UserFactory
from tests.factories.marketplace import (
    AuctionSessionFactory,
    DepositFactory,
    LotFactory,
    VerifiedEnterpriseFactory,
)

concurrency_on_postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer at a time hold the whole file and select_for_update() is a "
    "no-op there, so two closers never race; run with DATABASE_URL=postgres://… to test it.",
)


# Transactional tests flush the tables of the apps they list. Listing only the marketplace
# keeps Wagtail's root page, Site and Locale (made by migrations) for the tests after these;
# committed_rows_cleanup deletes the enterprises and users they make.
def committing(test):
    """Rows really commit (the threads need them); committed_rows_cleanup removes them after."""
    test = pytest.mark.django_db(transaction=True, available_apps=["marketplace"])(test)
    return pytest.mark.usefixtures("committed_rows_cleanup")(test)


@pytest.fixture
def now():
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def open_session(db, now):
    """Bidding opened two days ago; the first lot closed an hour ago."""
    return AuctionSessionFactory(
        status=SessionStatus.OPEN,
        preview_start=now - timedelta(days=3),
        bidding_start=now - timedelta(days=2),
        first_lot_closes_at=now - timedelta(hours=1),
    )


def due_lot(session, closes_at, **live):
    """A published lot (start ¥100,000) closing at `closes_at`, with the given live fields."""
    live.setdefault("scheduled_close_at", closes_at)
    return LotFactory(session=session, closes_at=closes_at, **live)


def led_by(enterprise, *, leader_max, price, runner_up_max=None, bids=1):
    """The live fields of a lot `enterprise` leads with `leader_max`, shown at `price`."""
    return {
        "leader": enterprise,
        "leader_max": Decimal(leader_max),
        "runner_up_max": None if runner_up_max is None else Decimal(runner_up_max),
        "current_price": Decimal(price),
        "bid_count": bids,
    }


def record_bid(lot, enterprise, max_amount, *, leading=False):
    """A stored bid by `enterprise` (paddle registered on first need), numbered after the last."""
    registration = BidderRegistration.objects.filter(
        session=lot.session, enterprise=enterprise
    ).first() or BidderRegistration.objects.create(
        session=lot.session,
        enterprise=enterprise,
        paddle=BidderRegistration.objects.filter(session=lot.session).count() + 1,
    )
    sequence = (Bid.objects.filter(lot=lot).aggregate(last=Max("sequence"))["last"] or 0) + 1
    member = enterprise.members.first() or UserFactory(enterprise=enterprise)
    return Bid.objects.create(
        lot=lot,
        sequence=sequence,
        registration=registration,
        user=member,
        max_amount=Decimal(max_amount),
        price_after=Decimal(max_amount),
        leading_after=leading,
        created_at=timezone.now(),
    )


# --- One lot --------------------------------------------------------------------------------


def test_a_lot_led_at_122000_with_no_reserve_is_sold_at_the_current_price(open_session, now):
    # Given: A's maximum ¥150,000 over B's ¥120,000 shows ¥122,000 (increment ¥2,000).
    winner = VerifiedEnterpriseFactory()
    lot = due_lot(
        open_session,
        now,
        **led_by(winner, leader_max="150000.00", runner_up_max="120000.00", price="122000.00"),
    )

    # When
    status = lot_close(lot_id=lot.pk, now=now)

    # Then
    assert status == LotStatus.SOLD == "sold"
    lot.refresh_from_db()
    assert lot.status == LotStatus.SOLD
    assert lot.version == 1
    sale = Sale.objects.get(lot=lot)
    assert (sale.winner, sale.hammer_price) == (winner, Decimal("122000.00"))


@pytest.mark.parametrize(
    ("leader_max", "price"),
    [
        pytest.param("150000.00", "150000.00", id="maximum equals the reserve"),
        pytest.param("180000.00", "150000.00", id="maximum above the reserve"),
    ],
)
def test_a_lot_whose_leader_reaches_the_150000_reserve_is_sold_at_the_current_price(
    open_session, now, leader_max, price
):
    winner = VerifiedEnterpriseFactory()
    lot = due_lot(
        open_session,
        now,
        reserve_price=Decimal("150000.00"),
        **led_by(winner, leader_max=leader_max, runner_up_max="110000.00", price=price, bids=4),
    )

    assert lot_close(lot_id=lot.pk, now=now) == LotStatus.SOLD

    sale = Sale.objects.get(lot=lot)
    assert (sale.winner, sale.hammer_price) == (winner, Decimal(price))


def test_a_lot_whose_leader_stays_below_the_200000_reserve_is_passed(open_session, now):
    lot = due_lot(
        open_session,
        now,
        reserve_price=Decimal("200000.00"),
        **led_by(
            VerifiedEnterpriseFactory(),
            leader_max="180000.00",
            runner_up_max="128000.00",
            price="130000.00",
            bids=5,
        ),
    )

    assert lot_close(lot_id=lot.pk, now=now) == LotStatus.PASSED == "passed"

    lot.refresh_from_db()
    assert lot.status == LotStatus.PASSED
    assert not Sale.objects.exists()


def test_a_lot_without_bids_is_passed(open_session, now):
    lot = due_lot(open_session, now)

    assert lot_close(lot_id=lot.pk, now=now) == LotStatus.PASSED

    lot.refresh_from_db()
    assert (lot.status, lot.version) == (LotStatus.PASSED, 1)
    assert not Sale.objects.exists()


def test_a_lot_is_not_closed_a_second_before_its_closing_time(open_session, now):
    lot = due_lot(
        open_session, now, **led_by(VerifiedEnterpriseFactory(), leader_max="1", price="1")
    )

    assert lot_close(lot_id=lot.pk, now=now - timedelta(seconds=1)) is None

    lot.refresh_from_db()
    assert (lot.status, lot.version) == (LotStatus.PUBLISHED, 0)
    assert not Sale.objects.exists()


def test_a_lot_whose_closing_a_soft_close_moved_5_minutes_later_closes_only_then(open_session, now):
    # Given: scheduled to close at `now`; a bid at now - 1 min moved it to now + 4 min.
    lot = due_lot(
        open_session,
        now + timedelta(minutes=4),
        scheduled_close_at=now,
        **led_by(VerifiedEnterpriseFactory(), leader_max="120000.00", price="100000.00"),
    )

    # When / then: at the scheduled time and a minute after, nothing happens.
    assert lot_close(lot_id=lot.pk, now=now) is None
    assert lot_close(lot_id=lot.pk, now=now + timedelta(minutes=1)) is None
    assert lots_close_due(now=now + timedelta(minutes=1)) == {"sold": 0, "passed": 0}
    lot.refresh_from_db()
    assert lot.status == LotStatus.PUBLISHED

    # At the moved closing time it closes.
    assert lot_close(lot_id=lot.pk, now=now + timedelta(minutes=4)) == LotStatus.SOLD


def test_closing_a_lot_twice_makes_one_sale_and_the_second_call_does_nothing(open_session, now):
    lot = due_lot(
        open_session,
        now,
        **led_by(VerifiedEnterpriseFactory(), leader_max="130000.00", price="100000.00"),
    )

    first = lot_close(lot_id=lot.pk, now=now)
    second = lot_close(lot_id=lot.pk, now=now + timedelta(hours=1))

    assert (first, second) == (LotStatus.SOLD, None)
    assert Sale.objects.filter(lot=lot).count() == 1
    lot.refresh_from_db()
    assert (lot.status, lot.version) == (LotStatus.SOLD, 1)


@pytest.mark.parametrize(
    "status", [LotStatus.DRAFT, LotStatus.WITHDRAWN, LotStatus.SOLD, LotStatus.PASSED]
)
def test_a_lot_that_is_not_published_is_left_alone(open_session, now, status):
    lot = due_lot(
        open_session,
        now - timedelta(hours=1),
        status=status,
        **led_by(VerifiedEnterpriseFactory(), leader_max="130000.00", price="100000.00"),
    )

    assert lot_close(lot_id=lot.pk, now=now) is None
    assert lots_close_due(now=now) == {"sold": 0, "passed": 0}

    lot.refresh_from_db()
    assert (lot.status, lot.version) == (status, 0)
    assert not Sale.objects.exists()


def test_closing_a_lot_that_does_not_exist_does_nothing(db, now):
    assert lot_close(lot_id=987_654, now=now) is None


# --- Due lots in bulk -------------------------------------------------------------------------


def test_lots_close_due_closes_3_sold_and_2_passed_and_leaves_the_rest(open_session, now):
    leader = VerifiedEnterpriseFactory()
    sold = [
        due_lot(
            open_session,
            now - timedelta(minutes=minutes),
            **led_by(leader, leader_max="120000.00", price="100000.00"),
        )
        for minutes in (1, 3, 5)
    ]
    passed = [
        due_lot(open_session, now - timedelta(minutes=2)),
        due_lot(
            open_session,
            now,
            reserve_price=Decimal("300000.00"),
            **led_by(leader, leader_max="200000.00", price="100000.00"),
        ),
    ]
    later = due_lot(open_session, now + timedelta(seconds=1))
    draft = due_lot(open_session, now - timedelta(minutes=9), status=LotStatus.DRAFT)

    assert lots_close_due(now=now) == {"sold": 3, "passed": 2}

    statuses = dict(Lot.objects.values_list("pk", "status"))
    assert [statuses[lot.pk] for lot in sold] == [LotStatus.SOLD] * 3
    assert [statuses[lot.pk] for lot in passed] == [LotStatus.PASSED] * 2
    assert statuses[later.pk] == LotStatus.PUBLISHED
    assert statuses[draft.pk] == LotStatus.DRAFT
    assert lots_close_due(now=now) == {"sold": 0, "passed": 0}


def test_lots_close_due_closes_the_earliest_closing_lots_first(open_session, now):
    # Given: lots numbered 1, 2, 3 closing 1, 3 and 2 minutes ago (creation order ≠ time order).
    leader = VerifiedEnterpriseFactory()
    minutes_ago = {1: 1, 2: 3, 3: 2}
    lots = {
        number: due_lot(
            open_session,
            now - timedelta(minutes=minutes),
            number=number,
            **led_by(leader, leader_max="120000.00", price="100000.00"),
        )
        for number, minutes in minutes_ago.items()
    }

    # When: only two may be closed in this run.
    assert lots_close_due(now=now, limit=2) == {"sold": 2, "passed": 0}

    # Then: the two that closed earliest, in closing order; the last waits for the next run.
    assert list(Sale.objects.order_by("pk").values_list("lot__number", flat=True)) == [2, 3]
    lots[1].refresh_from_db()
    assert lots[1].status == LotStatus.PUBLISHED
    assert lots_close_due(now=now, limit=2) == {"sold": 1, "passed": 0}


# --- The session ------------------------------------------------------------------------------


def test_the_session_closes_when_its_last_published_lot_closes(open_session, now):
    first = due_lot(open_session, now - timedelta(minutes=2))
    last = due_lot(open_session, now)
    due_lot(open_session, now + timedelta(days=1), status=LotStatus.WITHDRAWN)

    lot_close(lot_id=first.pk, now=now)
    open_session.refresh_from_db()
    assert open_session.status == SessionStatus.OPEN

    lot_close(lot_id=last.pk, now=now)
    open_session.refresh_from_db()
    assert open_session.status == SessionStatus.CLOSED
    # Idempotent: asking again changes nothing.
    assert session_close_if_finished(session=open_session) is False
    assert sessions_close_finished(now=now) == 0


def test_lots_close_due_closes_finished_sessions_and_leaves_others_open(open_session, now):
    due_lot(open_session, now - timedelta(minutes=1))
    due_lot(open_session, now)
    busy = AuctionSessionFactory(
        status=SessionStatus.OPEN,
        preview_start=now - timedelta(days=3),
        bidding_start=now - timedelta(days=2),
        first_lot_closes_at=now - timedelta(minutes=5),
    )
    due_lot(busy, now - timedelta(minutes=5))
    due_lot(busy, now + timedelta(minutes=2))

    assert lots_close_due(now=now) == {"sold": 0, "passed": 3}

    open_session.refresh_from_db()
    busy.refresh_from_db()
    assert (open_session.status, busy.status) == (SessionStatus.CLOSED, SessionStatus.OPEN)


def test_a_session_whose_lots_closed_in_an_interrupted_run_is_closed_by_the_next(open_session, now):
    # Given: the last lot closed, but the run stopped before it looked at the session.
    due_lot(open_session, now - timedelta(minutes=1), status=LotStatus.PASSED)

    assert lots_close_due(now=now) == {"sold": 0, "passed": 0}

    open_session.refresh_from_db()
    assert open_session.status == SessionStatus.CLOSED


def test_a_session_still_in_preview_is_not_closed(db, now):
    session = AuctionSessionFactory(
        status=SessionStatus.PUBLISHED,
        preview_start=now - timedelta(days=3),
        bidding_start=now - timedelta(days=2),
        first_lot_closes_at=now - timedelta(hours=1),
    )
    due_lot(session, now - timedelta(hours=1))

    assert lots_close_due(now=now) == {"sold": 0, "passed": 1}

    session.refresh_from_db()
    assert session.status == SessionStatus.PUBLISHED


# --- Notifications ----------------------------------------------------------------------------


@pytest.fixture
def contested_lot(open_session, now):
    """Lot sold to A at ¥122,000 (deposit ¥10,000) over B and C; staff and bystanders exist."""
    winner = VerifiedEnterpriseFactory(name="甲精密机械有限公司")
    second = VerifiedEnterpriseFactory(name="乙科技有限公司")
    third = VerifiedEnterpriseFactory(name="丙制造有限公司")
    people = {
        "winner": UserFactory(enterprise=winner, email="a@example.com"),
        "winner, mobile only": UserFactory(enterprise=winner, email=""),
        "second": UserFactory(enterprise=second, email="b@example.com"),
        "third": UserFactory(enterprise=third, email="c@example.com"),
        "third, left": UserFactory(enterprise=third, email="c2@example.com", is_active=False),
        "staff": UserFactory(role=Role.UNION_STAFF, email="staff@example.com"),
        "staff, mobile only": UserFactory(role=Role.UNION_STAFF, email=""),
        "bystander": UserFactory(enterprise=VerifiedEnterpriseFactory(), email="x@example.com"),
    }
    lot = due_lot(
        open_session,
        now,
        title="数控车床刀具快速定位装置",
        **led_by(
            winner, leader_max="150000.00", runner_up_max="120000.00", price="122000.00", bids=3
        ),
    )
    for enterprise in (winner, second, third):
        DepositFactory(lot=lot, enterprise=enterprise, created_by=people["staff"])
    record_bid(lot, third, "110000.00")
    record_bid(lot, second, "120000.00")
    record_bid(lot, winner, "150000.00", leading=True)
    return lot, people


def emails_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def test_the_result_is_emailed_only_after_the_closing_commits(
    contested_lot, now, django_capture_on_commit_callbacks
):
    lot, _people = contested_lot

    with django_capture_on_commit_callbacks() as callbacks:
        lot_close(lot_id=lot.pk, now=now)

    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 4  # the winner, two underbidders, staff


def test_winner_underbidders_and_staff_each_get_their_email(
    contested_lot, now, django_capture_on_commit_callbacks
):
    lot, people = contested_lot

    with django_capture_on_commit_callbacks(execute=True):
        lot_close(lot_id=lot.pk, now=now)

    # One email per enterprise (bidders never see each other's addresses), one for staff;
    # mobile-only and inactive users get none, nor does anyone who did not bid.
    assert sorted(message.to for message in mail.outbox) == [
        ["a@example.com"],
        ["b@example.com"],
        ["c@example.com"],
        ["staff@example.com"],
    ]
    [won] = emails_to("a@example.com")
    assert f"{lot.number}" in won.subject
    # Chinese first, English below.
    chinese, english = won.body.split("\n\n———\n\n")
    for part in (chinese, english):
        assert "¥122,000.00" in part
        assert "¥10,000.00" in part  # the deposit applied
        assert "¥112,000.00" in part  # the balance
        assert f"/auctions/lots/{lot.pk}/" in part
    assert f"You won lot {lot.number} (数控车床刀具快速定位装置)" in english
    assert "甲精密机械有限公司 won lot" in english

    for address in ("b@example.com", "c@example.com"):
        [outbid] = emails_to(address)
        assert "you were outbid" in outbid.body
        assert "Your deposit for this lot will be refunded." in outbid.body
        assert "¥122,000.00" in outbid.body
        # Bidders are known by paddle only: no one learns who won or who else bid.
        for name in ("甲精密机械有限公司", "乙科技有限公司", "丙制造有限公司"):
            assert name not in outbid.body

    [summary] = emails_to("staff@example.com")
    assert "Sold to 甲精密机械有限公司 at ¥122,000.00." in summary.body
    assert "Bids: 3 from 3 bidders." in summary.body
    assert lot.session.name in summary.body


def test_bidders_on_a_lot_passed_below_its_reserve_are_told_and_staff_see_why(
    open_session, now, django_capture_on_commit_callbacks
):
    leader = VerifiedEnterpriseFactory()
    UserFactory(enterprise=leader, email="lead@example.com")
    UserFactory(role=Role.UNION_STAFF, email="staff@example.com")
    lot = due_lot(
        open_session,
        now,
        reserve_price=Decimal("200000.00"),
        **led_by(leader, leader_max="180000.00", price="100000.00"),
    )
    record_bid(lot, leader, "180000.00", leading=True)

    with django_capture_on_commit_callbacks(execute=True):
        assert lot_close(lot_id=lot.pk, now=now) == LotStatus.PASSED

    [told] = emails_to("lead@example.com")
    assert "closed unsold: the reserve price was not met" in told.body
    assert "Your deposit for this lot will be refunded." in told.body
    [summary] = emails_to("staff@example.com")
    assert (
        "Passed: the highest maximum, ¥180,000.00, is below the reserve price of ¥200,000.00."
        in summary.body
    )


def test_a_lot_passed_without_bids_is_reported_to_staff_only(
    open_session, now, django_capture_on_commit_callbacks
):
    UserFactory(role=Role.UNION_STAFF, email="staff@example.com")
    lot = due_lot(open_session, now)

    with django_capture_on_commit_callbacks(execute=True):
        lot_close(lot_id=lot.pk, now=now)

    [summary] = mail.outbox
    assert summary.to == ["staff@example.com"]
    assert "Passed: there were no bids." in summary.body


def test_a_run_emails_every_lot_it_closed_once_it_is_done(
    open_session, now, django_capture_on_commit_callbacks, monkeypatch
):
    UserFactory(role=Role.UNION_STAFF, email="staff@example.com")
    lots = [due_lot(open_session, now - timedelta(minutes=n)) for n in range(3)]
    batches = []
    notify = closing.lots_close_notify

    def batch_notify(*, lot_ids):
        batches.append(set(lot_ids))
        return notify(lot_ids=lot_ids)

    monkeypatch.setattr(closing, "lots_close_notify", batch_notify)

    with django_capture_on_commit_callbacks(execute=True):
        lots_close_due(now=now)

    # One batch after the run, one staff summary per lot.
    assert batches == [{lot.pk for lot in lots}]
    assert len(mail.outbox) == 3
    for lot in lots:
        [summary] = [message for message in mail.outbox if lot.title in message.subject]
        assert "Passed: there were no bids." in summary.body


@pytest.mark.parametrize("lot_count", [2, 6])
def test_emailing_results_takes_the_same_queries_for_2_or_6_lots(
    contested_lot, now, lot_count, django_assert_num_queries
):
    lot, _people = contested_lot
    others = [due_lot(lot.session, now, **led_by(lot.leader, leader_max="1", price="1"))]
    others += [due_lot(lot.session, now) for _ in range(lot_count - 2)]
    lots_close_due(now=now)
    mail.outbox = []

    # Lots with sessions and sales, bidders, deposits, members, staff.
    with django_assert_num_queries(5):
        sent = lots_close_notify(lot_ids=[lot.pk] + [other.pk for other in others])

    assert sent == len(mail.outbox) == 4 + 2 + (lot_count - 2)


# --- The command ------------------------------------------------------------------------------


def test_close_lots_opens_due_sessions_closes_due_lots_and_prints_the_counts(db, now):
    # Given: a session in preview whose bidding opened a day ago and whose two lots are due.
    session = AuctionSessionFactory(
        status=SessionStatus.PUBLISHED,
        preview_start=now - timedelta(days=3),
        bidding_start=now - timedelta(days=1),
        first_lot_closes_at=now - timedelta(minutes=3),
    )
    due_lot(
        session,
        now - timedelta(minutes=3),
        **led_by(VerifiedEnterpriseFactory(), leader_max="120000.00", price="100000.00"),
    )
    due_lot(session, now - timedelta(minutes=1))
    not_yet = AuctionSessionFactory(
        status=SessionStatus.PUBLISHED,
        preview_start=now - timedelta(days=1),
        bidding_start=now + timedelta(hours=1),
        first_lot_closes_at=now + timedelta(days=2),
    )
    out = io.StringIO()

    with translation.override("en"):
        call_command("close_lots", stdout=out)

    assert "Sessions opened: 1. Lots closed: 1 sold, 1 passed." in out.getvalue()
    session.refresh_from_db()
    not_yet.refresh_from_db()
    # Opened, then closed once its lots had closed.
    assert (session.status, not_yet.status) == (SessionStatus.CLOSED, SessionStatus.PUBLISHED)


def test_close_lots_loops_until_interrupted(open_session, now, monkeypatch):
    due_lot(open_session, now - timedelta(minutes=1))
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(close_lots.time, "sleep", sleep)
    # It would close the test's connection: inside the test's transaction, autocommit is off.
    monkeypatch.setattr(close_lots, "close_old_connections", lambda: None)
    out = io.StringIO()

    with translation.override("en"):
        call_command("close_lots", "--loop", "--interval", "2.5", stdout=out)

    # Two passes: the first closes the lot and says so, the second finds nothing to report.
    assert sleeps == [2.5, 2.5]
    assert out.getvalue().count("Lots closed:") == 1
    assert "Lots closed: 0 sold, 1 passed." in out.getvalue()
    assert out.getvalue().rstrip().endswith("Stopped.")


def test_close_lots_refuses_an_interval_of_zero(db):
    with pytest.raises(CommandError):
        call_command("close_lots", "--loop", "--interval", "0")


# --- Concurrency (PostgreSQL) -----------------------------------------------------------------


@pytest.fixture
def committed_open_session(committed_rows_cleanup, now):
    return AuctionSessionFactory(
        status=SessionStatus.OPEN,
        preview_start=now - timedelta(days=3),
        bidding_start=now - timedelta(days=2),
        first_lot_closes_at=now - timedelta(hours=1),
    )


def committed_lot(session, closes_at, **live) -> Lot:
    """A due lot without innovations (those live in another app, which is not flushed)."""
    lot = LotFactory.build(session=session, closes_at=closes_at, scheduled_close_at=closes_at)
    for name, value in live.items():
        setattr(lot, name, value)
    lot.save()
    return lot


def in_thread(target, results, key):
    """Run `target` in this thread's own connection; keep its result or its exception."""
    try:
        results[key] = target()
    except Exception as error:  # reported by the test's assertions
        results[key] = error
    finally:
        connection.close()


def race(targets: dict) -> dict:
    results = {}
    start = threading.Barrier(len(targets))

    def run(key, target):
        start.wait(timeout=10)
        in_thread(target, results, key)

    threads = [threading.Thread(target=run, args=item) for item in targets.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def wait_until_a_backend_waits_for_a_lock(timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


def hold_lot_lock(lot_id: int, locked: threading.Event, release: threading.Event, **change):
    """A bid in progress: lock the lot row, optionally change it, commit when released."""
    try:
        with transaction.atomic():
            Lot.objects.select_for_update().get(pk=lot_id)
            if change:
                Lot.objects.filter(pk=lot_id).update(**change)
            locked.set()
            release.wait(timeout=15)
    finally:
        connection.close()


@concurrency_on_postgresql_only
@pytest.mark.postgres
@committing
def test_eight_threads_closing_one_lot_at_once_close_it_once(committed_open_session, now):
    winner = VerifiedEnterpriseFactory()
    UserFactory(enterprise=winner, email="winner@example.com")
    lot = committed_lot(
        committed_open_session,
        now,
        **led_by(winner, leader_max="150000.00", runner_up_max="120000.00", price="122000.00"),
    )

    results = race({n: lambda: lot_close(lot_id=lot.pk, now=now) for n in range(8)})

    assert sorted(results.values(), key=str) == [None] * 7 + [LotStatus.SOLD], results
    sale = Sale.objects.get()
    assert (sale.lot_id, sale.winner_id, sale.hammer_price) == (
        lot.pk,
        winner.pk,
        Decimal("122000.00"),
    )
    lot.refresh_from_db()
    assert (lot.status, lot.version) == (LotStatus.SOLD, 1)
    assert len(emails_to("winner@example.com")) == 1
    committed_open_session.refresh_from_db()
    assert committed_open_session.status == SessionStatus.CLOSED


@concurrency_on_postgresql_only
@pytest.mark.postgres
@committing
def test_two_workers_closing_50_due_lots_at_once_close_each_once(committed_open_session, now):
    winner = VerifiedEnterpriseFactory()
    UserFactory(enterprise=winner, email="winner@example.com")
    for n in range(50):
        live = {} if n % 5 == 0 else led_by(winner, leader_max="120000.00", price="100000.00")
        committed_lot(committed_open_session, now - timedelta(seconds=50 - n), **live)

    results = race({worker: lambda: lots_close_due(now=now) for worker in ("first", "second")})

    assert all(isinstance(counts, dict) for counts in results.values()), results
    assert sum(counts["sold"] for counts in results.values()) == 40
    assert sum(counts["passed"] for counts in results.values()) == 10
    assert Sale.objects.count() == 40
    assert set(Lot.objects.values_list("status", "version")) == {
        (LotStatus.SOLD, 1),
        (LotStatus.PASSED, 1),
    }
    assert len(emails_to("winner@example.com")) == 40
    committed_open_session.refresh_from_db()
    assert committed_open_session.status == SessionStatus.CLOSED


@concurrency_on_postgresql_only
@pytest.mark.postgres
@committing
def test_a_close_waits_for_a_bid_in_progress_and_honours_its_soft_close(
    committed_open_session, now
):
    # Given: a bid holds the lot's row and moves its closing time 5 minutes on.
    lot = committed_lot(
        committed_open_session,
        now,
        **led_by(VerifiedEnterpriseFactory(), leader_max="120000.00", price="100000.00"),
    )
    locked, release = threading.Event(), threading.Event()
    bid = threading.Thread(
        target=hold_lot_lock,
        args=(lot.pk, locked, release),
        kwargs={"closes_at": now + timedelta(minutes=5)},
    )
    bid.start()
    results = {}
    closer = threading.Thread(
        target=in_thread, args=(lambda: lot_close(lot_id=lot.pk, now=now), results, "close")
    )
    try:
        assert locked.wait(timeout=10)
        # When: the closing task runs at the old closing time.
        closer.start()
        closer_waited = wait_until_a_backend_waits_for_a_lock()
    finally:
        release.set()
        bid.join(timeout=15)
        if closer.is_alive():
            closer.join(timeout=15)

    # Then: it waited for the bid, read the new time, and left the lot open.
    assert closer_waited, "the close did not wait for the bid's lock"
    assert results == {"close": None}
    lot.refresh_from_db()
    assert (lot.status, lot.closes_at) == (LotStatus.PUBLISHED, now + timedelta(minutes=5))
    assert not Sale.objects.exists()


@concurrency_on_postgresql_only
@pytest.mark.postgres
@committing
def test_lots_close_due_passes_over_a_lot_a_bid_holds_and_closes_it_on_the_next_run(
    committed_open_session, now
):
    held = committed_lot(committed_open_session, now - timedelta(minutes=2))
    free = committed_lot(committed_open_session, now - timedelta(minutes=1))
    locked, release = threading.Event(), threading.Event()
    bid = threading.Thread(target=hold_lot_lock, args=(held.pk, locked, release))
    bid.start()
    try:
        assert locked.wait(timeout=10)
        started = time.monotonic()
        first_run = lots_close_due(now=now)
        first_run_seconds = time.monotonic() - started
    finally:
        release.set()
        bid.join(timeout=15)

    assert first_run == {"sold": 0, "passed": 1}
    assert first_run_seconds < 5, "the run waited for the held lot instead of passing over it"
    held.refresh_from_db()
    free.refresh_from_db()
    assert (held.status, free.status) == (LotStatus.PUBLISHED, LotStatus.PASSED)

    assert lots_close_due(now=now) == {"sold": 0, "passed": 1}
    held.refresh_from_db()
    assert held.status == LotStatus.PASSED


def test_a_failing_upkeep_step_is_logged_and_stops_neither_the_others_nor_closing(
    open_session, now, monkeypatch, caplog
):
    due = due_lot(open_session, now - timedelta(minutes=1))
    ran = []

    def stripe_is_down():
        raise RuntimeError("Stripe unreachable")

    def later_step():
        ran.append("later")

    monkeypatch.setattr(close_lots, "UPKEEP_STEPS", (stripe_is_down, later_step))

    call_command("close_lots", stdout=io.StringIO())

    due.refresh_from_db()
    assert due.status == LotStatus.PASSED
    assert ran == ["later"]
    assert "stripe_is_down failed" in caplog.text
