"""GET /api/v1/goal: public, read-only, money as strings with two decimals."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from api.goal import goal_body
from marketplace.choices import Season, SessionStatus
from marketplace.goal_queries import goal_progress
from tests.factories.marketplace import (
    AuctionSessionFactory,
    set_goal,
    settlement_received,
    sold_lot_settlement,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/goal"


@pytest.fixture
def wide_goal():
    """¥2,000,000 over 2000-01-01..2099-12-31, so every day the tests run on is inside."""
    set_goal(amount="2000000.00", starts_on=date(2000, 1, 1), ends_on=date(2099, 12, 31))


def test_anyone_reads_the_goal_with_money_as_two_decimal_strings(wide_goal):
    sold = sold_lot_settlement(price="500000.00", status="paid")
    settlement_received(sold, received="125000.50")
    AuctionSessionFactory(year=2001, season=Season.SPRING, status=SessionStatus.SETTLED)

    response = Client().get(URL, headers={"Accept-Language": "en"})

    assert response.status_code == 200
    body = response.json()
    assert body["amount"] == "2000000.00"
    assert body["volume"] == "500000.00"
    assert body["settled"] == "125000.50"
    assert body["percent"] == "25.00"
    assert body["remaining"] == "1500000.00"
    assert body["window"] == {"starts_on": "2000-01-01", "ends_on": "2099-12-31"}
    assert body["sessions_held"] == 1
    # 200 half-years in the window; 2000 spring … to the current one have passed.
    assert 0 < body["sessions_left"] < 200
    needed = Decimal(body["average_needed_per_session"])
    assert needed * body["sessions_left"] >= Decimal("1500000.00")
    assert body["projection"].count(".") == 1 and len(body["projection"].split(".")[1]) == 2
    assert isinstance(body["on_track"], bool)
    assert body["status"] in {"on_track", "behind"}
    assert date.fromisoformat(body["as_of"]).year >= 2026


def test_the_figures_are_those_of_goal_progress(wide_goal):
    body = Client().get(URL).json()
    expected = goal_body(goal_progress())

    assert body["status"] == expected["status"]
    assert body["projection"] == (
        None if expected["projection"] is None else f"{expected['projection']:.2f}"
    )
    assert body["average_needed_per_session"] == f"{expected['average_needed_per_session']:.2f}"


def test_before_the_window_opens_projection_and_on_track_are_null():
    set_goal(starts_on=date(2098, 1, 1), ends_on=date(2099, 12, 31))

    body = Client().get(URL, headers={"Accept-Language": "en"}).json()

    assert (body["projection"], body["on_track"], body["status"]) == (None, None, "not_started")
    assert body["status_text"] == "Not started: the goal's window opens on 2098-01-01"
    assert body["sessions_left"] == 4


def test_the_status_text_follows_the_request_language():
    set_goal(starts_on=date(2098, 1, 1), ends_on=date(2099, 12, 31))

    response = Client().get(URL)

    assert response["Content-Language"] == "zh-hans"
    with translation.override("zh-hans"):
        expected = translation.gettext("Not started: the goal's window opens on %(date)s") % {
            "date": "2098-01-01"
        }
    assert response.json()["status_text"] == expected


def test_the_goal_is_read_only():
    for method in ("post", "put", "patch", "delete"):
        response = getattr(Client(), method)(URL)
        assert response.status_code == 405, method


def test_the_schema_describes_the_goal_with_money_as_strings(client):
    schema = client.get("/api/v1/openapi.json").json()

    assert "get" in schema["paths"]["/api/v1/goal"]
    properties = schema["components"]["schemas"]["GoalOut"]["properties"]
    assert properties["volume"]["type"] == "string"
    assert properties["percent"]["type"] == "string"
