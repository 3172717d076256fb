"""Steps and starting states for the whole journeys (tests/e2e/test_journey_*.py).

Every step a person takes goes through the browser: the public forms, the Wagtail admin, the
simulated Stripe checkout. What is not a person is set up here with the services, and says so:

- the people the journeys start from (a union staff member, a co-inventor, a bidder), made
  the way the other tests make them (tests.factories);
- the clock: the auction clock (`close_lots`) opens sessions and closes lots on time. The
  journeys move a session's schedule back instead of waiting (`clock_*`), the same liberty
  the demo takes (marketplace.demo._open_now), and call the clock's own functions;
- the starting states of journeys 2 and 3 (`approved_innovation`, `sold_and_paid_lot`),
  built with the same services the screens call, so that each journey stands alone and the
  three run in any order.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from accounts.choices import Role
from accounts.models import Enterprise, User
from innovations.choices import Category, PatentKind, PatentStatus, TechnicalField, Tier
from innovations.models import Industry, Innovation
from innovations.patent_numbers import check_character
from innovations.services import drafting, review
from marketplace.choices import RightType, SessionStatus
from marketplace.live.head import head_key
from marketplace.management.commands.close_lots import sessions_open_due
from marketplace.models import AuctionSession, Lot, Settlement
from marketplace.services import auctions, bidding, deposits, payments
from marketplace.services.closing import lot_close
from marketplace.services.settlement import balance_checkout_metadata, settlement_checkout_start
from tests.factories.accounts import TEST_PASSWORD, UserFactory
from tests.factories.marketplace import VerifiedEnterpriseFactory

PASSWORD = TEST_PASSWORD
SHANGHAI = ZoneInfo("Asia/Shanghai")
TIMEOUT_MS = 10_000
# Every user action is a page load or two; htmx polls the live lot region every 2 s.
LIVE_UPDATE_MS = 8_000


# --- People ------------------------------------------------------------------------------------


def union_staff(email: str = "zhou.staff@example.com") -> User:
    """A union staff member (工会工作人员) who logs in to the admin at /admin/."""
    return UserFactory(
        email=email, mobile="13900009001", last_name="周", first_name="慧敏", role=Role.UNION_STAFF
    )


def worker(*, email: str, mobile: str, family: str, given: str, employer: Enterprise) -> User:
    """A worker who registered earlier (a co-inventor, for instance)."""
    return UserFactory(
        email=email,
        mobile=mobile,
        last_name=family,
        first_name=given,
        employer=employer,
        role=Role.WORKER,
    )


def enterprise_member(*, email: str, mobile: str, family: str, given: str, name: str) -> User:
    """The first member of an enterprise that registered and was verified earlier."""
    enterprise = VerifiedEnterpriseFactory(name=name)
    return UserFactory(
        email=email,
        mobile=mobile,
        last_name=family,
        first_name=given,
        enterprise=enterprise,
        role=Role.ENTERPRISE_MEMBER,
    )


def patent_number(digits: str) -> str:
    """A CN application number with its check character, e.g. CN202310397744.0."""
    return f"CN{digits}.{check_character(digits)}"


# --- Browser steps ----------------------------------------------------------------------------


def open_page(context: BrowserContext) -> Page:
    """A new tab in `context`, failing fast like the `page` fixture."""
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return page


def new_person(new_context) -> Page:
    """A second person at another computer: their own browser context and tab."""
    return open_page(new_context())


def header_link(page: Page, name: str):
    return page.locator(".site-nav").get_by_role("link", name=name, exact=True)


def log_in(page: Page, identifier: str, password: str = PASSWORD) -> None:
    """Log in on the public site from the header's 登录 link."""
    page.goto("/")
    header_link(page, "登录").click()
    page.locator("#id_username").fill(identifier)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".site-nav__user")).to_be_visible()


def admin_log_in(page: Page, identifier: str, password: str = PASSWORD) -> None:
    """Log in to the Wagtail admin from the header's 工作人员登录 (staff login) link."""
    page.goto("/")
    header_link(page, "工作人员登录").click()
    page.locator("#id_username").fill(identifier)
    page.locator("#id_password").fill(password)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def open_admin_menu(page: Page, menu: str, item: str) -> None:
    """Open a submenu of the admin's sidebar and follow one of its items."""
    sidebar = page.locator("nav[aria-label]").first
    sidebar.get_by_role("button", name=menu, exact=True).click()
    sidebar.get_by_role("link", name=item, exact=True).click()


def expect_site_message(page: Page, text: str) -> None:
    """A message at the top of a public page (Django's messages)."""
    expect(page.locator(".messages__item").filter(has_text=text)).to_be_visible()


def expect_admin_message(page: Page, text: str) -> None:
    """A message at the top of an admin page."""
    expect(page.locator(".messages").filter(has_text=text)).to_be_visible()


def admin_header_button(page: Page, name: str):
    """A button in the header of an admin page (Wagtail's header buttons are links)."""
    return page.locator("header").get_by_role("link", name=name, exact=True)


def pay_simulated_checkout(page: Page, amount_text: str) -> None:
    """The simulated Stripe Checkout page: check the amount and press 模拟支付 (pay)."""
    pay = page.locator("button[name=action][value=pay]")
    expect(pay).to_contain_text(amount_text)
    pay.click()


def download_text(page: Page, link) -> tuple[str, bytes]:
    """Click a download link; (the file's suggested name, its bytes)."""
    with page.expect_download() as info:
        link.click()
    download = info.value
    with open(download.path(), "rb") as handle:
        return download.suggested_filename, handle.read()


# --- Times as the admin forms show them (Shanghai) -------------------------------------------


def shanghai(moment: datetime) -> datetime:
    return moment.astimezone(SHANGHAI)


def datetime_local(moment: datetime) -> str:
    """What a datetime-local input takes, in Shanghai time: 2026-03-14T09:30."""
    return shanghai(moment).strftime("%Y-%m-%dT%H:%M")


def shown_closing_time(moment: datetime) -> str:
    """A lot's closing time as its live region shows it (Shanghai, to the second)."""
    return shanghai(moment).strftime("%Y-%m-%d %H:%M:%S")


def next_minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0) + timedelta(minutes=1)


# --- The clock --------------------------------------------------------------------------------


def _shift_schedule(session: AuctionSession, shift: timedelta) -> None:
    """Move the session and every lot's times back by `shift`: the same as `shift` passing."""
    AuctionSession.objects.filter(pk=session.pk).update(
        preview_start=F("preview_start") - shift,
        bidding_start=F("bidding_start") - shift,
        first_lot_closes_at=F("first_lot_closes_at") - shift,
    )
    Lot.objects.filter(session=session).update(
        scheduled_close_at=F("scheduled_close_at") - shift, closes_at=F("closes_at") - shift
    )
    # The live pages keep each lot's head (its closing time among others) in the cache for a
    # few seconds, refreshed by bids and closings; a schedule moved behind their back would
    # show there only once it expired.
    cache.delete_many([head_key(lot_id) for lot_id in session.lots.values_list("pk", flat=True)])
    session.refresh_from_db()


def clock_open_bidding(session: AuctionSession) -> AuctionSession:
    """The clock reaches the session's bidding start (a minute ago), and the auction clock's
    pass opens bidding (close_lots' sessions_open_due)."""
    session.refresh_from_db()
    _shift_schedule(session, session.bidding_start - (timezone.now() - timedelta(minutes=1)))
    sessions_open_due()
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN
    return session


def clock_until_closing(lot: Lot, remaining: timedelta) -> Lot:
    """The clock runs on until `lot` has only `remaining` left before it closes."""
    lot.refresh_from_db()
    _shift_schedule(lot.session, lot.closes_at - (timezone.now() + remaining))
    lot.refresh_from_db()
    return lot


def clock_close(lot: Lot) -> str | None:
    """The auction clock's pass a second after the lot's closing time: the closing service
    with that `now`. Returns "sold" or "passed"."""
    lot.refresh_from_db()
    return lot_close(lot_id=lot.pk, now=lot.closes_at + timedelta(seconds=1))


# --- Starting states made with the services ---------------------------------------------------


@dataclass(frozen=True)
class Inventors:
    owner: User
    co_inventor: User
    owner_share: Decimal
    co_inventor_share: Decimal


def approved_innovation(
    *,
    title: str,
    inventors: Inventors,
    staff: User,
    patent_digits: str = "202320419967",
) -> Innovation:
    """A five-small innovation written, submitted and approved as 可转化 through the services
    (journey 1 does the same through the screens)."""
    owner = inventors.owner
    content = drafting.InnovationContent(
        title=title,
        summary="锥面定位销配合快换压板，冲压模具换模时间由 40 分钟缩短到 8 分钟。",
        description="<p>组件以锥面定位销一次定位，压板快速锁紧，重复定位精度 ±0.02 mm。</p>",
        category=Category.INVENTION,
        technical_field=TechnicalField.BASIC_PARTS,
        employer=owner.employer,
        expected_benefit=Decimal("420000.00"),
        industries=list(Industry.objects.order_by("pk")[:1]),
    )
    innovation = drafting.innovation_create_draft(owner=owner, content=content)
    drafting.contributors_replace(
        innovation=innovation,
        actor=owner,
        contributors=[
            drafting.ContributorInput(
                share=inventors.owner_share, user=owner, name=owner.get_full_name()
            ),
            drafting.ContributorInput(
                share=inventors.co_inventor_share,
                user=inventors.co_inventor,
                name=inventors.co_inventor.get_full_name(),
            ),
        ],
    )
    drafting.patent_add(
        innovation=innovation,
        actor=owner,
        data=drafting.PatentInput(
            number=patent_number(patent_digits),
            kind=PatentKind.UTILITY_MODEL,
            status=PatentStatus.GRANTED,
            filing_date=date(2023, 3, 9),
            grant_date=date(2023, 8, 22),
            holders=owner.employer.name,
        ),
    )
    review.innovation_submit(innovation=innovation, actor=owner)
    review.innovation_approve(
        innovation=innovation, actor=staff, tier=Tier.TRANSACT, is_excellent=True
    )
    innovation.refresh_from_db()
    return innovation


def _pay_deposit(member: User, lot: Lot) -> None:
    """A deposit through the simulated checkout and the signed webhook (as the demo does)."""
    checkout = deposits.deposit_checkout_start(user=member, lots=[lot])
    body, signature = payments.simulated_checkout_event(
        event_type="checkout.session.completed",
        session_id=checkout.stripe_session_id,
        amount_fen=checkout.amount_fen,
        metadata=deposits.checkout_metadata(checkout),
    )
    deposits.stripe_event_handle(payments.webhook_event_construct(body, signature))


def _pay_balance(member: User, settlement: Settlement) -> None:
    checkout = settlement_checkout_start(user=member, settlement=settlement)
    body, signature = payments.simulated_checkout_event(
        event_type="checkout.session.completed",
        session_id=checkout.stripe_session_id,
        amount_fen=checkout.amount_fen,
        metadata=balance_checkout_metadata(checkout),
    )
    deposits.stripe_event_handle(payments.webhook_event_construct(body, signature))


def spring_session(staff: User, *, bidding_in: timedelta = timedelta(days=1)) -> AuctionSession:
    """This year's spring session made by session_create, bidding `bidding_in` from now."""
    bidding_start = next_minute(timezone.now()) + bidding_in
    year = shanghai(bidding_start).year
    return auctions.session_create(
        actor=staff,
        name=f"{year}年春季职工创新成果拍卖会",
        year=year,
        season="spring",
        schedule=auctions.SessionSchedule(
            preview_start=bidding_start - timedelta(days=7),
            bidding_start=bidding_start,
            first_lot_closes_at=bidding_start + timedelta(days=3),
        ),
    )


@dataclass(frozen=True)
class SoldLot:
    session: AuctionSession
    lot: Lot
    settlement: Settlement
    buyer: User
    underbidder: User


def sold_and_paid_lot(
    *,
    innovation: Innovation,
    staff: User,
    buyer: User,
    underbidder: User,
    starting_price: Decimal,
    bids: list[tuple[User, Decimal]],
) -> SoldLot:
    """An auction run through the services to the end: session, lot, disclosure, publication,
    both bidders' deposits, `bids`, closing, and the winner's balance paid online. Paying in
    full shares the price and opens the draft agreement (marketplace.services.settlement)."""
    session = spring_session(staff)
    lot = auctions.lot_create(
        actor=staff,
        session=session,
        innovations=[innovation],
        terms=auctions.LotTerms(
            right_type=RightType.EXCLUSIVE_LICENCE,
            licence_term_years=5,
            starting_price=starting_price,
        ),
    )
    auctions.lot_set_disclosure(
        lot=lot,
        actor=staff,
        disclosure=auctions.LotDisclosure(
            patents_legal_status="实用新型专利，已授权，年费已缴，无质押、无在先许可。",
            is_service_invention=True,
            employer_consent=True,
            co_owners_consent=True,
            known_limitations="无",
        ),
    )
    lot = auctions.lot_publish(lot=lot, actor=staff)
    auctions.session_publish(session=session, actor=staff)
    for member in (buyer, underbidder):
        _pay_deposit(member, lot)
    session = clock_open_bidding(session)
    for member, maximum in bids:
        bidding.bid_place(user=member, lot_id=lot.pk, max_amount=maximum)
    assert clock_close(lot) == "sold"
    settlement = Settlement.objects.get(lot=lot)
    assert settlement.buyer_id == buyer.enterprise_id
    _pay_balance(buyer, settlement)
    settlement.refresh_from_db()
    lot.refresh_from_db()
    return SoldLot(
        session=session, lot=lot, settlement=settlement, buyer=buyer, underbidder=underbidder
    )
