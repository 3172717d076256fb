"""Staff list every sharing statement in the admin, filtered by agreement, sale and date."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from accounts.choices import Role
from licensing.choices import AgreementStatus, IncomeKind
from licensing.models import SharingEvent
from licensing.services.income import income_record
from licensing.services.income_reversals import income_reverse
from licensing.services.profit_sharing import proceeds_share
from marketplace.choices import LotStatus
from marketplace.models import Sale
from tests.factories.accounts import UserFactory
from tests.factories.licensing import AgreementFactory, approved_innovation
from tests.factories.marketplace import LotFactory, VerifiedEnterpriseFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/licensing/statements/"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def shared_on(event: SharingEvent, day: date) -> SharingEvent:
    SharingEvent.objects.filter(pk=event.pk).update(
        created_at=datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI)
    )
    return event


@pytest.fixture
def statements(union_staff):
    """Income under two agreements (one reversed) and a sale's proceeds, on different days."""
    first, second = (
        AgreementFactory(
            status=AgreementStatus.ACTIVE,
            confirmed_on=date(2026, 5, 1),
            contract_number=number,
            innovations=[approved_innovation()],
        )
        for number in ("HT-FIRST", "HT-SECOND")
    )
    incomes = [
        income_record(
            agreement=agreement,
            kind=IncomeKind.ROYALTY,
            amount=Decimal(amount),
            received_on=date(2026, 7, 1),
            reference=reference,
            recorded_by=union_staff,
        )
        for agreement, amount, reference in (
            (first, "1000.00", "ROY-A"),
            (second, "2000.00", "ROY-B"),
        )
    ]
    reversal = income_reverse(income=incomes[1], reason="Recorded twice", actor=union_staff)
    lot = LotFactory(status=LotStatus.SOLD)
    sale = Sale.objects.create(
        lot=lot, winner=VerifiedEnterpriseFactory(), hammer_price=Decimal("5000.00")
    )
    sale_event = proceeds_share(
        innovations=lot.innovations.all(),
        amount=Decimal("5000.00"),
        source_label="SALE-PROCEEDS",
        idempotency_key=f"sale:{sale.pk}",
        sale=sale,
    )
    shared_on(incomes[0].sharing_event, date(2026, 7, 2))
    shared_on(incomes[1].sharing_event, date(2026, 8, 2))
    shared_on(reversal.sharing_event, date(2026, 8, 3))
    shared_on(sale_event, date(2026, 9, 2))
    return first, second, sale, incomes, reversal, sale_event


@pytest.fixture
def staff_client(client, union_staff):
    client.force_login(union_staff)
    return client


def test_staff_list_every_statement_with_a_link_to_it(staff_client, statements):
    _first, _second, _sale, incomes, reversal, sale_event = statements

    response = staff_client.get(LIST)

    assert response.status_code == 200
    content = response.content.decode()
    for event_id in (incomes[0].sharing_event_id, reversal.sharing_event_id, sale_event.pk):
        assert f"/licensing/statements/{event_id}/" in content
    assert "-¥2,000.00" in content  # the reversal
    assert "¥5,000.00" in content


def test_filtered_by_agreement(staff_client, statements):
    first, second, _sale, incomes, reversal, sale_event = statements

    content = staff_client.get(LIST, {"agreement": second.pk}).content.decode()

    assert f"/licensing/statements/{incomes[1].sharing_event_id}/" in content
    assert f"/licensing/statements/{reversal.sharing_event_id}/" in content
    assert f"/licensing/statements/{incomes[0].sharing_event_id}/" not in content
    assert f"/licensing/statements/{sale_event.pk}/" not in content


def test_filtered_by_sale(staff_client, statements):
    _first, _second, sale, incomes, _reversal, sale_event = statements

    content = staff_client.get(LIST, {"sale": sale.pk}).content.decode()

    assert f"/licensing/statements/{sale_event.pk}/" in content
    assert f"/licensing/statements/{incomes[0].sharing_event_id}/" not in content


def test_filtered_by_date(staff_client, statements):
    _first, _second, _sale, incomes, reversal, sale_event = statements

    content = staff_client.get(
        LIST, {"created_at_from": "2026-08-01", "created_at_to": "2026-08-31"}
    ).content.decode()

    assert f"/licensing/statements/{incomes[1].sharing_event_id}/" in content
    assert f"/licensing/statements/{reversal.sharing_event_id}/" in content
    assert f"/licensing/statements/{incomes[0].sharing_event_id}/" not in content
    assert f"/licensing/statements/{sale_event.pk}/" not in content


def test_staff_open_a_statement_with_every_line(staff_client, statements):
    _first, _second, _sale, _incomes, _reversal, sale_event = statements

    response = staff_client.get(f"/en/licensing/statements/{sale_event.pk}/")

    assert response.status_code == 200
    assert response.content.decode().count("<tr>") - 1 == sale_event.lines.count()


def test_workers_and_enterprises_cannot_list_statements(client, statements):
    for user in (
        UserFactory(role=Role.WORKER),
        UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=VerifiedEnterpriseFactory()),
    ):
        client.force_login(user)
        assert client.get(LIST).status_code in (302, 403)
