"""The home page's live parts: the session countdown, the goal figure and the featured
innovations the editors choose."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.countdown import session_countdown
from cms.models import CraftsmanIndexPage, HomeFeaturedCraftsman, HomeFeaturedInnovation
from innovations.choices import Status
from marketplace.choices import SessionStatus
from tests.cms.page_tree import homes, publish_under
from tests.factories.craftsmen import CraftsmanFactory
from tests.factories.innovations import InnovationFactory
from tests.factories.marketplace import AuctionSessionFactory, sold_lot_settlement

pytestmark = pytest.mark.django_db


def feature(*innovations):
    home = homes()["zh-hans"]
    for innovation in innovations:
        home.featured_innovations.add(HomeFeaturedInnovation(innovation=innovation))
    home.save_revision().publish()


def test_the_goal_figure_is_live(client):
    before = client.get("/en/").content.decode()
    sold_lot_settlement(price="250000000.00")
    after = client.get("/en/").content.decode()

    assert "¥0.00 of ¥1,000,000,000.00 in confirmed deals" in before
    assert "¥250,000,000.00 of ¥1,000,000,000.00 in confirmed deals" in after
    assert 'value="25.00"' in after and "25.00% reached" in after


def test_the_countdown_counts_to_bidding_for_a_session_in_preview():
    now = timezone.now()
    session = AuctionSessionFactory(bidding_start=now + timedelta(days=2, hours=3, minutes=5))

    countdown = session_countdown(session, now)

    assert countdown.event == "opens"
    assert (countdown.days, countdown.hours, countdown.minutes) == (2, 3, 5)


def test_the_countdown_counts_to_the_first_closing_once_bidding_is_open_and_stops_at_zero():
    now = timezone.now()
    session = AuctionSessionFactory(
        status=SessionStatus.OPEN,
        bidding_start=now - timedelta(hours=1),
        first_lot_closes_at=now + timedelta(minutes=90),
    )

    assert session_countdown(session, now).event == "closes"
    assert (session_countdown(session, now).hours, session_countdown(session, now).minutes) == (
        1,
        30,
    )
    assert session_countdown(session, now + timedelta(hours=2)).remaining == timedelta(0)


def test_the_home_page_shows_the_open_session_before_one_in_preview(client):
    AuctionSessionFactory(name="预展中的拍卖会")
    AuctionSessionFactory(
        name="竞价中的拍卖会",
        status=SessionStatus.OPEN,
        bidding_start=timezone.now() - timedelta(hours=1),
        first_lot_closes_at=timezone.now() + timedelta(days=1),
    )

    content = client.get("/").content.decode()

    assert "竞价中的拍卖会" in content and "预展中的拍卖会" not in content
    assert "data-countdown-to=" in content


def test_no_countdown_between_sessions(client):
    AuctionSessionFactory(name="已结束的拍卖会", status=SessionStatus.SETTLED)

    content = client.get("/").content.decode()

    assert "data-countdown-to=" not in content and "已结束的拍卖会" not in content


def test_featured_innovations_show_in_the_editors_order_and_only_while_approved(client):
    first = InnovationFactory(title="岸桥吊具防摇摆装置", status=Status.APPROVED)
    second = InnovationFactory(title="刀具快换定位销", status=Status.APPROVED)
    withdrawn = InnovationFactory(title="后来被驳回的成果", status=Status.APPROVED)
    feature(second, first, withdrawn)
    withdrawn.status = Status.REJECTED
    withdrawn.save()

    content = client.get("/").content.decode()

    assert content.index("刀具快换定位销") < content.index("岸桥吊具防摇摆装置")
    assert "后来被驳回的成果" not in content


def test_the_home_page_runs_the_same_queries_for_one_and_six_featured_innovations(client):
    AuctionSessionFactory()
    innovations = [InnovationFactory(status=Status.APPROVED) for _ in range(6)]

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured.captured_queries)

    feature(innovations[0])
    with_one = queries()
    homes()["zh-hans"].featured_innovations.all().delete()
    feature(*innovations)

    assert queries() == with_one


@pytest.fixture
def craftsman_index():
    return publish_under(homes()["zh-hans"], CraftsmanIndexPage(title="工匠风采", slug="craftsmen"))


def feature_craftsmen(*craftsmen):
    home = homes()["zh-hans"]
    for craftsman in craftsmen:
        home.featured_craftsmen.add(HomeFeaturedCraftsman(craftsman=craftsman))
    home.save_revision().publish()


def test_featured_craftsmen_link_to_their_profiles_in_the_editors_order(client, craftsman_index):
    first = CraftsmanFactory(name="陈志刚", slug="chen-zhigang")
    second = CraftsmanFactory(name="王建国", slug="wang-jianguo")
    hidden = CraftsmanFactory(name="隐藏的工匠", slug="hidden")
    feature_craftsmen(second, first, hidden)
    hidden.is_published = False
    hidden.save()

    content = client.get("/").content.decode()

    assert content.index("王建国") < content.index("陈志刚")
    assert 'href="/craftsmen/wang-jianguo/"' in content
    assert "隐藏的工匠" not in content


def test_featured_craftsmen_are_not_shown_without_a_live_craftsmen_index(client):
    feature_craftsmen(CraftsmanFactory(name="陈志刚"))

    assert "陈志刚" not in client.get("/").content.decode()


def test_the_home_page_runs_the_same_queries_for_one_and_five_featured_craftsmen(
    client, craftsman_index
):
    craftsmen = [CraftsmanFactory() for _ in range(5)]

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured.captured_queries)

    feature_craftsmen(craftsmen[0])
    with_one = queries()
    homes()["zh-hans"].featured_craftsmen.all().delete()
    feature_craftsmen(*craftsmen)

    assert queries() == with_one
