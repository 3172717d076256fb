"""An enterprise's members enter its bank details for the employer share, from their
agreements-and-earnings page; nobody else can (a worker it employs included)."""

import pytest

from accounts.choices import Role
from licensing.models import PayoutProfile
from tests.factories.accounts import UserFactory
from tests.factories.licensing import PayoutProfileFactory
from tests.factories.marketplace import VerifiedEnterpriseFactory

pytestmark = pytest.mark.django_db

EARNINGS = "/en/licensing/earnings/"
DETAILS = "/en/licensing/earnings/enterprise-bank-details/"
FILLED = {
    "bank_account_name": "上海申江精密机械有限公司",
    "bank": "中国工商银行上海市浦东分行",
    "bank_account_number": "1001 2345 6789 0123",
}


@pytest.fixture
def enterprise():
    return VerifiedEnterpriseFactory(name="上海申江精密机械有限公司")


@pytest.fixture
def member(enterprise):
    return UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=enterprise)


def test_a_member_enters_the_enterprises_bank_details(client, member, enterprise):
    client.force_login(member)

    response = client.post(DETAILS, FILLED)

    assert response.status_code == 302 and response["Location"].endswith("/licensing/earnings/")
    profile = PayoutProfile.objects.get(enterprise=enterprise)
    assert (profile.bank_account_name, profile.bank, profile.bank_account_number) == (
        "上海申江精密机械有限公司",
        "中国工商银行上海市浦东分行",
        "1001234567890123",
    )
    assert not PayoutProfile.objects.filter(user=member).exists()  # not the member's own


def test_the_earnings_page_links_to_them_and_shows_the_account(client, member, enterprise):
    client.force_login(member)
    assert 'href="/en/licensing/earnings/enterprise-bank-details/"' in (
        client.get(EARNINGS).content.decode()
    )

    client.post(DETAILS, FILLED)
    content = client.get(EARNINGS).content.decode()

    assert "ending 0123" in content
    assert "Change your enterprise's bank details" in content


def test_the_form_shows_the_details_already_given(client, member, enterprise):
    PayoutProfileFactory(user=None, enterprise=enterprise, bank_account_number="99998888777")
    client.force_login(member)

    assert "99998888777" in client.get(DETAILS).content.decode()


def test_a_bad_account_number_is_a_form_error_and_nothing_is_saved(client, member):
    client.force_login(member)

    response = client.post(DETAILS, {**FILLED, "bank_account_number": "12-34"})

    assert response.status_code == 200
    assert "8 to 30 digits" in response.content.decode()
    assert not PayoutProfile.objects.exists()


def test_a_member_of_another_enterprise_changes_only_its_own(client, enterprise):
    theirs = PayoutProfileFactory(user=None, enterprise=enterprise, bank_account_number="11112222")
    other = UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=VerifiedEnterpriseFactory())
    client.force_login(other)

    page = client.get(DETAILS).content.decode()
    client.post(DETAILS, FILLED)

    assert "11112222" not in page
    theirs.refresh_from_db()
    assert theirs.bank_account_number == "11112222"
    assert PayoutProfile.objects.get(enterprise=other.enterprise).bank_account_number == (
        "1001234567890123"
    )


def test_a_worker_the_enterprise_employs_cannot(client, enterprise):
    worker = UserFactory(role=Role.WORKER, employer=enterprise)
    client.force_login(worker)

    assert client.get(DETAILS).status_code == 404
    assert client.post(DETAILS, FILLED).status_code == 404
    assert "enterprise-bank-details" not in client.get(EARNINGS).content.decode()
    assert not PayoutProfile.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.post(DETAILS, FILLED)

    assert response.status_code == 302 and "login" in response["Location"]
    assert not PayoutProfile.objects.exists()
