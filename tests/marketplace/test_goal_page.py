"""The public goal progress page, in both languages, and the home page's link to it."""

from datetime import date

import pytest
from django.utils import translation

from tests.factories.marketplace import set_goal, settlement_received, sold_lot_settlement

pytestmark = pytest.mark.django_db


@pytest.fixture
def this_year_goal():
    """A goal whose window covers any day the tests run on: ¥2,000,000 over 2000–2099."""
    set_goal(amount="2000000.00", starts_on=date(2000, 1, 1), ends_on=date(2099, 12, 31))


def test_the_english_page_shows_the_figures_in_words_with_a_bar(client, this_year_goal):
    sold = sold_lot_settlement(price="500000.00", status="paid")
    settlement_received(sold, received="500000.00")

    response = client.get("/en/goal/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "¥500,000.00 of ¥2,000,000.00 in confirmed deals" in page
    assert '<progress class="goal-progress" max="100" value="25.00"' in page
    assert "25.00% reached" in page
    assert "Settled (paid)" in page and "Projection at the current pace" in page
    assert "Auction sessions left" in page and "Needed per remaining session" in page
    assert 'class="goal-status goal-status--' in page
    assert "style=" not in page and "<script>" not in page


def test_the_chinese_page_is_at_goal(client, this_year_goal):
    response = client.get("/goal/")

    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    page = response.content.decode()
    with translation.override("zh-hans"):
        assert translation.gettext("Progress toward the goal") in page
        assert translation.gettext("Transaction volume") in page


def test_the_status_is_said_in_words_and_in_a_colour_class(client):
    set_goal()
    # The default window ends 2026-12-31; whatever today is, nothing sold is not on track.
    response = client.get("/en/goal/")

    page = response.content.decode()
    goal_status = response.context["goal"].status
    assert goal_status in {"behind", "missed", "not_started"}
    assert f'goal-status--{goal_status}">{response.context["goal"].status_text}<' in page


def test_the_page_is_read_only(client):
    assert client.post("/en/goal/").status_code == 405


@pytest.mark.parametrize(("prefix", "language"), [("", "zh-hans"), ("/en", "en")])
def test_the_home_page_goal_box_links_to_the_page_in_its_language(client, prefix, language):
    page = client.get(f"{prefix}/").content.decode()

    box = page[page.index('class="home-goal"') :]
    box = box[: box.index("</section>")]
    assert f'href="{prefix}/goal/"' in box
