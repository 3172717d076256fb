"""State-changing URLs, POSTed by the wrong role: refused (login, 403, 404, or back to the page
with a message) and nothing written — every table has as many rows afterwards, and the
objects aimed at are as they were.

The site's clients skip CSRF (Django's test client), so what refuses is the permission check;
the API's session path is also tried with CSRF enforced.
"""

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.choices import Role
from api.services.tokens import api_token_create
from innovations.choices import Category, TechnicalField
from innovations.models import Innovation
from marketplace.models import Bid
from tests.factories.accounts import UserFactory
from tests.security import tally
from tests.security.expectations import (
    ADMIN_LOGIN,
    BAD_REQUEST,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    UNAUTHORISED,
    Expect,
    redirect_to,
)
from tests.security.rows import changed_tables, row_counts

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Post:
    role: str
    url: Any  # world → path
    expect: Expect
    data: Any = None  # world → form data
    label: str = ""


def draft_content(world) -> dict:
    return {
        "title": "被篡改的标题",
        "summary": "摘要",
        "description": "说明",
        "category": Category.INVENTION,
        "technical_field": TechnicalField.BASIC_PROCESSES,
        "employer": world.enterprise.pk,
    }


def innovation(name: str, attribute: str = "worker_draft", **extra):
    return lambda w: reverse(
        f"innovations:{name}", kwargs={"pk": getattr(w, attribute).pk, **extra}
    )


LOT_PAGE = lambda w: f"/auctions/lots/{w.lot.pk}/"  # noqa: E731

POSTS = [
    Post("other_worker", innovation("edit"), NOT_FOUND, draft_content, "edit another's draft"),
    Post("staff", innovation("edit"), NOT_FOUND, draft_content, "staff cannot edit content"),
    Post("anonymous", innovation("delete"), LOGIN),
    Post("other_worker", innovation("delete"), NOT_FOUND),
    Post("member", innovation("delete"), NOT_FOUND),
    Post("other_worker", innovation("submit"), NOT_FOUND),
    # Staff may read a submitted innovation but only its owner submits it.
    Post("staff", innovation("submit", "worker_submitted"), FORBIDDEN),
    Post(
        "other_worker",
        innovation("contributors"),
        NOT_FOUND,
        lambda w: {"contributors-TOTAL_FORMS": "1", "contributors-INITIAL_FORMS": "0"},
    ),
    Post("other_worker", innovation("patent_add"), NOT_FOUND),
    Post(
        "other_worker",
        lambda w: reverse(
            "innovations:patent_remove", kwargs={"pk": w.worker_draft.pk, "patent_pk": w.patent.pk}
        ),
        NOT_FOUND,
    ),
    Post("other_worker", innovation("attachment_add"), NOT_FOUND),
    Post(
        "staff",
        lambda w: reverse(
            "innovations:attachment_remove",
            kwargs={"pk": w.worker_draft.pk, "attachment_pk": w.attachment.pk},
        ),
        NOT_FOUND,
    ),
    Post("anonymous", lambda w: f"/auctions/lots/{w.lot.pk}/bid/", LOGIN),
    # No enterprise: the refusal is a message on the lot's page.
    Post(
        "worker",
        lambda w: f"/auctions/lots/{w.lot.pk}/bid/",
        redirect_to("/auctions/lots/"),
        lambda w: {"max_amount": "500000.00"},
    ),
    Post(
        "other_member",
        lambda w: f"/auctions/lots/{w.lot.pk}/bid/",
        redirect_to("/auctions/lots/"),
        lambda w: {"max_amount": "500000.00"},
        "no deposit paid",
    ),
    Post("anonymous", lambda w: f"/auctions/lots/{w.lot.pk}/watch/", LOGIN),
    Post(
        "worker",
        lambda w: "/deposits/checkout/",
        Expect(303, "/deposits/"),
        lambda w: {"lot": [w.lot.pk]},
        "no enterprise",
    ),
    Post(
        "other_member",
        lambda w: "/deposits/checkout/",
        NOT_FOUND,
        lambda w: {"checkout": w.checkout.pk},
        "another enterprise's checkout",
    ),
    Post(
        "other_member",
        lambda w: f"/deposits/checkout/simulated/{w.checkout.stripe_session_id}/",
        NOT_FOUND,
        lambda w: {"action": "pay"},
    ),
    Post("other_member", lambda w: f"/purchases/{w.settlement.pk}/pay/", NOT_FOUND),
    Post("worker", lambda w: f"/purchases/{w.settlement.pk}/pay/", NOT_FOUND),
    Post(
        "other_member",
        lambda w: f"/purchases/checkout/simulated/{w.balance_checkout.stripe_session_id}/",
        NOT_FOUND,
        lambda w: {"action": "pay"},
    ),
    Post(
        "other_member",
        lambda w: f"/accounts/enterprise/api-tokens/{w.member_token_id}/revoke/",
        redirect_to("/accounts/enterprise/api-tokens/"),
        label="another member's token",
    ),
    Post("worker", lambda w: "/accounts/enterprise/resubmit/", NOT_FOUND),
    Post(
        "worker",
        lambda w: "/accounts/enterprise/invite/",
        NOT_FOUND,
        lambda w: {"invite-email": "x@example.com"},
    ),
    Post(
        "worker",
        lambda w: "/licensing/earnings/enterprise-bank-details/",
        NOT_FOUND,
        lambda w: {"bank_account_name": "王", "bank": "工行", "bank_account_number": "62220202001"},
    ),
    Post(
        "worker",
        lambda w: f"/admin/innovations/review/{w.worker_submitted.pk}/",
        ADMIN_LOGIN,
        lambda w: {"decision": "approve", "tier": "transact"},
    ),
    Post("member", lambda w: f"/admin/enterprises/verify/{w.other_enterprise.pk}/", ADMIN_LOGIN),
    Post("member", lambda w: f"/admin/auctions/sessions/publish/{w.session.pk}/", ADMIN_LOGIN),
    Post(
        "other_member",
        lambda w: "/admin/goal/edit/",
        ADMIN_LOGIN,
        lambda w: {"amount": "1.00", "starts_on": "2024-01-01", "ends_on": "2024-12-31"},
    ),
    Post("anonymous", lambda w: "/stripe/webhook/", BAD_REQUEST, lambda w: {"id": "evt_forged"}),
]


def _label(post: Post) -> str:
    return f"{post.role}-{post.label or post.expect}"


@pytest.mark.parametrize("post", POSTS, ids=[_label(p) for p in POSTS])
def test_a_refused_post_writes_nothing(post, world, clients):
    path = post.url(world)
    data = post.data(world) if post.data else {}
    title = Innovation.objects.get(pk=world.worker_draft.pk).title
    before = row_counts()

    response = clients[post.role].post(path, data)

    ok = post.expect.matches(response)
    tally.record("matrix", ok=ok)
    assert ok, (
        f"{path}: expected {post.expect}, got {response.status_code} {response.get('Location')}"
    )
    assert changed_tables(before, row_counts()) == {}
    assert Innovation.objects.get(pk=world.worker_draft.pk).title == title
    world.checkout.refresh_from_db()
    assert world.checkout.status == "open"


def test_another_members_token_is_still_valid_after_their_refused_revoke(world, clients):
    clients["other_member"].post(f"/accounts/enterprise/api-tokens/{world.member_token_id}/revoke/")

    response = Client(headers={"Authorization": f"Bearer {world.member_token_raw}"}).post(
        f"/api/v1/lots/{world.lot.pk}/bids", {"max_amount": "x"}, content_type="application/json"
    )

    # The token still authenticates: the refusal is about the amount, not the caller.
    assert response.json()["code"] == "invalid_amount"


def _bid(client: Client, world, **headers):
    return client.post(
        f"/api/v1/lots/{world.lot.pk}/bids",
        json.dumps({"max_amount": "500000.00"}),
        content_type="application/json",
        headers=headers,
    )


def _api_refusal(response, status: int, code: str) -> bool:
    return response.status_code == status and response.json()["code"] == code


def test_the_bidding_api_refuses_every_wrong_caller_and_places_nothing(world, clients):
    other_token = api_token_create(user=world.users["other_member"], name="乙方程序")[1]
    csrf_session = Client(enforce_csrf_checks=True)
    csrf_session.force_login(world.users["member"])
    no_enterprise = UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=None)
    before = row_counts()
    bids = Bid.objects.count()

    answers = {
        "anonymous": (_bid(clients["anonymous"], world), UNAUTHORISED.status, "not_authenticated"),
        "forged token": (
            _bid(Client(), world, Authorization="Bearer wie_forged"),
            401,
            "not_authenticated",
        ),
        "session without CSRF token": (_bid(csrf_session, world), 403, "csrf_failed"),
        "worker": (_bid(clients["worker"], world), 403, "enterprise_unverified"),
        "staff": (_bid(clients["staff"], world), 403, "enterprise_unverified"),
        "member without enterprise": (
            _bid(_logged_in(no_enterprise), world),
            403,
            "enterprise_unverified",
        ),
        "other enterprise, no deposit": (
            _bid(Client(), world, Authorization=f"Bearer {other_token}"),
            403,
            "deposit_unpaid",
        ),
    }

    for who, (response, status, code) in answers.items():
        ok = _api_refusal(response, status, code)
        tally.record("matrix", ok=ok)
        assert ok, f"{who}: {response.status_code} {response.content[:200]!r}"
    assert Bid.objects.count() == bids
    assert changed_tables(before, row_counts()) == {}


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
