"""seed_demo loads the demo data once, however often it runs, and its printed logins work."""

from decimal import Decimal

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import Revision

from accounts.choices import Role, VerificationStatus
from accounts.demo import DEMO_PASSWORD, DEMO_PEOPLE
from accounts.models import Enterprise, User
from accounts.services.roles import user_has_role
from cms.models import HomePage
from innovations.choices import Category, Status
from innovations.models import Innovation, Patent, ReviewEvent
from marketplace.choices import DepositStatus, LotStatus, SessionStatus
from marketplace.demo import BIDDER_CREDIT_CODES
from marketplace.models import AuctionSession, Deposit, GoalDeal, LedgerTransaction
from marketplace.money import yuan_to_fen
from marketplace.services.goal_deals import goal_deals_differences
from marketplace.services.ledger import (
    account_balance_fen,
    enterprise_deposits_account,
    ledger_key_describe,
)


def run_seed(**options) -> str:
    from io import StringIO

    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "enterprises": Enterprise.objects.count(),
        "home pages": HomePage.objects.count(),
        "revisions": Revision.objects.count(),
        "group memberships": User.groups.through.objects.count(),
        "innovations": Innovation.objects.count(),
        "patents": Patent.objects.count(),
        "review events": ReviewEvent.objects.count(),
        "goal report deals": GoalDeal.objects.count(),
    }


def test_running_twice_creates_nothing_new(db, settings):
    settings.DEBUG = True
    run_seed()
    after_first = row_counts()

    run_seed()

    assert row_counts() == after_first
    assert after_first["users"] == len(DEMO_PEOPLE)
    # The demo's past sales and signed agreements, made through the services, are in the goal
    # report's summary exactly as the counting rule says.
    assert after_first["goal report deals"] > 0
    assert goal_deals_differences() == []
    # Every money movement of the demo is named in the money log: the log reads the movement
    # from the ledger key, so a caller that changed its key's shape would show up as "other".
    keys = LedgerTransaction.objects.values_list("idempotency_key", flat=True)
    codes = {ledger_key_describe(key)[0] for key in keys}
    assert codes and "other" not in codes


def test_printed_logins_work_by_email_and_by_mobile(db, settings):
    settings.DEBUG = True
    output = run_seed()

    for person in DEMO_PEOPLE:
        assert person.email in output
        assert authenticate(username=person.email, password=DEMO_PASSWORD) is not None
        assert authenticate(username=person.mobile, password=DEMO_PASSWORD) is not None
    assert DEMO_PASSWORD in output


def test_demo_people_have_their_roles(db, settings):
    settings.DEBUG = True
    run_seed()

    for person in DEMO_PEOPLE:
        user = User.objects.get(username=person.username)
        if person.role is not None:
            assert user_has_role(user, person.role)
    members = User.objects.filter(enterprise__isnull=False)
    assert members.exists()
    assert all(user_has_role(member, Role.ENTERPRISE_MEMBER) for member in members)


def test_demo_enterprises_have_valid_credit_codes(db, settings):
    settings.DEBUG = True
    run_seed()

    for enterprise in Enterprise.objects.all():
        enterprise.full_clean()


def test_a_changed_demo_password_is_reset_so_the_printed_login_works_again(db, settings):
    settings.DEBUG = True
    run_seed()
    staff = User.objects.get(username="staff")
    staff.set_password("something-else-entirely")
    staff.save()

    run_seed()

    assert authenticate(username="staff@example.com", password=DEMO_PASSWORD) == staff


def test_home_page_gets_its_demo_introduction_in_both_languages(client, db, settings):
    settings.DEBUG = True
    run_seed()

    assert "每一元转化收益" in client.get("/").content.decode()
    assert "sharing every yuan" in client.get("/en/").content.decode()


def test_refuses_to_run_with_debug_off_unless_forced(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError):
        run_seed()
    assert not User.objects.filter(username="staff").exists()

    run_seed(force=True)
    assert User.objects.filter(username="staff").exists()


def test_demo_innovations_cover_every_category_and_status_with_patents(db, settings):
    settings.DEBUG = True
    run_seed()

    assert set(Innovation.objects.values_list("category", flat=True)) == set(Category.values)
    assert set(Innovation.objects.values_list("status", flat=True)) == set(Status.values)
    assert Patent.objects.filter(status="granted").exists()
    assert Innovation.objects.filter(status=Status.APPROVED, tier="transact").exists()


def test_demo_auction_is_open_with_lots_verified_bidders_paid_deposits_and_bids(db, settings):
    settings.DEBUG = True
    run_seed()
    run_seed()

    # The open session; the settled one from an earlier season is tested with settlement.
    session = AuctionSession.objects.get(status=SessionStatus.OPEN)
    assert session.bidding_start < timezone.now() < session.lots.earliest("closes_at").closes_at
    assert session.lots.filter(status=LotStatus.PUBLISHED).count() == 2
    bidders = Enterprise.objects.filter(verification_status=VerificationStatus.VERIFIED)
    assert bidders.count() == 2
    paid = Deposit.objects.filter(lot__session=session, status=DepositStatus.PAID)
    assert paid.count() == 3
    assert set(paid.values_list("enterprise", flat=True)) == set(
        bidders.values_list("pk", flat=True)
    )
    for enterprise in bidders:
        held = enterprise_deposits_account(enterprise)
        # What the enterprise still has on deposit: its paid deposits of the open session.
        assert account_balance_fen(held) == -sum(
            yuan_to_fen(d.amount) for d in paid.filter(enterprise=enterprise)
        )
    # Run twice, bid once: a proxy contest on the first lot, one bid on the second.
    first, second = session.lots.order_by("number")
    assert (first.bid_count, second.bid_count) == (3, 1)
    assert first.current_price == Decimal("390000.00")  # 380,000 + its band's ¥10,000
    assert first.leader_id == bidders.get(credit_code=BIDDER_CREDIT_CODES[0]).pk
