"""Journey 2, in Chromium: union staff build the spring auction session in the admin, make a
lot from an approved 可转化 innovation and publish both; an enterprise registers on the public
form and staff verify it; two enterprises pay their deposits through the simulated Stripe
checkout and bid against each other in two browsers — a proxy bid that defends itself, and a
late bid that extends the closing time; the lot is sold; the winner pays the balance through
the simulated checkout; the underbidder's deposit is refunded.

Set up without the screens (tests/e2e/journeys.py): the union staff member; the innovation,
written and approved through the services (journey 1 does it through the screens); the second
bidder, an enterprise registered and verified earlier. The clock: bidding opens when the
schedule says (the schedule is moved back, then the auction clock's own pass opens it), time
runs on to the last minutes of the lot, and the lot closes by the closing service called a
second after its closing time. Every person's action is in the browser.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Enterprise
from marketplace.choices import DepositStatus, LotStatus
from marketplace.models import AuctionSession, Deposit, Lot, Settlement
from marketplace.models.settlement import SettlementStatus
from tests.e2e.journeys import (
    LIVE_UPDATE_MS,
    Inventors,
    admin_header_button,
    admin_log_in,
    approved_innovation,
    clock_close,
    clock_open_bidding,
    clock_until_closing,
    datetime_local,
    enterprise_member,
    expect_admin_message,
    expect_site_message,
    header_link,
    log_in,
    new_person,
    next_minute,
    open_admin_menu,
    pay_simulated_checkout,
    shanghai,
    shown_closing_time,
    union_staff,
    worker,
)
from tests.factories.accounts import EnterpriseFactory, credit_code

TITLE = "岸桥吊具防摇摆液压缓冲装置"
NEW_ENTERPRISE = "上海临港海工装备有限公司"
NEW_MEMBER_EMAIL = "sun.li@example.com"
RIVAL_EMAIL = "liu.yang@example.com"
STARTING_PRICE = Decimal("100000.00")
DEPOSIT = "¥10,000.00"  # the session's rule: 10% of the starting price


def yuan(amount: Decimal | str) -> str:
    return f"¥{Decimal(amount):,.2f}"


@pytest.fixture
def auction_start(live_site):
    staff = union_staff()
    employer = EnterpriseFactory(name="上海港机重工有限公司")
    owner = worker(
        email="wang.jianguo@example.com",
        mobile="13800009201",
        family="王",
        given="建国",
        employer=employer,
    )
    co_inventor = worker(
        email="zhang.wei@example.com",
        mobile="13800009202",
        family="张",
        given="伟",
        employer=employer,
    )
    innovation = approved_innovation(
        title=TITLE,
        inventors=Inventors(owner, co_inventor, Decimal("70"), Decimal("30")),
        staff=staff,
    )
    rival = enterprise_member(
        email=RIVAL_EMAIL,
        mobile="13700009202",
        family="刘",
        given="洋",
        name="上海浦江新材料科技股份有限公司",
    )
    return {"staff": staff, "innovation": innovation, "rival": rival}


def test_an_auction_from_catalogue_to_settlement_with_a_proxy_bid_and_a_soft_close(
    page, shot, new_context, auction_start
):
    staff_page = page
    bidder_page = new_person(new_context)  # the enterprise that registers today
    rival_page = new_person(new_context)  # the enterprise verified earlier

    # --- Staff build the spring session, a lot, and publish them. ---
    admin_log_in(staff_page, "zhou.staff@example.com")
    open_admin_menu(staff_page, "拍卖", "拍卖会")
    staff_page.locator("header").get_by_role("link", name=re.compile("添加")).click()
    now = timezone.now()
    bidding_start = next_minute(now) + timedelta(hours=2)
    year = shanghai(bidding_start).year
    session_name = f"{year}年春季职工创新成果拍卖会"
    form = staff_page.locator("form#w-editor-form")
    form.locator("#id_name").fill(session_name)
    form.locator("#id_year").fill(str(year))
    form.locator("#id_season").select_option(label="春季")
    form.locator("#id_description").fill("春季职工创新成果专场：海工与港机装备。")
    form.locator("#id_preview_start").fill(datetime_local(now - timedelta(hours=1)))
    form.locator("#id_bidding_start").fill(datetime_local(bidding_start))
    form.locator("#id_first_lot_closes_at").fill(
        datetime_local(bidding_start + timedelta(days=1, hours=1))
    )
    expect(form.locator("#id_soft_close_minutes")).to_have_value("5")
    shot("staff-new-session")
    form.locator("button[type=submit]").click()
    expect_admin_message(staff_page, session_name)
    session = AuctionSession.objects.get(name=session_name)

    admin_header_button(staff_page, "添加拍品").click()
    form = staff_page.locator("form#w-editor-form")
    form.get_by_label(re.compile(TITLE)).check()
    form.locator("#id_right_type").select_option(label="独占许可")
    form.locator("#id_licence_term_years").fill("5")
    form.locator("#id_starting_price").fill(str(STARTING_PRICE))
    form.locator("button[type=submit]").click()
    expect_admin_message(staff_page, DEPOSIT)

    admin_header_button(staff_page, "交易条件与信息披露").click()
    form = staff_page.locator("form#w-editor-form")
    # Suggested from the innovation's patent; staff add what the register says.
    legal_status = form.locator("#id_patents_legal_status")
    expect(legal_status).to_contain_text("CN2023")
    legal_status.fill(legal_status.input_value() + "\n年费已缴，无质押、无在先许可。")
    form.locator("#id_is_service_invention").check()
    form.locator("#id_employer_consent").check()
    form.locator("#id_co_owners_consent").check()
    form.locator("#id_known_limitations").fill("无")
    form.locator("button[type=submit]").click()
    staff_page.locator("form[action*='/publish/'] button").click()
    expect(staff_page.locator("main")).to_contain_text("已上图录")
    lot = Lot.objects.get(session=session)
    assert lot.status == LotStatus.PUBLISHED

    staff_page.get_by_role("link", name=session_name).first.click()
    staff_page.locator("form[action*='/publish/'] button").click()
    expect_admin_message(staff_page, session_name)
    shot("staff-published-the-session")

    # --- An enterprise registers on the public form; staff verify it. ---
    bidder_page.goto("/")
    header_link(bidder_page, "企业注册").click()
    bidder_page.locator("#id_name").fill(NEW_ENTERPRISE)
    bidder_page.locator("#id_credit_code").fill(credit_code(4242))
    bidder_page.locator("#id_district").select_option(label="浦东新区")
    bidder_page.locator("#id_industry").select_option(label="装备制造")
    bidder_page.locator("#id_contact_name").fill("孙立")
    bidder_page.locator("#id_contact_phone").fill("021-68881234")
    bidder_page.locator("#id_family_name").fill("孙")
    bidder_page.locator("#id_given_name").fill("立")
    bidder_page.locator("#id_email").fill(NEW_MEMBER_EMAIL)
    bidder_page.locator("#id_mobile").fill("13700009201")
    bidder_page.locator("#id_password1").fill("Harbour-Crane-2026")
    bidder_page.locator("#id_password2").fill("Harbour-Crane-2026")
    bidder_page.locator("main form button[type=submit]").click()
    expect(bidder_page.locator("main h1")).to_have_text(NEW_ENTERPRISE)
    expect(bidder_page.locator(".enterprise-section .status")).to_have_text("待认证")
    shot("enterprise-registered", bidder_page)

    open_admin_menu(staff_page, "企业", "待认证企业")
    staff_page.get_by_role("link", name=NEW_ENTERPRISE).click()
    admin_header_button(staff_page, "认证审核").click()
    staff_page.get_by_label("认证通过", exact=True).check()
    staff_page.locator("form#w-editor-form button[type=submit]").click()
    expect_admin_message(staff_page, NEW_ENTERPRISE)
    assert Enterprise.objects.get(name=NEW_ENTERPRISE).is_verified
    header_link(bidder_page, "我的企业").click()
    expect(bidder_page.locator(".enterprise-section .status")).to_have_text("已认证")

    # --- Both enterprises pay the deposit through the simulated Stripe checkout. ---
    log_in(rival_page, RIVAL_EMAIL)
    for bidder, step in ((bidder_page, "deposit-paid"), (rival_page, "rival-deposit-paid")):
        open_lot_from_the_catalogue(bidder, session_name)
        bidder.locator(".lot__deposit button[type=submit]").click()
        pay_simulated_checkout(bidder, DEPOSIT)
        expect_site_message(bidder, "已收到模拟支付")
        header_link(bidder, "我的保证金").click()
        deposit_row = bidder.locator("main table tbody tr").filter(has_text=TITLE)
        expect(deposit_row.locator(".status")).to_have_text("已缴纳")
        shot(step, bidder)
        open_lot_from_the_catalogue(bidder, session_name)
        expect(bidder.locator(".lot__deposit")).to_contain_text("贵企业已缴纳本拍品保证金")

    # --- The clock reaches the bidding start; the two enterprises bid. ---
    clock_open_bidding(session)
    lot.refresh_from_db()
    bidder_page.reload()
    place_bid(bidder_page, STARTING_PRICE)
    expect_status(bidder_page, "您目前领先。")

    # A proxy bid: the rival's maximum is ¥150,000; the price rises only to what beats the
    # first bid by one increment (¥10,000 above ¥100,000).
    rival_page.reload()
    place_bid(rival_page, Decimal("150000"))
    expect_price(rival_page, "110000", bids=2)
    expect_status(rival_page, "您目前领先。")
    expect(rival_page.locator(".bid-status")).to_contain_text(yuan("150000"))
    shot("rival-proxy-bid", rival_page)

    # The first bidder raises to ¥120,000: the proxy answers at once, the rival still leads.
    bidder_page.reload()
    expect(bidder_page.locator("#id_max_amount")).to_have_value("120000.00")
    place_bid(bidder_page, Decimal("120000"))
    expect_price(bidder_page, "130000", bids=3)
    expect_status(bidder_page, "您的出价已被超过。")
    shot("outbid-by-the-proxy", bidder_page)

    # --- Two minutes before the close, a bid inside the 5-minute window extends it. ---
    lot = clock_until_closing(lot, timedelta(minutes=2))
    bidder_page.reload()
    closing = bidder_page.locator(".lot-live__facts time")
    expect(closing).to_have_text(shown_closing_time(lot.closes_at))
    before = lot.closes_at
    place_bid(bidder_page, Decimal("160000"))
    lot.refresh_from_db()
    assert lot.closes_at > before + timedelta(minutes=2), (before, lot.closes_at)
    closing = bidder_page.locator(".lot-live__facts time")
    expect(closing).to_have_text(shown_closing_time(lot.closes_at))
    expect(bidder_page.locator(".lot-live__facts")).to_contain_text("因临近结束的出价而延时")
    expect_price(bidder_page, "160000", bids=4)
    expect_status(bidder_page, "您目前领先。")
    shot("late-bid-extends-the-close", bidder_page)
    # The rival's page follows by itself (htmx polls the live region), without a reload.
    expect(rival_page.locator(".lot-live__facts time")).to_have_text(
        shown_closing_time(lot.closes_at), timeout=LIVE_UPDATE_MS
    )
    expect(rival_page.locator(".bid-status")).to_contain_text(
        "您的出价已被超过。", timeout=LIVE_UPDATE_MS
    )
    shot("rival-sees-the-extension", rival_page)

    # --- The lot closes: sold at ¥160,000; the deposit is applied, the balance paid. ---
    assert clock_close(lot) == "sold"
    bidder_page.reload()
    expect(bidder_page.locator(".lot-live__facts")).to_contain_text("已成交")
    expect_status(bidder_page, "您已拍得该拍品。")
    settlement = Settlement.objects.get(lot=lot)
    assert settlement.price == Decimal("160000.00")
    balance = settlement.amount_due - Decimal("10000.00")

    header_link(bidder_page, "我的购买").click()
    purchase = bidder_page.locator("main table tbody tr").filter(has_text=TITLE)
    expect(purchase).to_contain_text(yuan(balance))
    purchase.get_by_role("link").first.click()
    bidder_page.locator("form[action$='/pay/'] button").click()
    pay_simulated_checkout(bidder_page, yuan(balance))
    expect(bidder_page.locator("main")).to_contain_text("已付清")
    shot("winner-paid-the-balance", bidder_page)
    settlement.refresh_from_db()
    assert settlement.status == SettlementStatus.PAID

    # --- The underbidder's deposit has been refunded. ---
    header_link(rival_page, "我的保证金").click()
    deposit_row = rival_page.locator("main table tbody tr").filter(has_text=TITLE)
    expect(deposit_row.locator(".status")).to_have_text("已退还")
    refund = Deposit.objects.get(lot=lot, enterprise=auction_start["rival"].enterprise)
    assert refund.status == DepositStatus.REFUNDED
    expect(deposit_row.locator("td").nth(6)).to_have_text(
        shanghai(refund.refunded_at).strftime("%Y-%m-%d %H:%M")
    )
    shot("underbidder-deposit-refunded", rival_page)


def open_lot_from_the_catalogue(page, session_name: str) -> None:
    header_link(page, "拍卖").click()
    page.get_by_role("link", name=session_name).click()
    page.locator(".lot-card a", has_text=TITLE).first.click()
    expect(page.locator("main h1")).to_have_text(TITLE)


def place_bid(page, maximum: Decimal) -> None:
    page.locator("#id_max_amount").fill(str(maximum))
    page.locator(".bid-form button[type=submit]").click()
    expect(page.locator(".messages__item")).to_be_visible()


def expect_price(page, price: str, *, bids: int) -> None:
    expect(page.locator(".lot-live__price")).to_contain_text(yuan(price))
    expect(page.locator(".lot-live__price")).to_contain_text(str(bids))


def expect_status(page, text: str) -> None:
    expect(page.locator(".bid-status")).to_contain_text(text)
