"""Auction-session pages: the editors' story beside the session's live catalogue and, once it
has closed, its results."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cms.demo_pages import paragraphs
from cms.demo_sessions import seed_session_pages
from cms.models import AuctionSessionIndexPage, AuctionSessionPage
from marketplace.choices import LotStatus, SessionStatus
from tests.cms.page_tree import english_copy, homes, publish_under
from tests.factories.marketplace import AuctionSessionFactory, LotFactory, sold_lot_settlement

pytestmark = pytest.mark.django_db


@pytest.fixture
def index():
    page = publish_under(
        homes()["zh-hans"], AuctionSessionIndexPage(title="拍卖会", slug="auction-sessions")
    )
    english_copy(page, title="Auction sessions")
    return page


def session_page(index, session, slug="2026-spring"):
    return publish_under(
        index,
        AuctionSessionPage(
            title=session.name, slug=slug, session=session, body=paragraphs("春季拍卖会圆满落槌。")
        ),
    )


def interface(text: str, language: str = "zh-hans") -> str:
    with translation.override(language):
        return translation.gettext(text)


def test_an_open_session_tells_its_story_and_links_its_catalogue_without_results(client, index):
    session = AuctionSessionFactory(status=SessionStatus.OPEN)
    session_page(index, session)

    content = client.get("/auction-sessions/2026-spring/").content.decode()

    assert "春季拍卖会圆满落槌。" in content
    assert f'href="/auctions/{session.pk}/"' in content
    assert interface("Results") not in content


def test_a_closed_session_shows_its_results_and_top_lots(client, index):
    session = AuctionSessionFactory(status=SessionStatus.CLOSED)
    for price, title in (("300000.00", "岸桥吊具防摇摆装置"), ("120000.00", "刀具快换定位销")):
        lot = LotFactory(session=session, status=LotStatus.SOLD, title=title)
        sold_lot_settlement(price=price, lot=lot)
    LotFactory(session=session, status=LotStatus.PASSED, title="流拍的拍品")
    page = session_page(index, session)
    english_copy(page, title="Spring auction", body=paragraphs("The spring auction closed."))

    chinese = client.get("/auction-sessions/2026-spring/").content.decode()
    english = client.get("/en/auction-sessions/2026-spring/").content.decode()

    assert interface("Results") in chinese
    assert "¥420,000.00" in chinese
    assert chinese.index("岸桥吊具防摇摆装置") < chinese.index("刀具快换定位销")
    assert "流拍的拍品" not in chinese
    assert "Results" in english and "The spring auction closed." in english
    assert "Lots sold" in english and "¥420,000.00" in english


def test_a_page_about_a_draft_session_has_no_catalogue_link_and_is_not_listed(client, index):
    session = AuctionSessionFactory(status=SessionStatus.DRAFT)
    session_page(index, session)

    page = client.get("/auction-sessions/2026-spring/").content.decode()
    listing = client.get("/auction-sessions/").content.decode()

    assert f'href="/auctions/{session.pk}/"' not in page
    assert session.name not in listing


def test_the_index_lists_public_sessions_newest_bidding_first(client, index):
    older = AuctionSessionFactory(status=SessionStatus.SETTLED, name="2030年春季拍卖会")
    newer = AuctionSessionFactory(
        status=SessionStatus.OPEN,
        name="2031年春季拍卖会",
        bidding_start=older.bidding_start.replace(year=older.bidding_start.year + 1),
        first_lot_closes_at=older.first_lot_closes_at.replace(
            year=older.first_lot_closes_at.year + 1
        ),
    )
    session_page(index, older, slug="older")
    session_page(index, newer, slug="newer")

    content = client.get("/auction-sessions/").content.decode()

    assert content.index("2031年春季拍卖会") < content.index("2030年春季拍卖会")


def test_seed_session_pages_makes_one_page_per_public_session_in_both_languages_once():
    AuctionSessionFactory(status=SessionStatus.CLOSED)
    AuctionSessionFactory(status=SessionStatus.DRAFT)

    seed_session_pages()
    seed_session_pages()

    assert AuctionSessionPage.objects.filter(locale__language_code="zh-hans").count() == 1
    assert AuctionSessionPage.objects.filter(locale__language_code="en").count() == 1


def test_the_index_runs_the_same_queries_for_one_and_four_sessions(client, index):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/auction-sessions/").status_code == 200
        return len(captured.captured_queries)

    session_page(index, AuctionSessionFactory(status=SessionStatus.SETTLED), slug="s0")
    with_one = queries()
    for n in range(1, 4):
        session_page(index, AuctionSessionFactory(status=SessionStatus.CLOSED), slug=f"s{n}")

    assert queries() == with_one
