"""The licensing screens of the Wagtail admin: staff only, every change through a service."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from accounts.choices import Role
from licensing.choices import AgreementOrigin, AgreementStatus
from licensing.models import Agreement, IncomeRecord, PayoutBatch, SharingPlan
from licensing.payable_accounts import worker_payable_account
from licensing.services.payouts import owed
from tests.factories.accounts import UserFactory
from tests.factories.licensing import AgreementFactory, PayoutProfileFactory, approved_innovation
from tests.factories.marketplace import LotFactory, VerifiedEnterpriseFactory

pytestmark = pytest.mark.django_db

ADMIN = "/admin/licensing/agreements/"


@pytest.fixture
def staff_client(client, union_staff):
    client.force_login(union_staff)
    return client


def test_staff_record_a_negotiated_deal_and_sign_it(staff_client):
    innovation = approved_innovation()
    licensee = VerifiedEnterpriseFactory()

    response = staff_client.post(
        f"{ADMIN}new/",
        {
            "licensee": licensee.pk,
            "innovations": [innovation.pk],
            "right_type": "assignment",
            "deal_amount": "88000.00",
            "upfront_amount": "88000.00",
            "contract_number": "XY-2026-09",
            "territory": "中华人民共和国境内",
            "term_start": "2026-06-01",
            "royalty_basis": "none",
        },
    )

    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert agreement.origin == AgreementOrigin.NEGOTIATED
    assert staff_client.get(f"{ADMIN}inspect/{agreement.pk}/").status_code == 200

    staff_client.post(f"{ADMIN}transition/{agreement.pk}/signed/")

    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED
    assert agreement.certificate.number.startswith("SHWIE-")
    assert staff_client.get(ADMIN).status_code == 200


def test_a_refused_transition_is_shown_and_changes_nothing(staff_client):
    agreement = AgreementFactory()

    response = staff_client.post(f"{ADMIN}transition/{agreement.pk}/expired/", follow=True)

    assert "cannot become" in response.content.decode() or "不能" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT


def test_staff_terminate_with_a_reason_that_the_history_shows(staff_client, union_staff):
    agreement = AgreementFactory(status=AgreementStatus.ACTIVE, confirmed_on=date(2026, 5, 1))

    staff_client.post(
        f"{ADMIN}transition/{agreement.pk}/terminated/", {"reason": "被许可方停止实施专利。"}
    )

    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.TERMINATED
    page = staff_client.get(f"{ADMIN}inspect/{agreement.pk}/").content.decode()
    assert "被许可方停止实施专利。" in page


def test_terminating_without_a_reason_is_refused_with_a_message(staff_client):
    agreement = AgreementFactory(status=AgreementStatus.ACTIVE, confirmed_on=date(2026, 5, 1))

    response = staff_client.post(
        f"{ADMIN}transition/{agreement.pk}/terminated/", {"reason": " "}, follow=True
    )

    assert "终止合同须说明原因" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    assert not agreement.events.exists()


def test_the_terminate_form_asks_for_its_reason(staff_client):
    agreement = AgreementFactory(status=AgreementStatus.ACTIVE, confirmed_on=date(2026, 5, 1))

    page = staff_client.get(f"{ADMIN}inspect/{agreement.pk}/").content.decode()

    terminate_form = page.split(f'action="{ADMIN}transition/{agreement.pk}/terminated/"')[1]
    assert 'name="reason" maxlength="300" required' in terminate_form.split("</form>")[0]


def test_staff_record_income_and_it_is_shared(staff_client):
    worker = UserFactory(role=Role.WORKER)
    agreement = AgreementFactory(
        status=AgreementStatus.ACTIVE,
        confirmed_on=date(2026, 5, 1),
        innovations=[approved_innovation(inventors=[(worker, "100")])],
    )

    response = staff_client.post(
        f"{ADMIN}income/{agreement.pk}/",
        {"kind": "royalty", "amount": "1000.00", "received_on": "2026-07-01", "reference": "R1"},
    )

    assert response.status_code == 302
    assert IncomeRecord.objects.get().sharing_event is not None
    assert owed(worker_payable_account(worker)) == Decimal("700.00")


def test_bad_income_input_is_a_form_error_not_a_500(staff_client):
    agreement = AgreementFactory()  # a draft: no income yet

    response = staff_client.post(
        f"{ADMIN}income/{agreement.pk}/",
        {"kind": "royalty", "amount": "1000.00", "received_on": "2026-07-01", "reference": "R1"},
    )

    assert response.status_code == 200
    assert not IncomeRecord.objects.exists()


def test_a_plan_below_the_floors_is_saved_with_visible_warnings(staff_client):
    lot = LotFactory(is_service_invention=True)
    innovation = lot.innovations.get()
    agreement = AgreementFactory(innovations=[innovation])

    response = staff_client.post(
        f"{ADMIN}plan/{agreement.pk}/{innovation.pk}/",
        {
            "inventors_percent": "5",
            "employer_percent": "80",
            "union_fund_percent": "10",
            "platform_percent": "5",
        },
        follow=True,
    )

    assert SharingPlan.objects.get().inventors_percent == 5
    content = response.content.decode()
    assert "Article 45" in content or "第四十五条" in content or "45" in content
    assert content.count("help-warning") >= 2


def test_a_plan_not_summing_to_100_is_refused(staff_client):
    agreement = AgreementFactory()
    innovation = agreement.innovations.get()

    response = staff_client.post(
        f"{ADMIN}plan/{agreement.pk}/{innovation.pk}/",
        {
            "inventors_percent": "70",
            "employer_percent": "15",
            "union_fund_percent": "10",
            "platform_percent": "10",
        },
    )

    assert response.status_code == 200
    assert not SharingPlan.objects.exists()


def test_staff_batch_payouts_download_the_xlsx_and_mark_it_paid(staff_client, union_staff):
    worker = UserFactory(role=Role.WORKER)
    agreement = AgreementFactory(
        status=AgreementStatus.ACTIVE,
        confirmed_on=date(2026, 5, 1),
        innovations=[approved_innovation(inventors=[(worker, "100")])],
    )
    staff_client.post(
        f"{ADMIN}income/{agreement.pk}/",
        {"kind": "royalty", "amount": "100.00", "received_on": "2026-07-01", "reference": "R1"},
    )
    PayoutProfileFactory(user=worker)
    assert staff_client.get("/admin/licensing/payouts/").status_code == 200

    staff_client.post("/admin/licensing/payouts/batches/new/")
    batch = PayoutBatch.objects.get()
    xlsx = staff_client.get(f"/admin/licensing/payouts/batches/{batch.pk}/xlsx/")
    rows = list(load_workbook(BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    staff_client.post(
        f"/admin/licensing/payouts/batches/{batch.pk}/",
        {"bank_reference": "BANK-77", "paid_on": "2026-07-20"},
    )

    assert {row[0]: row[4] for row in rows[1:]}[str(worker)] == 70
    assert owed(worker_payable_account(worker)) == Decimal("0.00")


@pytest.mark.parametrize(
    "path",
    [ADMIN, "/admin/licensing/payouts/", "/admin/licensing/payouts/batches/new/"],
)
def test_workers_and_enterprises_cannot_use_the_screens(client, path):
    for user in (
        UserFactory(role=Role.WORKER),
        UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=VerifiedEnterpriseFactory()),
    ):
        client.force_login(user)
        response = client.get(path)
        assert response.status_code in (302, 403)
