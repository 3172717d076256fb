"""Journey 3, in Chromium: after an auction sale, union staff complete and sign the agreement in
the admin, bring it into force and record a royalty; the profit-sharing splits it, and the
worker and the co-inventor each see their exact share on "My earnings"; staff see the sale in
the goal tracker and download it.

Set up without the screens (tests/e2e/journeys.py, `sold_and_paid_lot`): the people, the
approved innovation of two inventors (60/40), and its auction run through the services to a
sold lot whose balance is paid — which shares the price and opens the draft agreement.
Journeys 1 and 2 walk those steps through the screens.
"""

import csv
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from licensing.choices import AgreementStatus
from licensing.models import Agreement
from marketplace.models import Goal
from marketplace.services.goal import goal_update
from tests.e2e.journeys import (
    Inventors,
    admin_header_button,
    admin_log_in,
    approved_innovation,
    download_text,
    enterprise_member,
    expect_admin_message,
    header_link,
    log_in,
    new_person,
    sold_and_paid_lot,
    union_staff,
    worker,
)
from tests.factories.accounts import EnterpriseFactory

TITLE = "冲压模具快换定位销组件"
HAMMER_PRICE = Decimal("240000.00")
CONTRACT_NUMBER = "沪职创许字（2026）第017号"
ROYALTY = Decimal("12345.67")
ROYALTY_REFERENCE = "ROY-2026-Q4-017"
OWNER_SHARE, CO_INVENTOR_SHARE = Decimal("60"), Decimal("40")


def shares_in_fen(amount: Decimal, inventor_shares: list[Decimal]) -> list[int]:
    """The sharing rule (licensing.services.profit_sharing), worked out again here: the default
    plan's parts, the inventors' part split by contribution shares, every line rounded down to
    the fen and the fen left over given one each to the largest remainders (earlier lines
    first on ties). Lines: each inventor in order, employer, union fund, platform."""
    plan = settings.LICENSING_DEFAULT_SHARING_PLAN
    total_share = sum(inventor_shares)
    weights = [Decimal(plan["inventors"]) * share / total_share for share in inventor_shares]
    weights += [Decimal(plan[part]) for part in ("employer", "union_fund", "platform")]
    total_fen = int(amount * 100)
    exact = [Decimal(total_fen) * weight / sum(weights) for weight in weights]
    parts = [int(part) for part in exact]
    by_remainder = sorted(range(len(parts)), key=lambda i: (parts[i] - exact[i], i))
    for index in by_remainder[: total_fen - sum(parts)]:
        parts[index] += 1
    return parts


def yuan(fen: int) -> str:
    """As the site's `yuan` filter shows an amount: ¥5,185.18."""
    return f"¥{Decimal(fen) / 100:,.2f}"


@pytest.fixture
def sold_lot(live_site):
    staff = union_staff()
    # The goal tracker counts the deals of the goal's window (2024–2026 as migrated); a run
    # after it ends moves the window over this year, as staff would on the 目标设置 screen.
    goal = Goal.objects.get()
    today = timezone.localdate()
    if not goal.starts_on <= today <= goal.ends_on:
        goal_update(
            actor=staff,
            amount=goal.amount,
            starts_on=today.replace(month=1, day=1),
            ends_on=today.replace(month=12, day=31),
        )
    employer = EnterpriseFactory(name="上海临港智能装备有限公司")
    owner = worker(
        email="wang.jianguo@example.com",
        mobile="13800009101",
        family="王",
        given="建国",
        employer=employer,
    )
    co_inventor = worker(
        email="zhang.wei@example.com",
        mobile="13800009102",
        family="张",
        given="伟",
        employer=employer,
    )
    innovation = approved_innovation(
        title=TITLE,
        inventors=Inventors(owner, co_inventor, OWNER_SHARE, CO_INVENTOR_SHARE),
        staff=staff,
    )
    buyer = enterprise_member(
        email="chen.ming@example.com",
        mobile="13700009101",
        family="陈",
        given="明",
        name="上海申江精密机械有限公司",
    )
    underbidder = enterprise_member(
        email="liu.yang@example.com",
        mobile="13700009102",
        family="刘",
        given="洋",
        name="上海浦江新材料科技股份有限公司",
    )
    sold = sold_and_paid_lot(
        innovation=innovation,
        staff=staff,
        buyer=buyer,
        underbidder=underbidder,
        starting_price=Decimal("200000.00"),
        bids=[(underbidder, Decimal("230000.00")), (buyer, Decimal("260000.00"))],
    )
    # The buyer's maximum beats the underbidder's by more than one increment (¥10,000).
    assert sold.settlement.price == HAMMER_PRICE
    return sold


def test_staff_sign_the_agreement_and_record_a_royalty_and_the_inventors_see_their_exact_shares(
    page, shot, new_context, sold_lot
):
    staff_page = page
    agreement = Agreement.objects.get(sale__lot=sold_lot.lot)
    assert agreement.status == AgreementStatus.DRAFT

    # Staff open the draft agreement the sale made, from the admin's 合同 (Agreements) menu.
    admin_log_in(staff_page, "zhou.staff@example.com")
    staff_page.locator("nav").get_by_role("link", name="合同", exact=True).click()
    row = staff_page.locator("main table tbody tr").filter(has_text="上海申江精密机械有限公司")
    expect(row).to_contain_text("草稿")
    row.get_by_role("link", name=str(agreement)).click()
    expect(staff_page.locator("main")).to_contain_text(TITLE)
    shot("draft-agreement-from-the-sale")

    # The terms: the contract number it needs to be signed, and the royalty. The term's start
    # (the sale's date) is left as the form shows it.
    admin_header_button(staff_page, "修改合同条款").click()
    expect(staff_page.locator("#id_term_start")).to_have_value(agreement.term_start.isoformat())
    staff_page.locator("#id_contract_number").fill(CONTRACT_NUMBER)
    staff_page.locator("#id_royalty_rate").fill("3")
    staff_page.locator("#id_royalty_basis").select_option(label="许可产品净销售额")
    staff_page.locator("form#w-editor-form button[type=submit]").click()
    expect_admin_message(staff_page, "合同条款已保存")

    # Signed (which confirms the deal and issues the certificate), then in force.
    transition(staff_page, "signed")
    expect(staff_page.locator("main")).to_contain_text(CONTRACT_NUMBER)
    transition(staff_page, "active")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    assert agreement.certificate.number.startswith("SHWIE-")
    shot("agreement-in-force")

    # A royalty arrives: staff record it, and it is shared at once.
    admin_header_button(staff_page, "登记收入").click()
    staff_page.locator("#id_kind").select_option(label="提成费结算")
    staff_page.locator("#id_amount").fill(str(ROYALTY))
    staff_page.locator("#id_received_on").fill(timezone.localdate().isoformat())
    staff_page.locator("#id_reference").fill(ROYALTY_REFERENCE)
    staff_page.locator("form#w-editor-form button[type=submit]").click()
    expect_admin_message(staff_page, f"¥{ROYALTY:,.2f}")
    income = staff_page.locator("section[aria-labelledby='agreement-income'] table")
    expect(income.locator("tbody tr").filter(has_text=ROYALTY_REFERENCE)).to_contain_text(
        f"¥{ROYALTY:,.2f}"
    )
    shot("royalty-recorded-and-shared")

    # Each inventor sees their exact share of the royalty, and of the price, on My earnings.
    owner_royalty, co_royalty = shares_in_fen(ROYALTY, [OWNER_SHARE, CO_INVENTOR_SHARE])[:2]
    owner_sale, co_sale = shares_in_fen(HAMMER_PRICE, [OWNER_SHARE, CO_INVENTOR_SHARE])[:2]
    # Worked by hand: 1,234,567 fen × 42% = 518,518.14 and × 28% = 345,678.76; the two fen
    # left over after rounding down go to the largest remainders, the co-inventor's .76 and
    # the union fund's .70.
    assert (owner_royalty, co_royalty) == (518518, 345679)
    for email, royalty_fen, sale_fen, step in (
        ("wang.jianguo@example.com", owner_royalty, owner_sale, "worker-earnings"),
        ("zhang.wei@example.com", co_royalty, co_sale, "co-inventor-earnings"),
    ):
        inventor_page = new_person(new_context)
        log_in(inventor_page, email)
        header_link(inventor_page, "我的收益").click()
        lines = inventor_page.locator("main table tbody tr")
        royalty_line = lines.filter(has_text=ROYALTY_REFERENCE)
        expect(royalty_line).to_have_count(1)
        expect(royalty_line.locator("td").last).to_have_text(yuan(royalty_fen))
        expect(royalty_line).to_contain_text(CONTRACT_NUMBER)
        sale_line = lines.filter(has_text=f"第 {sold_lot.lot.number} 号拍品")
        expect(sale_line.locator("td").last).to_have_text(yuan(sale_fen))
        totals = inventor_page.locator(".earnings-totals dd")
        expect(totals.first).to_have_text(yuan(royalty_fen + sale_fen))
        shot(step, inventor_page)
        inventor_page.context.close()

    # Staff see the sale in the goal tracker and download it.
    staff_page.locator("nav").get_by_role("link", name="目标报表", exact=True).click()
    session_name = sold_lot.session.name
    expect(staff_page.locator("main")).to_contain_text(session_name)
    expect(staff_page.locator("main table").filter(has_text=session_name).first).to_contain_text(
        f"¥{HAMMER_PRICE:,.2f}"
    )
    shot("goal-tracker")

    name, content = download_text(staff_page, staff_page.locator("a[href*='/sessions.csv']"))
    assert name.endswith(".csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    session_rows = [row for row in rows if session_name in row]
    assert len(session_rows) == 1, rows
    assert any(re.sub(r"[¥,]", "", cell) == str(HAMMER_PRICE) for cell in session_rows[0]), rows

    name, content = download_text(staff_page, staff_page.locator("a[href*='/top_lots.xlsx']"))
    assert name.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    lot_rows = [
        row for row in sheet.iter_rows(values_only=True) if any(TITLE in str(c) for c in row)
    ]
    assert len(lot_rows) == 1, list(sheet.iter_rows(values_only=True))
    assert any(
        str(cell).replace(",", "") in (str(HAMMER_PRICE), str(int(HAMMER_PRICE)))
        for cell in lot_rows[0]
    ), lot_rows


def transition(page, target: str) -> None:
    """Press one of the agreement page's status buttons (no reason needed for these)."""
    page.locator(f"form[action*='/transition/'][action$='/{target}/'] button").click()
    status = {"signed": "已签订", "active": "履行中"}[target]
    expect_admin_message(page, "该合同的状态已变更为")
    expect_admin_message(page, status)
