"""Bugs the security tests found, each pinned by a plain test."""

import pytest

from innovations.choices import Status
from innovations.models import Innovation
from marketplace.models import CheckoutSession
from tests.factories.accounts import EnterpriseFactory
from tests.factories.innovations import InnovationFactory

pytestmark = pytest.mark.django_db


# --- The innovation chooser (cms/innovation_chooser.py) ------------------------------------------


def test_the_innovation_chooser_answers_a_non_numeric_id_with_404_not_500(client, union_staff):
    client.force_login(union_staff)

    assert client.get("/admin/innovation-chooser/chosen/x/").status_code == 404
    assert client.get("/admin/innovation-chooser/chosen/99999999999999999999/").status_code == 404


def test_the_innovation_chooser_does_not_hand_out_a_draft(client, union_staff):
    draft = InnovationFactory(title="保密的草稿", status=Status.DRAFT)
    approved = InnovationFactory(title="公开的成果", status=Status.APPROVED)
    client.force_login(union_staff)

    assert client.get(f"/admin/innovation-chooser/chosen/{draft.pk}/").status_code == 404
    chosen = client.get(f"/admin/innovation-chooser/chosen/{approved.pk}/")
    assert chosen.status_code == 200
    assert chosen.json()["result"]["title"] == "公开的成果"


def test_the_innovation_chooser_skips_bad_and_draft_ids_in_a_multiple_choice(client, union_staff):
    draft = InnovationFactory(title="保密的草稿", status=Status.DRAFT)
    approved = InnovationFactory(title="公开的成果", status=Status.APPROVED)
    client.force_login(union_staff)

    response = client.get(
        "/admin/innovation-chooser/chosen-multiple/",
        {"id": ["x", str(draft.pk), str(approved.pk), "１２"]},
    )

    assert response.status_code == 200
    assert [item["title"] for item in response.json()["result"]] == ["公开的成果"]


# --- Ids too large for the database (innovations.forms.IdMultipleChoiceField) --------------------

TOO_LARGE = "99999999999999999999"


def test_an_industry_id_too_large_for_the_database_is_a_form_error(client, worker):
    client.force_login(worker)

    response = client.post(
        "/innovations/new/",
        {
            "title": "焊缝自动打磨小车",
            "summary": "打磨效率提高三倍。",
            "description": "小车沿焊缝自动行走。",
            "category": "invention",
            "technical_field": "basic_processes",
            "employer": str(EnterpriseFactory().pk),
            "industries": [TOO_LARGE],
        },
    )

    assert response.status_code == 200
    assert "industries" in response.context["form"].errors
    assert not Innovation.objects.exists()


def test_a_deposit_for_a_lot_id_too_large_is_refused_with_a_message(client, enterprise_member):
    client.force_login(enterprise_member)

    response = client.post("/deposits/checkout/", {"lot": [TOO_LARGE]})

    assert response.status_code == 303
    assert not CheckoutSession.objects.exists()


def test_staff_forms_choosing_innovations_refuse_an_id_too_large():
    from licensing.admin_forms import NegotiatedDealForm

    form = NegotiatedDealForm(data={"innovations": [TOO_LARGE, "x"]})

    assert not form.is_valid()
    assert "innovations" in form.errors


# --- The bidding API takes what its schema says (marketplace/api.py) -----------------------------


@pytest.fixture
def api_bidder(open_lot_with_bidder):
    return open_lot_with_bidder


@pytest.fixture
def open_lot_with_bidder(db):
    from tests.api.conftest import bidder, open_session, token_client
    from tests.factories.marketplace import LotFactory

    lot = LotFactory(session=open_session())
    return lot, token_client(bidder(lot))


@pytest.mark.parametrize("amount", ["２０００００", "200000.00\n", " 200000.00", "2e5"])
def test_a_bid_amount_outside_the_schemas_pattern_is_invalid_amount(api_bidder, amount):
    from marketplace.models import Bid

    lot, client = api_bidder

    response = client.post(
        f"/api/v1/lots/{lot.pk}/bids", {"max_amount": amount}, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_amount"
    assert not Bid.objects.exists()


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml"])
def test_a_bid_not_sent_as_json_is_415_and_places_nothing(api_bidder, content_type):
    from marketplace.models import Bid

    lot, client = api_bidder

    response = client.generic(
        "POST", f"/api/v1/lots/{lot.pk}/bids", '{"max_amount": "200000.00"}', content_type
    )

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert not Bid.objects.exists()


def test_a_bid_sent_as_json_is_still_placed(api_bidder):
    lot, client = api_bidder

    response = client.post(
        f"/api/v1/lots/{lot.pk}/bids", {"max_amount": "200000.00"}, content_type="application/json"
    )

    assert response.status_code == 201
