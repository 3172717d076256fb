"""The goal report in the Wagtail admin: the page with its charts and tables, the filters
(bad values refused with a message), the CSV and XLSX exports, the dashboard panel, who may
see them, and a query count that does not grow with the data."""

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext
from openpyxl import load_workbook

from accounts.choices import Role
from innovations.choices import Category
from licensing.choices import AgreementStatus
from marketplace.choices import LotStatus
from marketplace.services.goal_deals import goal_deals_rebuild
from tests.factories.accounts import UserFactory
from tests.factories.licensing import AgreementFactory
from tests.factories.marketplace import AuctionSessionFactory, LotFactory, sold_lot_settlement

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
REPORT_URL = "/admin/goal/"
YEAR_2026 = "starts_on=2026-01-01&ends_on=2026-12-31"


def export_url(key: str, fmt: str, query: str = YEAR_2026) -> str:
    return f"/admin/goal/export/{key}.{fmt}?{query}"


@pytest.fixture
def staff_client(client, union_staff):
    client.force_login(union_staff)
    return client


@pytest.fixture
def admin_editor(db):
    """An admin user who is not union staff."""
    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return editor


@pytest.fixture
def deals():
    session = AuctionSessionFactory(name="2026年秋季拍卖会")
    sold_lot_settlement(
        price="1234567.89",
        at=datetime(2026, 3, 2, 10, tzinfo=SHANGHAI),
        lot=LotFactory(session=session, status=LotStatus.SOLD, title="数控刀具定位装置"),
        status="paid",
    )
    sold_lot_settlement(
        price="500000.00",
        at=datetime(2026, 4, 2, 10, tzinfo=SHANGHAI),
        lot=LotFactory(session=session, status=LotStatus.SOLD),
        status="defaulted",
    )
    AgreementFactory(
        status=AgreementStatus.SIGNED,
        confirmed_on=date(2026, 5, 1),
        deal_amount=Decimal("200000.11"),
    )
    goal_deals_rebuild()  # the factories bypass the services that keep the summary
    return session


def squeeze(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_staff_see_the_report_with_charts_and_tables(staff_client, deals):
    response = staff_client.get(f"{REPORT_URL}?{YEAR_2026}")

    assert response.status_code == 200
    html = squeeze(response)
    for key in ("months", "years", "sessions", "category", "technical_field", "industry"):
        assert f'data-section="{key}"' in html
    assert 'data-section="district"' in html and 'data-section="top_lots"' in html
    # Accessible charts: an SVG image named by its title, beside the table of its figures.
    assert html.count('role="img"') >= 7
    assert 'aria-labelledby="chart-months-title chart-months-desc"' in html
    assert '<title id="chart-category-title">' in html
    # The whole: ¥1,234,567.89 + ¥200,000.11; the defaulted ¥500,000 is not there.
    assert "¥1,434,568.00" in html
    assert "¥500,000.00" not in html


def test_the_report_has_no_inline_script_and_no_cdn(staff_client, deals):
    html = staff_client.get(REPORT_URL).content.decode()

    for script in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in script or 'type="application/json"' in script, script
    # Every script and stylesheet comes from our own origin (a path, not another host). Not a
    # search for "cdn": a CSRF token once happened to contain those letters.
    sources = re.findall(r"<script\b[^>]*\bsrc=\"([^\"]+)\"", html)
    sources += re.findall(r"<link\b[^>]*\bhref=\"([^\"]+)\"", html)
    assert sources
    for source in sources:
        assert source.startswith("/") and not source.startswith("//"), source


def test_a_session_filter_adds_its_per_session_report(staff_client, deals):
    response = staff_client.get(f"{REPORT_URL}?{YEAR_2026}&session={deals.pk}")

    html = squeeze(response)
    assert 'data-section="session_report"' in html
    assert gettext("Session report: %(session)s") % {"session": "2026年秋季拍卖会"} in html


@pytest.mark.parametrize(
    "query",
    [
        "starts_on=2026-02-30",
        "starts_on=2026-12-31&ends_on=2026-01-01",
        "session=999999",
        "session=abc",
        "category=gadget",
        "district=atlantis",
    ],
)
def test_bad_filters_get_a_message_and_nothing_is_computed(staff_client, deals, query):
    response = staff_client.get(f"{REPORT_URL}?{query}")
    html = squeeze(response)

    assert response.status_code == 200
    assert gettext("The report was not computed: correct the filters above.") in html
    assert "data-section=" not in html

    export = staff_client.get(export_url("category", "csv", query))
    assert export.status_code == 400
    assert export["Content-Type"].startswith("text/plain")


def test_category_and_district_filters(staff_client, deals):
    response = staff_client.get(f"{REPORT_URL}?{YEAR_2026}&category={Category.DESIGN}")
    assert "¥1,234,567.89" not in response.content.decode()

    response = staff_client.get(f"{REPORT_URL}?{YEAR_2026}&district=pudong")
    html = response.content.decode()
    assert "¥1,434,568.00" in html  # both buyers are in Pudong (the factories' default)


def test_csv_export_has_a_bom_and_plain_two_place_numbers(staff_client, deals):
    response = staff_client.get(export_url("category", "csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        'filename="goal-report-category-20260101-20261231.csv"' in response["Content-Disposition"]
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        gettext("Five-small category"),
        gettext("Deals"),
        gettext("Volume (yuan)"),
        gettext("Share of the total (%)"),
    ]
    assert rows[1:] == [
        [str(Category.INVENTION.label), "2", "1434568.00", "100.00"],
        [gettext("Total"), "2", "1434568.00", "100.00"],
    ]


def test_csv_keeps_chinese_text(staff_client, deals):
    response = staff_client.get(export_url("sessions", "csv"))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1] == ["2026年秋季拍卖会", "1", "1234567.89"]


def test_xlsx_export_has_numbers_formatted_to_two_places(staff_client, deals):
    response = staff_client.get(export_url("sessions", "xlsx"))

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == [
        gettext("Auction session"),
        gettext("Deals"),
        gettext("Volume (yuan)"),
    ]
    assert sheet["A2"].value == "2026年秋季拍卖会"
    assert sheet["B2"].value == 1
    assert sheet["C2"].value == pytest.approx(1234567.89)
    assert sheet["C2"].number_format == "#,##0.00"
    assert sheet["A3"].value == gettext("Negotiated deals (no session)")
    assert sheet["C3"].value == pytest.approx(200000.11)
    assert sheet["A4"].value == gettext("Total")
    assert sheet["C4"].value == pytest.approx(1434568.00)
    assert sheet["A4"].font.bold


def test_xlsx_of_the_top_lots_and_the_session_report(staff_client, deals):
    top = load_workbook(io.BytesIO(staff_client.get(export_url("top_lots", "xlsx")).content))
    assert top.active["G2"].value == pytest.approx(1234567.89)
    assert top.active.max_row == 2  # the defaulted sale is not a top lot

    report = staff_client.get(
        export_url("session_report", "xlsx", f"{YEAR_2026}&session={deals.pk}")
    )
    sheet = load_workbook(io.BytesIO(report.content)).active
    values = {row[0].value: row[1].value for row in sheet.iter_rows(min_row=2)}
    assert values[gettext("Lots sold")] == 1
    assert values[gettext("Defaults")] == 1
    assert values[gettext("Hammer total (yuan)")] == pytest.approx(1234567.89)
    assert values[gettext("Prices of defaulted sales (yuan)")] == pytest.approx(500000.00)
    assert values[gettext("Sell-through rate (%)")] == pytest.approx(50.00)


def test_unknown_tables_and_formats_are_404(staff_client):
    assert staff_client.get("/admin/goal/export/secrets.csv").status_code == 404
    assert staff_client.get("/admin/goal/export/category.pdf").status_code == 404
    # The per-session report needs a session.
    assert staff_client.get("/admin/goal/export/session_report.csv").status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "worker", "enterprise_member"])
def test_only_union_staff_reach_the_report_and_exports(client, deals, who):
    if who != "anonymous":
        role = Role.WORKER if who == "worker" else Role.ENTERPRISE_MEMBER
        client.force_login(UserFactory(role=role))

    for url in (REPORT_URL, export_url("category", "csv")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_an_admin_user_who_is_not_union_staff_is_refused(client, deals, admin_editor):
    client.force_login(admin_editor)

    for url in (REPORT_URL, export_url("category", "xlsx")):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert b"1434568" not in response.content


def test_the_dashboard_panel_and_menu_are_for_staff_only(staff_client, client, deals, admin_editor):
    html = squeeze(staff_client.get("/admin/"))
    assert gettext("Progress toward the goal") in html
    assert 'data-figure="volume"' in html
    assert 'data-figure="percent"' in html
    assert 'data-figure="remaining"' in html
    assert 'data-figure="settled"' in html
    assert REPORT_URL in html

    client.force_login(admin_editor)
    html = client.get("/admin/").content.decode()
    assert 'data-figure="volume"' not in html
    assert f'href="{REPORT_URL}"' not in html


def make_deals(count: int, session) -> None:
    for number in range(count):
        sold_lot_settlement(
            price=f"{1000 + number}.00",
            at=datetime(2026, 1 + number % 12, 3, tzinfo=SHANGHAI),
            lot=LotFactory(session=session, status=LotStatus.SOLD),
        )
        AgreementFactory(
            status=AgreementStatus.SIGNED,
            confirmed_on=date(2026, 1 + number % 12, 4),
            deal_amount=Decimal("10.00"),
        )
    goal_deals_rebuild()


@pytest.mark.parametrize("with_session", [False, True])
def test_the_report_costs_the_same_queries_for_small_and_larger_data(staff_client, with_session):
    session = AuctionSessionFactory()
    query = f"{YEAR_2026}&session={session.pk}" if with_session else YEAR_2026
    make_deals(2, session)
    staff_client.get(f"{REPORT_URL}?{query}")  # warm the menu and session caches
    with CaptureQueriesContext(connection) as small:
        assert staff_client.get(f"{REPORT_URL}?{query}").status_code == 200

    make_deals(25, AuctionSessionFactory())
    make_deals(5, session)
    with CaptureQueriesContext(connection) as larger:
        assert staff_client.get(f"{REPORT_URL}?{query}").status_code == 200

    assert len(larger) == len(small)
    assert len(small) <= 45, len(small)
