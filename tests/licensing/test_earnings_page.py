"""The earnings page and statements: each worker sees only their own part."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.choices import Role
from licensing.choices import AgreementStatus, IncomeKind
from licensing.payable_accounts import employer_payable_account, worker_payable_account
from licensing.services.income import income_record
from licensing.services.income_reversals import income_reverse
from licensing.services.payouts import payout_record
from tests.factories.accounts import UserFactory
from tests.factories.licensing import AgreementFactory, approved_innovation
from tests.factories.marketplace import VerifiedEnterpriseFactory

pytestmark = pytest.mark.django_db

EARNINGS = "/en/licensing/earnings/"


@pytest.fixture
def deal(union_staff):
    """A royalty of ¥1,000.00 under an agreement over an innovation of Alice (60%) and Bob
    (40%): by the default plan ¥420.00 to Alice and ¥280.00 to Bob. Alice was paid ¥100.00."""
    alice = UserFactory(role=Role.WORKER, first_name="Alice", last_name="Li")
    bob = UserFactory(role=Role.WORKER, first_name="Bob", last_name="Zhao")
    innovation = approved_innovation(
        inventors=[(alice, "60"), (bob, "40")], title="Quick tool setter"
    )
    agreement = AgreementFactory(
        status=AgreementStatus.ACTIVE,
        confirmed_on=date(2026, 5, 1),
        contract_number="HT-7",
        innovations=[innovation],
    )
    income = income_record(
        agreement=agreement,
        kind=IncomeKind.ROYALTY,
        amount=Decimal("1000.00"),
        received_on=date(2026, 7, 1),
        reference="ROY-Q2-7781",
        recorded_by=union_staff,
    )
    payout_record(
        account=worker_payable_account(alice),
        amount=Decimal("100.00"),
        reference="PAY-1",
        paid_on=date(2026, 7, 10),
        recorded_by=union_staff,
    )
    return alice, bob, agreement, income.sharing_event


def test_a_worker_sees_their_part_owed_and_paid(client, deal, django_assert_max_num_queries):
    alice, _bob, _agreement, _event = deal
    client.force_login(alice)

    with django_assert_max_num_queries(12):
        content = client.get(EARNINGS).content.decode()

    assert "¥420.00" in content  # earned
    assert "¥320.00" in content  # owed
    assert "¥100.00" in content  # paid out
    assert "HT-7" in content
    assert "Quick tool setter" in content
    assert "¥280.00" not in content


def test_a_co_inventor_sees_only_their_own_line(client, deal):
    _alice, bob, _agreement, event = deal
    client.force_login(bob)

    content = client.get(EARNINGS).content.decode()
    statement = client.get(f"/en/licensing/statements/{event.pk}/").content.decode()

    assert "¥280.00" in content
    assert "¥420.00" not in content
    assert "Bob" in statement
    assert "Alice" not in statement
    assert "¥420.00" not in statement


def test_another_worker_sees_nothing_and_cannot_open_the_statement(client, deal):
    _alice, _bob, _agreement, event = deal
    client.force_login(UserFactory(role=Role.WORKER))

    content = client.get(EARNINGS).content.decode()

    assert "Nothing has been shared with you yet" in content
    assert client.get(f"/en/licensing/statements/{event.pk}/").status_code == 404


def test_the_licensee_sees_its_agreement_and_what_it_paid(client, deal):
    _alice, _bob, agreement, event = deal
    client.force_login(UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=agreement.licensee))

    content = client.get(EARNINGS).content.decode()

    assert "HT-7" in content
    assert "ROY-Q2-7781" in content
    assert "¥1,000.00" in content
    assert "¥420.00" not in content
    assert client.get(f"/en/licensing/statements/{event.pk}/").status_code == 404


def test_staff_read_the_whole_statement(client, deal, union_staff):
    _alice, _bob, _agreement, event = deal
    client.force_login(union_staff)

    statement = client.get(f"/en/licensing/statements/{event.pk}/").content.decode()

    for part in ("¥420.00", "¥280.00", "¥150.00", "¥100.00", "¥50.00"):
        assert part in statement
    assert "420.000000" in statement


def test_the_page_needs_a_login(client):
    response = client.get(EARNINGS)
    assert response.status_code == 302


def test_the_page_renders_in_chinese(client, deal):
    alice, *_rest = deal
    client.force_login(alice)
    response = client.get("/licensing/earnings/")
    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()


def employer_section(content: str) -> str:
    start = content.index('id="employer-title"')
    return content[start : content.index("</section>", start)]


def test_the_employer_sees_its_share_owed_and_paid(client, deal, union_staff):
    _alice, _bob, agreement, event = deal
    employer = agreement.innovations.get().employer
    payout_record(
        account=employer_payable_account(employer),
        amount=Decimal("50.00"),
        reference="PAY-EMP-1",
        paid_on=date(2026, 7, 12),
        recorded_by=union_staff,
    )
    client.force_login(UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=employer))

    section = employer_section(client.get(EARNINGS).content.decode())
    statement = client.get(f"/en/licensing/statements/{event.pk}/").content.decode()

    assert "¥150.00" in section  # earned: 15% of ¥1,000.00
    assert "¥50.00" in section and "PAY-EMP-1" in section  # paid
    assert "¥100.00" in section  # still owed
    assert "HT-7" in section and "Quick tool setter" in section
    assert f"/licensing/statements/{event.pk}/" in section
    # The statement shows the enterprise its own line, not the inventors'.
    assert employer.name in statement
    assert "¥150.00" in statement
    assert "¥420.00" not in statement and "Alice" not in statement


def test_another_enterprise_sees_no_employer_share(client, deal):
    _alice, _bob, _agreement, event = deal
    client.force_login(
        UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=VerifiedEnterpriseFactory())
    )

    content = client.get(EARNINGS).content.decode()

    assert 'id="employer-title"' not in content
    assert client.get(f"/en/licensing/statements/{event.pk}/").status_code == 404


def test_a_reversal_shows_to_the_employer_and_the_licensee(client, deal, union_staff):
    alice, _bob, agreement, _event = deal
    employer = agreement.innovations.get().employer
    second = income_record(
        agreement=agreement,
        kind=IncomeKind.ROYALTY,
        amount=Decimal("200.00"),
        received_on=date(2026, 8, 1),
        reference="ROY-WRONG",
        recorded_by=union_staff,
    )
    income_reverse(income=second, reason="Recorded twice", actor=union_staff)

    client.force_login(UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=employer))
    section = employer_section(client.get(EARNINGS).content.decode())
    client.force_login(UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=agreement.licensee))
    licensee_page = client.get(EARNINGS).content.decode()

    assert "¥30.00" in section and "-¥30.00" in section  # 15% of ¥200.00, then taken back
    assert "earnings-reversal" in section
    assert "¥150.00" in section  # earned overall is back to the first royalty's share
    assert "ROY-WRONG" in licensee_page and "earnings-reversal" in licensee_page
