"""The staff live monitor: figures on a worked example, the page and its polled fragment, and
who may see it.

The worked example, at T (bidding opened at T − 2 h; soft close 1 minute):
- lot A, start ¥10,000, reserve ¥12,000, closes at T − 3 min: Alice ¥15,000 at T − 8:30, Bob
  ¥14,000 at T − 6:10 (price ¥15,000); closed at T − 2 min: sold, hammer price ¥15,000.
- lot B, start ¥100,000, no reserve, closes at T + 1 h: Alice ¥120,000 at T − 4:20, Carol
  ¥110,000 at T − 0:50, Bob ¥150,000 at T − 0:30: price ¥130,000, reserve met.
- lot C, start ¥100,000, reserve ¥500,000, closes at T + 1 h: Dave ¥150,000 at T − 15 min,
  Carol ¥200,000 at T − 0:20: price ¥160,000, reserve not met.

Toward the goal (¥1,000,000, a window around today): lot A's settlement is the only confirmed
deal, ¥15,000 = 1.50%; lot B's ¥130,000 is in play, not yet confirmed.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts.choices import Role
from marketplace.choices import LotStatus, SessionStatus
from marketplace.goal_queries import goal_progress
from marketplace.live_queries import session_open_now, session_pulse
from marketplace.models import Settlement
from marketplace.services.bidding import bid_place
from marketplace.services.closing import lot_close
from marketplace.services.defaults import settlement_default
from marketplace.views.live_monitor import MonitorFiguresMixin
from tests.factories.accounts import UserFactory
from tests.factories.marketplace import (
    AuctionSessionFactory,
    DepositFactory,
    LotFactory,
    VerifiedEnterpriseFactory,
    set_goal,
    sold_lot_settlement,
)

pytestmark = pytest.mark.django_db

MONITOR_URL = "/admin/auctions/live/"


def figures_url(session) -> str:
    return f"/admin/auctions/live/{session.pk}/figures/"


@pytest.fixture
def moment():
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def example(moment):
    session = AuctionSessionFactory(
        name="2031年春季拍卖会",
        status=SessionStatus.OPEN,
        preview_start=moment - timedelta(days=2),
        bidding_start=moment - timedelta(hours=2),
        first_lot_closes_at=moment - timedelta(minutes=3),
        soft_close_window=timedelta(minutes=1),
    )
    a = LotFactory(
        session=session,
        number=1,
        title="甲拍品",
        starting_price=Decimal("10000.00"),
        reserve_price=Decimal("12000.00"),
        closes_at=moment - timedelta(minutes=3),
        scheduled_close_at=moment - timedelta(minutes=3),
    )
    b = LotFactory(
        session=session,
        number=2,
        title="乙拍品",
        closes_at=moment + timedelta(hours=1),
        scheduled_close_at=moment + timedelta(hours=1),
    )
    c = LotFactory(
        session=session,
        number=3,
        title="丙拍品",
        reserve_price=Decimal("500000.00"),
        closes_at=moment + timedelta(hours=1),
        scheduled_close_at=moment + timedelta(hours=1),
    )
    people = {}
    for name, lots in (("alice", [a, b]), ("bob", [a, b]), ("carol", [b, c]), ("dave", [c])):
        enterprise = VerifiedEnterpriseFactory()
        for lot in lots:
            DepositFactory(lot=lot, enterprise=enterprise)
        people[name] = UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=enterprise)
    bids = [
        ("dave", c, "150000.00", timedelta(minutes=15)),
        ("alice", a, "15000.00", timedelta(minutes=8, seconds=30)),
        ("bob", a, "14000.00", timedelta(minutes=6, seconds=10)),
        ("alice", b, "120000.00", timedelta(minutes=4, seconds=20)),
        ("carol", b, "110000.00", timedelta(seconds=50)),
        ("bob", b, "150000.00", timedelta(seconds=30)),
        ("carol", c, "200000.00", timedelta(seconds=20)),
    ]
    for name, lot, amount, before in bids:
        bid_place(user=people[name], lot_id=lot.pk, max_amount=amount, now=moment - before)
    assert lot_close(lot_id=a.pk, now=moment - timedelta(minutes=2)) == LotStatus.SOLD
    return session, (a, b, c)


def test_the_figures_of_the_worked_example(example, moment):
    session, (a, b, c) = example

    pulse = session_pulse(session, now=moment)

    assert (pulse.lots_open, pulse.lots_closed) == (2, 1)
    assert (pulse.lots_sold, pulse.lots_passed, pulse.lots_awaiting_result) == (1, 0, 0)
    assert pulse.bids_last_minute == 3
    assert pulse.bids_per_minute == [3, 0, 0, 0, 1, 0, 1, 0, 1, 0]
    assert pulse.sold_total == Decimal("15000.00")
    # Lot B only: lot C's reserve is not met.
    assert pulse.provisional_total == Decimal("130000.00")
    assert pulse.running_total == Decimal("145000.00")
    assert pulse.confirmed_total == Decimal("15000.00")
    assert pulse.bidders == 4
    assert [(lot.pk, lot.recent_bids) for lot in pulse.most_active_lots] == [
        (b.pk, 3),
        (a.pk, 2),
        (c.pk, 1),
    ]


def test_a_lot_past_its_closing_time_counts_as_closed_before_its_result(example, moment):
    session, (_a, b, _c) = example

    pulse = session_pulse(session, now=b.closes_at)

    assert (pulse.lots_open, pulse.lots_awaiting_result, pulse.lots_closed) == (0, 2, 3)
    # Nothing was bid in the ten minutes before B's closing time.
    assert pulse.bids_per_minute == [0] * 10
    # B will still sell at its current price: it stays in the provisional total.
    assert pulse.provisional_total == Decimal("130000.00")


def test_the_figures_take_the_same_queries_however_many_lots_and_bids(
    example, moment, django_assert_num_queries
):
    session, _lots = example

    # Five: the four of the lots and bids, and one sum of the session's confirmed settlements.
    with django_assert_num_queries(5):
        session_pulse(session, now=moment)


@pytest.fixture
def staff_client(client, union_staff):
    client.force_login(union_staff)
    return client


def squeeze(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_staff_see_the_session_open_now_with_its_figures(staff_client, example):
    session, (a, b, _c) = example
    AuctionSessionFactory(name="下一场拍卖会")  # in preview: bidding opens tomorrow

    content = squeeze(staff_client.get(MONITOR_URL))

    assert "2031年春季拍卖会" in content and "下一场拍卖会" in content  # the choice offered
    assert 'data-figure="lots-open">2<' in content
    assert 'data-figure="lots-closed">1<' in content
    assert 'data-figure="bids-last-minute">3<' in content
    assert 'data-figure="bidders">4<' in content
    assert 'data-figure="sold-total">¥15,000.00<' in content
    assert 'data-figure="provisional-total">¥130,000.00<' in content
    assert 'data-figure="running-total">¥145,000.00<' in content
    assert content.index("乙拍品") < content.index("甲拍品") < content.index("丙拍品")
    assert f'hx-get="{figures_url(session)}"' in content
    assert "vendor/htmx/htmx.min.js" in content


def test_the_polled_figures_are_the_same_include(staff_client, example):
    session, _lots = example

    response = staff_client.get(figures_url(session))

    assert response.status_code == 200
    content = squeeze(response)
    assert 'data-figure="running-total">¥145,000.00<' in content
    assert "<html" not in content


def test_staff_pick_another_session_and_a_bad_pick_shows_the_default(staff_client, example):
    session, _lots = example
    other = AuctionSessionFactory(name="秋季拍卖会")

    picked = squeeze(staff_client.get(MONITOR_URL, {"session": other.pk}))
    bad = staff_client.get(MONITOR_URL, {"session": "abc"})

    assert f'hx-get="{figures_url(other)}"' in picked
    assert 'data-figure="lots-open">0<' in picked
    assert bad.status_code == 200
    assert f'hx-get="{figures_url(session)}"' in squeeze(bad)
    assert 'class="error-message"' in squeeze(bad)
    assert staff_client.get("/admin/auctions/live/999999/figures/").status_code == 404


def test_the_session_open_now_is_the_default(example, moment):
    session, _lots = example
    AuctionSessionFactory()  # in preview: not under way

    assert session_open_now(moment) == session


def test_without_any_session_the_page_says_so(staff_client):
    response = staff_client.get(MONITOR_URL)

    assert response.status_code == 200
    assert "暂无可显示的拍卖会" in squeeze(response)  # There is no auction session to show yet.


def test_the_menu_offers_the_monitor_to_staff_only(staff_client, client):
    assert MONITOR_URL in staff_client.get("/admin/").content.decode()

    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert MONITOR_URL not in client.get("/admin/").content.decode()


@pytest.mark.parametrize("who", ["anonymous", "worker", "enterprise_member"])
def test_only_union_staff_reach_the_monitor(client, example, who):
    session, _lots = example
    if who != "anonymous":
        role = Role.WORKER if who == "worker" else Role.ENTERPRISE_MEMBER
        client.force_login(UserFactory(role=role))

    for url in (MONITOR_URL, figures_url(session)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_an_admin_user_who_is_not_union_staff_is_refused(client, example):
    session, _lots = example
    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)

    for url in (MONITOR_URL, figures_url(session)):
        response = client.get(url)
        assert response.status_code == 302
        assert "¥145,000.00" not in response.content.decode()


# --- toward the goal ---------------------------------------------------------------------------


@pytest.fixture
def goal():
    today = timezone.localdate()
    return set_goal(
        amount="1000000.00",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=30),
    )


def goal_figures(content: str) -> dict[str, str]:
    names = ("session-confirmed", "in-play", "goal-volume", "goal-amount", "goal-percent")
    return {name: re.search(rf'data-figure="{name}">([^<]*)<', content).group(1) for name in names}


def test_the_running_total_moves_toward_the_goal_when_a_lot_closes_sold(
    staff_client, example, goal
):
    session, (_a, b, _c) = example

    with translation.override("en"):
        before = squeeze(staff_client.get(figures_url(session)))
    assert lot_close(lot_id=b.pk, now=b.closes_at) == LotStatus.SOLD
    after = squeeze(staff_client.get(figures_url(session)))

    # The admin speaks the staff member's language (Chinese by default), whatever the test's.
    with translation.override("zh-hans"):
        assert translation.gettext("Toward the goal") in before
        assert (
            translation.gettext(
                "In play, not yet confirmed (current prices of open lots whose reserve is met)"
            )
            in before
        )
    # Lot A's ¥15,000 is confirmed: 15,000 / 1,000,000 = 1.50%; lot B's ¥130,000 is in play.
    assert goal_figures(before) == {
        "session-confirmed": "¥15,000.00",
        "in-play": "¥130,000.00",
        "goal-volume": "¥15,000.00",
        "goal-amount": "¥1,000,000.00",
        "goal-percent": "1.50%",
    }
    # B sold to Bob at ¥130,000: 15,000 + 130,000 = 145,000 = 14.50%, nothing left in play.
    assert goal_figures(after) == {
        "session-confirmed": "¥145,000.00",
        "in-play": "¥0.00",
        "goal-volume": "¥145,000.00",
        "goal-amount": "¥1,000,000.00",
        "goal-percent": "14.50%",
    }
    assert 'data-figure="goal-remaining">¥855,000.00<' in after
    assert 'max="100" value="14.50"' in after


def test_the_page_shows_the_goal_figures_too(staff_client, example, goal):
    content = squeeze(staff_client.get(MONITOR_URL))

    assert goal_figures(content)["goal-percent"] == "1.50%"
    assert "目标完成比例" in content  # Percent of the goal


def test_a_defaulted_sale_leaves_the_confirmed_total_and_the_goal(staff_client, example, goal):
    session, (a, _b, _c) = example
    settlement = Settlement.objects.get(lot=a)

    assert settlement_default(
        settlement_id=settlement.pk, now=settlement.due_at + timedelta(seconds=1)
    )
    content = squeeze(staff_client.get(figures_url(session)))

    assert goal_figures(content) == {
        "session-confirmed": "¥0.00",
        "in-play": "¥130,000.00",
        "goal-volume": "¥0.00",
        "goal-amount": "¥1,000,000.00",
        "goal-percent": "0.00%",
    }
    # The hammer price stays in the hammer total: the lot was sold, then its buyer defaulted.
    assert 'data-figure="sold-total">¥15,000.00<' in content


def test_the_goal_adds_only_its_own_queries_to_the_figures(example, goal):
    session, _lots = example
    with CaptureQueriesContext(connection) as goal_alone:
        goal_progress()

    with CaptureQueriesContext(connection) as figures:
        context = MonitorFiguresMixin().figures_context(session)

    assert len(figures) == 5 + len(goal_alone)
    assert context["goal"].volume == Decimal("15000.00")


def test_the_polled_figures_take_the_same_queries_with_more_lots(staff_client, example, goal):
    session, _lots = example
    staff_client.get(figures_url(session))  # warm the per-process caches
    with CaptureQueriesContext(connection) as three_lots:
        staff_client.get(figures_url(session))
    for number in range(4, 14):
        sold = LotFactory(session=session, number=number, status=LotStatus.SOLD)
        sold_lot_settlement(price="20000.00", lot=sold)
    for number in range(14, 24):
        LotFactory(
            session=session, number=number, closes_at=session.bidding_start + timedelta(days=1)
        )

    with CaptureQueriesContext(connection) as twenty_three_lots:
        content = squeeze(staff_client.get(figures_url(session)))

    assert len(twenty_three_lots) == len(three_lots)
    # 15,000 + 10 × 20,000 = 215,000 = 21.50% of ¥1,000,000.
    assert goal_figures(content)["session-confirmed"] == "¥215,000.00"
    assert goal_figures(content)["goal-percent"] == "21.50%"
