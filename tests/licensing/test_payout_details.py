"""Bank details for payouts: a worker enters their own from "My earnings"; staff see and edit
anyone's in the admin; the Payouts screen flags payees without them."""

from decimal import Decimal

import pytest
from django.utils import translation

from accounts.choices import Role
from licensing.exceptions import PayoutAccountNumberInvalidError, PayoutProfileInvalidError
from licensing.models import PayoutProfile
from licensing.services.payout_profiles import payout_profile_save
from licensing.services.profit_sharing import proceeds_share
from tests.factories.accounts import UserFactory
from tests.factories.licensing import PayoutProfileFactory, approved_innovation
from tests.factories.marketplace import VerifiedEnterpriseFactory

pytestmark = pytest.mark.django_db

EARNINGS = "/en/licensing/earnings/"
DETAILS = "/en/licensing/earnings/bank-details/"
ADMIN = "/admin/licensing/payouts/"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("62220202", "62220202"), ("6222 0202 0000 0000 017", "6222020200000000017"), ("1" * 30,) * 2],
)
def test_an_account_number_of_8_to_30_digits_is_kept_as_digits(typed, stored, worker):
    profile = payout_profile_save(
        user=worker, bank_account_name="李明", bank="中国银行上海分行", bank_account_number=typed
    )

    assert profile.bank_account_number == stored


@pytest.mark.parametrize("typed", ["1234567", "1" * 31, "6222-0202-0000", "62220202AB", ""])
def test_an_account_number_of_another_shape_is_refused(typed, worker):
    with translation.override("en"):
        with pytest.raises(PayoutAccountNumberInvalidError) as refused:
            payout_profile_save(
                user=worker, bank_account_name="李明", bank="中国银行", bank_account_number=typed
            )
        assert "8 to 30 digits" in str(refused.value)
    assert not PayoutProfile.objects.exists()


@pytest.mark.parametrize(
    ("name", "bank"), [("", "中国银行"), ("李明", "  "), ("李" * 101, "中国银行")]
)
def test_a_holder_and_a_bank_are_needed(name, bank, worker):
    with pytest.raises(PayoutProfileInvalidError):
        payout_profile_save(
            user=worker, bank_account_name=name, bank=bank, bank_account_number="62220202"
        )
    assert not PayoutProfile.objects.exists()


def test_saving_again_replaces_the_details(worker):
    payout_profile_save(
        user=worker, bank_account_name="李明", bank="中国银行", bank_account_number="62220202"
    )
    payout_profile_save(
        user=worker, bank_account_name="李明", bank="招商银行", bank_account_number="95555000"
    )

    assert PayoutProfile.objects.get().bank_account_number == "95555000"


def test_a_worker_enters_their_bank_details_from_my_earnings(client, worker):
    client.force_login(worker)
    assert DETAILS in client.get(EARNINGS).content.decode()

    response = client.post(
        DETAILS,
        {
            "bank_account_name": "李明",
            "bank": "中国工商银行上海浦东分行",
            "bank_account_number": "6222 0202 0000 0000 017",
        },
    )

    assert response.status_code == 302
    profile = PayoutProfile.objects.get(user=worker)
    assert profile.bank_account_number == "6222020200000000017"
    content = client.get(EARNINGS).content.decode()
    assert "中国工商银行上海浦东分行" in content and "0017" in content
    assert "6222020200000000017" not in content  # only the last digits on the page


def test_a_bad_account_number_is_shown_on_the_form_not_saved(client, worker):
    client.force_login(worker)

    response = client.post(
        DETAILS, {"bank_account_name": "李明", "bank": "中国银行", "bank_account_number": "12-34"}
    )

    assert response.status_code == 200
    assert "8 to 30 digits" in response.content.decode()
    assert not PayoutProfile.objects.exists()


def test_the_page_needs_a_login(client):
    assert client.get(DETAILS).status_code == 302


@pytest.fixture
def staff_client(client, union_staff):
    client.force_login(union_staff)
    return client


def test_staff_see_everyones_bank_details_and_edit_an_employers(staff_client):
    PayoutProfileFactory(bank_account_number="6222020200000000099")
    enterprise = VerifiedEnterpriseFactory()

    listing = staff_client.get(f"{ADMIN}bank-details/").content.decode()
    response = staff_client.post(
        f"{ADMIN}bank-details/enterprise/{enterprise.pk}/",
        {
            "bank_account_name": enterprise.name,
            "bank": "交通银行",
            "bank_account_number": "31000012345678",
        },
    )

    assert "6222020200000000099" in listing
    assert response.status_code == 302
    assert PayoutProfile.objects.get(enterprise=enterprise).bank_account_number == "31000012345678"


def test_staff_correct_a_workers_details_and_bad_input_is_a_form_error(staff_client, worker):
    PayoutProfileFactory(user=worker)
    url = f"{ADMIN}bank-details/user/{worker.pk}/"
    assert "6222020200" in staff_client.get(url).content.decode()

    refused = staff_client.post(
        url, {"bank_account_name": "李明", "bank": "中国银行", "bank_account_number": "123"}
    )
    staff_client.post(
        url, {"bank_account_name": "李明", "bank": "中国银行", "bank_account_number": "12345678"}
    )

    assert refused.status_code == 200
    assert PayoutProfile.objects.get(user=worker).bank_account_number == "12345678"


def test_the_payouts_screen_flags_payees_without_bank_details(staff_client):
    alice, bob = UserFactory(role=Role.WORKER), UserFactory(role=Role.WORKER)
    innovation = approved_innovation(inventors=[(alice, "60"), (bob, "40")])
    proceeds_share(
        innovations=[innovation], amount=Decimal("1000.00"), source_label="t", idempotency_key="t"
    )
    PayoutProfileFactory(user=alice, bank_account_number="6222020200000000017")

    content = staff_client.get(ADMIN).content.decode()

    assert "6222020200000000017" in content
    assert content.count("payout-no-bank-details") == 2  # Bob and the employer
    assert f"{ADMIN}bank-details/user/{bob.pk}/" in content
    assert f"{ADMIN}bank-details/enterprise/{innovation.employer_id}/" in content


@pytest.mark.parametrize("path", [f"{ADMIN}bank-details/", f"{ADMIN}bank-details/user/1/"])
def test_workers_cannot_use_the_bank_details_screens(client, path, worker):
    client.force_login(worker)
    assert client.get(path).status_code in (302, 403)
