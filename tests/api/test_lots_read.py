"""GET /api/v1/lots, /lots/{id}, /lots/{id}/bids: the catalogue's lots, state and history.

What the lot page keeps hidden stays hidden: the reserve price, the leader's name and anyone's
maximum never appear in the JSON.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from innovations.choices import Category, PatentStatus
from innovations.models import Industry
from marketplace.choices import LotStatus, RightType, SessionStatus
from marketplace.models import Lot
from marketplace.services import bidding
from tests.api.conftest import bidder, open_session
from tests.factories.innovations import PatentFactory
from tests.factories.marketplace import AuctionSessionFactory, LotFactory

pytestmark = pytest.mark.django_db

LOTS = "/api/v1/lots"
RESERVE = Decimal("876543.21")


def client_get(url, params=None):
    return Client().get(url, params or {})


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [lot["id"] for lot in response.json()["results"]]


def test_the_list_gives_each_visible_lot_with_its_summary(client, open_lot):
    response = client.get(LOTS)

    body = response.json()
    assert (body["count"], body["limit"], body["offset"]) == (1, 24, 0)
    assert body["results"] == [
        {
            "id": open_lot.pk,
            "session": open_lot.session_id,
            "number": open_lot.number,
            "title": open_lot.title,
            "status": "published",
            "right_type": "exclusive",
            "starting_price": "100000.00",
            "current_price": None,
            "bid_count": 0,
            "closes_at": body["results"][0]["closes_at"],
            "categories": ["invention"],
            "industries": [],
            "has_granted_patent": False,
        }
    ]


def test_the_list_leaves_out_what_the_catalogue_hides():
    session = open_session()
    shown = [
        LotFactory(session=session, status=LotStatus.PUBLISHED),
        LotFactory(session=session, status=LotStatus.SOLD),
        LotFactory(session=session, status=LotStatus.WITHDRAWN, withdrawn_reason="专利权属争议"),
    ]
    LotFactory(session=session, status=LotStatus.DRAFT)
    LotFactory(session=session, status=LotStatus.WITHDRAWN, withdrawn_reason="")
    LotFactory(session=AuctionSessionFactory(status=SessionStatus.DRAFT))

    assert sorted(ids(client_get(LOTS))) == sorted(lot.pk for lot in shown)


@pytest.mark.parametrize(
    ("query", "matching", "other"),
    [
        ({"category": "suggestion"}, {"innovation__category": Category.SUGGESTION}, {}),
        ({"right_type": "assignment"}, {"right_type": RightType.ASSIGNMENT}, {}),
        ({"status": "sold"}, {"status": LotStatus.SOLD}, {}),
        ({"price_min": "200000"}, {"starting_price": Decimal("250000.00")}, {}),
        ({"price_max": "150000.00"}, {}, {"starting_price": Decimal("250000.00")}),
    ],
    ids=str,
)
def test_catalogue_filters_narrow_the_list(query, matching, other):
    session = open_session()
    wanted = LotFactory(session=session, **matching)
    LotFactory(session=session, **other)

    assert ids(client_get(LOTS, query)) == [wanted.pk]


def test_the_session_industry_and_granted_patent_filters(open_lot):
    other = LotFactory(session=open_session())
    industry = Industry.objects.create(slug="machinery", name_zh="机械", name_en="Machinery")
    innovation = other.innovations.get()
    innovation.industries.add(industry)
    PatentFactory(innovation=innovation, status=PatentStatus.GRANTED)

    assert ids(client_get(LOTS, {"session": other.session_id})) == [other.pk]
    assert ids(client_get(LOTS, {"industry": "machinery"})) == [other.pk]
    assert ids(client_get(LOTS, {"has_granted_patent": "true"})) == [other.pk]
    assert ids(client_get(LOTS, {"has_granted_patent": "false"})) == [open_lot.pk]
    listed = client_get(LOTS, {"industry": "machinery"}).json()["results"][0]
    assert (listed["industries"], listed["has_granted_patent"]) == (["machinery"], True)


def test_ordering_by_price(open_lot):
    dearer = LotFactory(session=open_lot.session, starting_price=Decimal("300000.00"))

    assert ids(client_get(LOTS, {"ordering": "price_high"})) == [dearer.pk, open_lot.pk]
    assert ids(client_get(LOTS, {"ordering": "price_low"})) == [open_lot.pk, dearer.pk]


@pytest.mark.parametrize(
    "query",
    [
        {"category": "nonsense"},
        {"price_min": "abc"},
        {"session": "999999999"},
        {"industry": "no-such-industry"},
        {"limit": "101"},
        {"limit": "0"},
        {"offset": "-1"},
        {"offset": "99999999999999999999999"},
        {"session": "99999999999999999999999"},
    ],
    ids=str,
)
def test_an_invalid_filter_or_page_is_a_validation_error_never_a_500(open_lot, query):
    response = client_get(LOTS, query)

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_limit_and_offset_page_through_the_lots():
    session = open_session()
    lots = [LotFactory(session=session) for _ in range(5)]

    first = client_get(LOTS, {"limit": 2}).json()
    last = client_get(LOTS, {"limit": 2, "offset": 4}).json()

    assert first["count"] == 5 and len(first["results"]) == 2
    assert [lot["id"] for lot in last["results"]] == [
        lot.pk for lot in sorted(lots, key=lambda lot: (lot.closes_at, lot.pk))
    ][4:]


def test_the_list_costs_the_same_queries_for_2_lots_as_for_20(
    django_assert_max_num_queries, open_lot
):
    for _ in range(19):
        LotFactory(session=open_lot.session)
    # count, page, innovations, patents, industries, and the filter's session and industry
    # choices validated: a query per lot would exceed it.
    with django_assert_max_num_queries(8):
        assert len(ids(client_get(LOTS))) == 20


def test_a_lots_state_has_price_minimum_count_closing_reserve_and_leader_paddle():
    lot = LotFactory(session=open_session(), reserve_price=RESERVE)
    alice, bob = bidder(lot, "上海甲公司"), bidder(lot, "上海乙公司")
    bidding.bid_place(user=alice, lot_id=lot.pk, max_amount="150000.00")
    bidding.bid_place(user=bob, lot_id=lot.pk, max_amount="900000.00")
    lot.refresh_from_db()

    response = client_get(f"{LOTS}/{lot.pk}")

    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in ("id", "status", "bid_count", "reserve_met")} == {
        "id": lot.pk,
        "status": "published",
        "bid_count": 2,
        "reserve_met": True,
    }
    assert body["leader_paddle"] == 2  # bob registered second
    assert body["current_price"] == f"{lot.current_price:.2f}"
    assert body["minimum_bid"] == f"{bidding.minimum_bid(lot):.2f}"
    assert body["closes_at"]
    assert body["starting_price"] == "100000.00"
    assert body["innovations"][0]["title"] == lot.innovations.get().title
    # The price rose to the reserve when bob's maximum reached it (as on the lot page); the
    # maximums, the names and the reserve as such are never given.
    assert body["current_price"] == "876543.21"
    text = response.content.decode()
    for secret in ("900000", "150000", "上海甲公司", "上海乙公司", "reserve_price", "leader_max"):
        assert secret not in text, secret


def test_the_reserve_is_not_met_below_it_and_the_reserve_never_appears_anywhere():
    lot = LotFactory(session=open_session(), reserve_price=RESERVE)
    bidding.bid_place(user=bidder(lot), lot_id=lot.pk, max_amount="150000.00")

    detail = client_get(f"{LOTS}/{lot.pk}")
    listing = client_get(LOTS)
    history = client_get(f"{LOTS}/{lot.pk}/bids")

    assert detail.json()["reserve_met"] is False
    for response in (detail, listing, history):
        assert "876543" not in response.content.decode()
        assert "150000" not in response.content.decode()


def test_a_lot_without_bids_has_no_leader_and_bids_from_the_start(open_lot):
    body = client_get(f"{LOTS}/{open_lot.pk}").json()

    assert (body["leader_paddle"], body["reserve_met"], body["current_price"]) == (
        None,
        False,
        None,
    )
    assert body["minimum_bid"] == "100000.00"


def test_a_closed_lot_has_no_minimum_bid(open_lot):
    Lot.objects.filter(pk=open_lot.pk).update(status=LotStatus.PASSED)

    assert client_get(f"{LOTS}/{open_lot.pk}").json()["minimum_bid"] is None


def test_one_lot_costs_a_fixed_number_of_queries(django_assert_num_queries, open_lot):
    bidding.bid_place(user=bidder(open_lot), lot_id=open_lot.pk, max_amount="150000.00")

    with django_assert_num_queries(2):  # the lot with its state, its innovations
        client_get(f"{LOTS}/{open_lot.pk}")


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": LotStatus.DRAFT},
        {"status": LotStatus.WITHDRAWN, "withdrawn_reason": ""},
    ],
    ids=["draft", "withdrawn without reason"],
)
def test_a_hidden_lot_and_its_bids_are_json_404(hidden):
    lot = LotFactory(session=open_session(), **hidden)
    in_draft_session = LotFactory(session=AuctionSessionFactory(status=SessionStatus.DRAFT))

    for target in (lot, in_draft_session):
        for url in (f"{LOTS}/{target.pk}", f"{LOTS}/{target.pk}/bids"):
            response = client_get(url)
            assert response.status_code == 404, url
            assert response.json()["code"] == "not_found"


def test_the_bid_history_gives_sequence_paddle_price_and_time_newest_first(open_lot):
    alice, bob = bidder(open_lot, "上海甲公司"), bidder(open_lot, "上海乙公司")
    bidding.bid_place(user=alice, lot_id=open_lot.pk, max_amount="150000.00")
    bidding.bid_place(user=bob, lot_id=open_lot.pk, max_amount="120000.00")

    response = client_get(f"{LOTS}/{open_lot.pk}/bids")

    body = response.json()
    assert (body["count"], body["limit"], body["offset"]) == (2, 20, 0)
    assert [
        {key: bid[key] for key in ("sequence", "paddle", "price_after")} for bid in body["results"]
    ] == [
        {"sequence": 2, "paddle": 2, "price_after": "130000.00"},
        {"sequence": 1, "paddle": 1, "price_after": "100000.00"},
    ]
    assert all(
        set(bid) == {"sequence", "paddle", "price_after", "created_at"} for bid in body["results"]
    )
    text = response.content.decode()
    assert "150000" not in text and "120000" not in text and "上海甲公司" not in text


def test_the_bid_history_pages_with_limit_and_offset(open_lot):
    alice, bob = bidder(open_lot), bidder(open_lot)
    for amount in ("110000.00", "130000.00", "150000.00"):
        bidding.bid_place(user=alice, lot_id=open_lot.pk, max_amount=amount)
        bidding.bid_place(user=bob, lot_id=open_lot.pk, max_amount=str(Decimal(amount) + 5000))

    page = client_get(f"{LOTS}/{open_lot.pk}/bids", {"limit": 2, "offset": 2}).json()

    assert page["count"] == 6
    assert [bid["sequence"] for bid in page["results"]] == [4, 3]


def test_an_unknown_path_under_the_api_is_a_json_404_not_a_redirect(client):
    for path in ("/api/v1/x", "/api/v1/x/", "/api/v1/", "/api/v1/lots/1/nope"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"].startswith("application/json"), path
        assert response.json()["code"] == "not_found"


def test_a_closing_time_in_the_past_is_still_readable(open_lot):
    Lot.objects.filter(pk=open_lot.pk).update(closes_at=timezone.now() - timedelta(minutes=1))

    assert client_get(f"{LOTS}/{open_lot.pk}").status_code == 200
