"""Personal API tokens: made and revoked by enterprise members, used as `Bearer` credentials;
and the session with its CSRF check, for the browser."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.choices import Role
from accounts.models import User
from api.exceptions import ApiTokenNameInvalidError, ApiTokenNotAllowedError, ApiTokenNotFoundError
from api.models import ApiToken
from api.services.tokens import api_token_create, api_token_revoke, token_digest
from marketplace.models import Bid
from marketplace.services import bidding
from tests.api.conftest import bidder, post_bid
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

CSRF_TOKEN = "a" * 32


def test_a_token_is_stored_as_its_hash_and_a_visible_prefix(enterprise_member):
    token, raw = api_token_create(user=enterprise_member, name="  出价程序  ")

    assert raw.startswith("wie_") and len(raw) > 40
    token.refresh_from_db()
    assert token.name == "出价程序"
    assert token.token_hash == token_digest(raw) and raw not in token.token_hash
    assert raw.startswith(token.prefix) and len(token.prefix) == 12
    assert (token.last_used_at, token.revoked_at) == (None, None)
    assert not ApiToken.objects.filter(token_hash=raw).exists()


def test_only_enterprise_members_may_create_tokens(worker):
    with pytest.raises(ApiTokenNotAllowedError):
        api_token_create(user=worker, name="出价程序")
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_token_needs_a_name_of_at_most_100_characters(enterprise_member, name):
    with pytest.raises(ApiTokenNameInvalidError):
        api_token_create(user=enterprise_member, name=name)


def test_a_bid_with_a_bearer_token_is_the_tokens_user(open_lot):
    alice = bidder(open_lot)
    _token, raw = api_token_create(user=alice, name="出价程序")
    client = Client(headers={"Authorization": f"Bearer {raw}"})

    response = post_bid(client, open_lot, "150000.00")

    assert response.status_code == 201
    assert Bid.objects.get().user == alice


def test_a_revoked_token_is_401_and_places_no_bid(open_lot):
    alice = bidder(open_lot)
    token, raw = api_token_create(user=alice, name="出价程序")
    api_token_revoke(user=alice, token_id=token.pk)

    response = post_bid(Client(headers={"Authorization": f"Bearer {raw}"}), open_lot, "150000.00")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert not Bid.objects.exists()


def test_an_unknown_token_is_401_even_with_a_logged_in_session(open_lot):
    client = Client(headers={"Authorization": "Bearer wie_not-a-token"})
    client.force_login(bidder(open_lot))

    response = post_bid(client, open_lot, "150000.00")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_deactivated_users_token_is_401(open_lot):
    alice = bidder(open_lot)
    _token, raw = api_token_create(user=alice, name="出价程序")
    alice.is_active = False
    alice.save()

    response = post_bid(Client(headers={"Authorization": f"Bearer {raw}"}), open_lot, "150000.00")

    assert response.status_code == 401


def test_another_users_token_cannot_be_revoked(open_lot):
    alice, bob = bidder(open_lot), bidder(open_lot)
    token, raw = api_token_create(user=alice, name="出价程序")

    with pytest.raises(ApiTokenNotFoundError):
        api_token_revoke(user=bob, token_id=token.pk)

    token.refresh_from_db()
    assert token.revoked_at is None
    response = post_bid(Client(headers={"Authorization": f"Bearer {raw}"}), open_lot, "150000.00")
    assert response.status_code == 201


def test_revoking_twice_keeps_the_first_revocation_time(enterprise_member):
    token, _raw = api_token_create(user=enterprise_member, name="出价程序")
    first = api_token_revoke(user=enterprise_member, token_id=token.pk).revoked_at

    assert api_token_revoke(user=enterprise_member, token_id=token.pk).revoked_at == first


def test_last_used_is_written_at_most_once_a_minute(open_lot):
    alice = bidder(open_lot)
    token, raw = api_token_create(user=alice, name="出价程序")
    client = Client(headers={"Authorization": f"Bearer {raw}"})

    post_bid(client, open_lot, "150000.00")
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None

    post_bid(client, open_lot, "160000.00")
    token.refresh_from_db()
    assert token.last_used_at == first_use

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first_use - timedelta(minutes=2))
    post_bid(client, open_lot, "170000.00")
    token.refresh_from_db()
    assert token.last_used_at > first_use


def test_a_token_bid_costs_two_queries_more_than_bid_place_alone(open_lot):
    """The token's user, then their enterprise (two plain reads; see api_token_user), and
    nothing else."""
    alice = bidder(open_lot)
    bidding.bid_place(user=alice, lot_id=open_lot.pk, max_amount="150000.00")
    token, raw = api_token_create(user=alice, name="出价程序")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    loaded = User.objects.select_related("enterprise").get(pk=alice.pk)

    with CaptureQueriesContext(connection) as direct:
        bidding.bid_place(user=loaded, lot_id=open_lot.pk, max_amount="160000.00")
    with CaptureQueriesContext(connection) as through_api:
        assert post_bid(client, open_lot, "170000.00").status_code == 201

    assert len(through_api) == len(direct) + 2


# --- the browser session ----------------------------------------------------------------


def test_a_session_post_without_the_csrf_token_is_403_csrf_failed(open_lot):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bidder(open_lot))

    response = post_bid(client, open_lot, "150000.00")

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert not Bid.objects.exists()


def test_a_session_post_with_the_csrf_token_is_201(open_lot):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bidder(open_lot))
    client.cookies["csrftoken"] = CSRF_TOKEN

    response = post_bid(client, open_lot, "150000.00", {"X-CSRFToken": CSRF_TOKEN})

    assert response.status_code == 201


def test_a_token_needs_no_csrf_token(open_lot):
    _token, raw = api_token_create(user=bidder(open_lot), name="出价程序")
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {raw}"})

    assert post_bid(client, open_lot, "150000.00").status_code == 201


def test_an_anonymous_post_is_401_not_a_csrf_failure(open_lot):
    response = post_bid(Client(enforce_csrf_checks=True), open_lot, "150000.00")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


# --- the tokens page ----------------------------------------------------------------------

TOKENS_PAGE = "/en/accounts/enterprise/api-tokens/"


def test_a_member_creates_a_token_on_the_page_and_sees_it_once(client, enterprise_member):
    client.force_login(enterprise_member)

    response = client.post(TOKENS_PAGE, {"name": "出价程序"})

    assert response.status_code == 201
    token = ApiToken.objects.get(user=enterprise_member)
    raw = response.context["new_token"]["raw"]
    assert raw in response.content.decode() and token.token_hash == token_digest(raw)
    later = client.get(TOKENS_PAGE).content.decode()
    assert raw not in later
    assert token.prefix in later and "出价程序" in later


def test_a_member_revokes_their_token_from_the_page(client, enterprise_member):
    token, _raw = api_token_create(user=enterprise_member, name="出价程序")
    client.force_login(enterprise_member)

    response = client.post(f"{TOKENS_PAGE}{token.pk}/revoke/", follow=True)

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "is revoked" in response.content.decode()


def test_the_page_will_not_revoke_another_members_token(client, enterprise_member):
    other = UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=enterprise_member.enterprise)
    token, _raw = api_token_create(user=other, name="出价程序")
    client.force_login(enterprise_member)

    response = client.post(f"{TOKENS_PAGE}{token.pk}/revoke/", follow=True)

    token.refresh_from_db()
    assert token.revoked_at is None
    assert "There is no such token among yours." in response.content.decode()


def test_someone_without_an_enterprise_is_told_tokens_are_for_enterprise_members(client, worker):
    client.force_login(worker)

    page = client.get(TOKENS_PAGE).content.decode()
    refused = client.post(TOKENS_PAGE, {"name": "出价程序"})

    assert "Only members of an enterprise can create API tokens" in page
    assert 'name="name"' not in page
    assert refused.status_code == 400
    assert not ApiToken.objects.exists()


def test_the_enterprise_page_links_to_the_tokens_page(client, enterprise_member):
    client.force_login(enterprise_member)

    assert (
        "/accounts/enterprise/api-tokens/" in client.get("/accounts/enterprise/").content.decode()
    )


def test_the_tokens_page_needs_a_login(client):
    response = client.get(TOKENS_PAGE)

    assert response.status_code == 302 and "login" in response["Location"]
