"""The enterprise that loses the lead is emailed once the bid that took it commits."""

import pytest
from django.core import mail
from django.core.cache import cache

from accounts.models import User
from marketplace.services.bidding import bid_place
from tests.marketplace.test_lot_bid_page import bidder, open_lot  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()


def members(user) -> list[str]:
    return sorted(User.objects.filter(enterprise=user.enterprise).values_list("email", flat=True))


def bid(capture, user, lot, amount):
    with capture(execute=True):
        return bid_place(user=user, lot_id=lot.pk, max_amount=amount)


def test_the_outbid_enterprise_is_emailed_and_nobody_else(
    django_capture_on_commit_callbacks,
    open_lot,  # noqa: F811
):
    alice = bidder(open_lot, "上海甲公司")
    bob = bidder(open_lot, "上海乙公司")
    bid(django_capture_on_commit_callbacks, alice, open_lot, "150000.00")
    assert mail.outbox == []

    bid(django_capture_on_commit_callbacks, bob, open_lot, "200000.00")

    [email] = mail.outbox
    assert sorted(email.to) == members(alice)
    assert bob.email not in email.to
    assert open_lot.title in email.subject
    assert "出价已被超过" in email.subject
    assert "¥160,000.00" in email.body  # 150,000 + its band's ¥10,000 increment
    assert "You have been outbid" in email.body
    assert "上海乙公司" not in email.body and bob.email not in email.body


def test_no_email_when_the_leader_keeps_the_lead(
    django_capture_on_commit_callbacks,
    open_lot,  # noqa: F811
):
    alice = bidder(open_lot, "上海甲公司")
    bob = bidder(open_lot, "上海乙公司")
    bid(django_capture_on_commit_callbacks, alice, open_lot, "300000.00")

    result = bid(django_capture_on_commit_callbacks, bob, open_lot, "200000.00")
    bid(django_capture_on_commit_callbacks, alice, open_lot, "400000.00")

    assert not result.leading
    assert mail.outbox == []


def test_a_bidding_war_sends_one_email_per_enterprise_and_lot_in_ten_minutes(
    django_capture_on_commit_callbacks,
    open_lot,  # noqa: F811
):
    alice = bidder(open_lot, "上海甲公司")
    bob = bidder(open_lot, "上海乙公司")
    for alice_max, bob_max in [("150000.00", "200000.00"), ("300000.00", "400000.00")]:
        bid(django_capture_on_commit_callbacks, alice, open_lot, alice_max)
        bid(django_capture_on_commit_callbacks, bob, open_lot, bob_max)

    assert [sorted(email.to) for email in mail.outbox] == [members(alice), members(bob)]


def test_a_refused_bid_sends_nothing(django_capture_on_commit_callbacks, open_lot):  # noqa: F811
    alice = bidder(open_lot, "上海甲公司")
    bid(django_capture_on_commit_callbacks, alice, open_lot, "150000.00")

    with pytest.raises(Exception, match="最低"):
        bid(django_capture_on_commit_callbacks, bidder(open_lot, "上海乙公司"), open_lot, "1.00")

    assert mail.outbox == []
