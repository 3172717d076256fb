"""Journey 1, in Chromium: a worker registers and submits a five-small innovation with a
co-inventor and a patent; union staff return it with a comment in the admin; the worker reads
the comment, edits and resubmits; staff approve it as 可转化 (ready to transact) and an
excellent project.

Set up without the screens (tests/e2e/journeys.py): the union staff member and the
co-inventor, who registered earlier, and the co-inventor's employer.
"""

import re

import pytest
from playwright.sync_api import expect

from innovations.choices import Status, Tier
from innovations.models import Innovation
from tests.e2e.journeys import (
    admin_header_button,
    admin_log_in,
    expect_admin_message,
    expect_site_message,
    header_link,
    new_person,
    open_admin_menu,
    patent_number,
    union_staff,
    worker,
)
from tests.factories.accounts import EnterpriseFactory

EMPLOYER = "上海申江精密机械有限公司"
TITLE = "冲压模具快换定位销组件"
COMMENT = "请补充换模时间的实测数据，并说明定位销的材料与热处理工艺。"
PATENT_DIGITS = "202220734518"


@pytest.fixture
def people(live_site):
    employer = EnterpriseFactory(name=EMPLOYER)
    return {
        "staff": union_staff(),
        "co_inventor": worker(
            email="zhang.coinventor@example.com",
            mobile="13800009002",
            family="张",
            given="伟",
            employer=employer,
        ),
    }


def test_a_worker_submits_an_innovation_staff_return_it_then_approve_it_as_ready_to_transact(
    page, shot, new_context, people
):
    worker_page = page
    staff_page = new_person(new_context)

    # The worker registers on the public form and arrives logged in at "My innovations".
    worker_page.goto("/")
    header_link(worker_page, "注册").click()
    worker_page.locator("#id_family_name").fill("王")
    worker_page.locator("#id_given_name").fill("建国")
    worker_page.locator("#id_email").fill("wang.journey@example.com")
    worker_page.locator("#id_mobile").fill("13800009001")
    worker_page.locator("#id_password1").fill("Stamping-Die-2026")
    worker_page.locator("#id_password2").fill("Stamping-Die-2026")
    worker_page.locator("#id_employer_name").fill(EMPLOYER)
    worker_page.locator("#id_union_member_no").fill("SH-2026-00917")
    shot("register-form")
    worker_page.locator("main form button[type=submit]").click()
    expect(worker_page).to_have_url(re.compile(r"/innovations/mine/$"))
    expect(worker_page.locator(".site-nav__user")).to_have_text("王建国")
    shot("registered-my-innovations")

    # A new innovation, saved as a draft: the worker's employer is chosen already.
    worker_page.locator("main a.button[href$='/innovations/new/']").click()
    worker_page.locator("#id_title").fill(TITLE)
    worker_page.locator("#id_summary").fill("锥面定位销配合快换压板，冲压模具换模时间大幅缩短。")
    worker_page.locator("#id_description").fill(
        "原冲压线换模需要反复找正。\n\n组件以锥面定位销一次定位，压板快速锁紧。"
    )
    worker_page.locator("#id_category").select_option(label="小发明")
    worker_page.locator("#id_technical_field").select_option(label="基础零部件")
    worker_page.get_by_label("装备制造").check()
    expect(worker_page.locator("#id_employer option:checked")).to_have_text(EMPLOYER)
    worker_page.locator("#id_expected_benefit").fill("420000")
    worker_page.locator("main form button[type=submit]").click()
    expect(worker_page.locator("main h1")).to_have_text(TITLE)
    innovation = Innovation.objects.get(title=TITLE)

    # The co-inventor, by their worker account, 60/40; then the patent.
    inventors = worker_page.locator("form[action$='/inventors/']")
    expect(inventors.locator("[name='contributors-0-name']")).to_have_value("王建国")
    inventors.locator("[name='contributors-0-share']").fill("60")
    inventors.locator("[name='contributors-1-name']").fill("张伟")
    inventors.locator("[name='contributors-1-account']").fill("zhang.coinventor@example.com")
    inventors.locator("[name='contributors-1-share']").fill("40")
    inventors.locator("button[type=submit]").click()
    inventor_list = worker_page.locator("section[aria-labelledby='inventors-heading'] > ul")
    expect(inventor_list).to_contain_text("王建国 — 60.00%")
    expect(inventor_list).to_contain_text("张伟 — 40.00%")

    patent = worker_page.locator("form[action$='/patents/']")
    # As the certificate prints it: ZL 2022 2 0734518.X (X, the check character).
    check = patent_number(PATENT_DIGITS)[-1]
    d = PATENT_DIGITS
    patent.locator("#id_patent-number").fill(f"ZL {d[:4]} {d[4]} {d[5:]}.{check}")
    patent.locator("#id_patent-kind").select_option(label="实用新型")
    patent.locator("#id_patent-status").select_option(label="已授权")
    patent.locator("#id_patent-filing_date").fill("2022-03-28")
    patent.locator("#id_patent-grant_date").fill("2022-09-16")
    patent.locator("#id_patent-holders").fill(EMPLOYER)
    patent.locator("button[type=submit]").click()
    patents = worker_page.locator("section[aria-labelledby='patents-heading'] table")
    expect(patents).to_contain_text(patent_number(PATENT_DIGITS))
    shot("draft-with-co-inventor-and-patent")

    worker_page.locator(".actions form[action$='/submit/'] button").click()
    expect(worker_page.locator(".innovation .status")).to_have_text("已提交，待评审")
    shot("submitted")

    # Union staff open the review queue and return it with a comment.
    admin_log_in(staff_page, "zhou.staff@example.com")
    review_innovation(staff_page, decision="退回修改", comment=COMMENT)
    expect_admin_message(staff_page, TITLE)
    shot("staff-returned-it", staff_page)

    # The worker sees the comment on the innovation's page, edits it and resubmits.
    header_link(worker_page, "我的创新成果").click()
    row = worker_page.locator("main table tbody tr").filter(has_text=TITLE)
    expect(row.locator(".status")).to_have_text("退回修改")
    row.get_by_role("link", name=TITLE).click()
    expect(worker_page.locator(".innovation .status")).to_have_text("退回修改")
    expect(worker_page.locator(".history blockquote")).to_have_text(COMMENT)
    shot("worker-reads-the-comment")

    worker_page.locator(".actions a[href$='/edit/']").click()
    worker_page.locator("#id_description").fill(
        "原冲压线换模需要反复找正，实测平均 40 分钟。\n\n"
        "组件以锥面定位销（GCr15，淬火 HRC 60）一次定位，压板快速锁紧；"
        "连续 30 次换模实测平均 8 分钟。"
    )
    worker_page.locator("main form button[type=submit]").click()
    expect_site_message(worker_page, "已保存")
    expect(worker_page.locator(".rich-text")).to_contain_text("实测平均 8 分钟")
    resubmit = worker_page.locator(".actions form[action$='/submit/'] button")
    expect(resubmit).to_have_text("重新提交评审")
    resubmit.click()
    expect(worker_page.locator(".innovation .status")).to_have_text("已提交，待评审")
    shot("resubmitted")

    # Staff approve it: 可转化 (ready to transact), an excellent project.
    review_innovation(staff_page, decision="通过", tier="可转化", excellent=True)
    expect_admin_message(staff_page, TITLE)
    shot("staff-approved-it", staff_page)
    innovation.refresh_from_db()
    assert (innovation.status, innovation.tier, innovation.is_excellent) == (
        Status.APPROVED,
        Tier.TRANSACT,
        True,
    )

    # The worker's list shows the grade; the page, the tier and the excellent flag.
    header_link(worker_page, "我的创新成果").click()
    row = worker_page.locator("main table tbody tr").filter(has_text=TITLE)
    expect(row.locator(".status")).to_have_text("已通过")
    expect(row).to_contain_text("可转化 · 优秀项目")
    row.get_by_role("link", name=TITLE).click()
    facts = worker_page.locator(".innovation .facts")
    expect(facts).to_contain_text("可转化")
    expect(facts).to_contain_text("优秀项目")
    shot("worker-sees-it-approved")


def review_innovation(
    page, *, decision: str, comment: str = "", tier: str = "", excellent: bool = False
) -> None:
    """From the admin's review queue: open the submitted innovation, press 评审 (Review) and
    record the decision."""
    open_admin_menu(page, "创新成果", "待评审")
    page.get_by_role("link", name=TITLE, exact=True).click()
    expect(page.locator("main")).to_contain_text(TITLE)
    admin_header_button(page, "评审").click()
    page.get_by_label(decision, exact=True).check()
    if comment:
        page.locator("#id_comment").fill(comment)
    if tier:
        page.locator("#id_tier").select_option(label=tier)
    if excellent:
        page.get_by_label("优秀项目", exact=True).check()
    page.locator("form#w-editor-form button[type=submit]").click()
