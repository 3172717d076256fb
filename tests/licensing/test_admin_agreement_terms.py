"""Staff edit a draft agreement's terms in the admin, through agreement_update."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from accounts.choices import Role
from licensing.admin_forms import AgreementTermsForm
from licensing.choices import AgreementStatus, RoyaltyBasis
from licensing.models import Agreement
from licensing.services.agreements import EDITABLE_TERMS, agreement_create_for_sale
from marketplace.choices import LotStatus
from marketplace.models import Sale
from tests.factories.accounts import UserFactory
from tests.factories.licensing import AgreementFactory
from tests.factories.marketplace import LotFactory, VerifiedEnterpriseFactory

pytestmark = pytest.mark.django_db

ADMIN = "/admin/licensing/agreements/"


@pytest.fixture
def staff_client(client, union_staff):
    client.force_login(union_staff)
    return client


@pytest.fixture
def sale_draft():
    """The draft agreement made from an auction sale: no contract number yet."""
    lot = LotFactory(status=LotStatus.SOLD, licence_term_years=3)
    sale = Sale.objects.create(
        lot=lot, winner=VerifiedEnterpriseFactory(), hammer_price=Decimal("350000.00")
    )
    return agreement_create_for_sale(sale=sale)


def form_data(agreement: Agreement, **changes) -> dict:
    """What the edit form posts when staff change `changes` and leave the rest as shown: each
    field and, hidden, the value it was shown with."""
    shown = {}
    for name in AgreementTermsForm.base_fields:
        value = getattr(agreement, name)
        if isinstance(value, bool):
            value = "on" if value else None
        shown[name] = "" if value is None and name != "is_service_invention" else value
    data = {**shown, **changes}
    data.update({f"initial-{name}": value for name, value in shown.items()})
    return {name: str(value) for name, value in data.items() if value is not None}


def test_the_form_offers_every_term_the_service_may_change():
    assert set(AgreementTermsForm.base_fields) == EDITABLE_TERMS


def test_a_draft_from_a_sale_is_completed_in_the_admin_then_signed_with_a_certificate(
    staff_client, sale_draft
):
    agreement = sale_draft
    assert agreement.contract_number == ""
    staff_client.post(f"{ADMIN}transition/{agreement.pk}/signed/")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT  # refused: no contract number

    page = staff_client.get(f"{ADMIN}inspect/{agreement.pk}/").content.decode()
    assert f"{ADMIN}terms/{agreement.pk}/" in page
    assert staff_client.get(f"{ADMIN}terms/{agreement.pk}/").status_code == 200
    response = staff_client.post(
        f"{ADMIN}terms/{agreement.pk}/",
        form_data(
            agreement,
            contract_number="PM-2026-031",
            licensors="上海甲厂；王建国",
            scope="数控机床刀具快速对刀",
            territory="上海市",
            term_start="2026-09-01",
            term_end="2029-08-31",
            royalty_rate="3.50",
            royalty_basis=RoyaltyBasis.NET_SALES,
            milestones="量产后支付",
            cnipa_record_number="2026310000456",
            cnipa_record_date="2026-09-15",
            upfront_amount="300000.00",
        ),
    )
    assert response.status_code == 302

    agreement.refresh_from_db()
    assert (agreement.contract_number, agreement.licensors, agreement.territory) == (
        "PM-2026-031",
        "上海甲厂；王建国",
        "上海市",
    )
    assert (agreement.term_start, agreement.term_end) == (date(2026, 9, 1), date(2029, 8, 31))
    assert (agreement.royalty_rate, agreement.royalty_basis) == (
        Decimal("3.50"),
        RoyaltyBasis.NET_SALES,
    )
    assert (agreement.cnipa_record_number, agreement.cnipa_record_date) == (
        "2026310000456",
        date(2026, 9, 15),
    )
    assert agreement.upfront_amount == Decimal("300000.00")
    assert agreement.deal_amount == Decimal("350000.00")  # untouched

    staff_client.post(f"{ADMIN}transition/{agreement.pk}/signed/")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED
    assert agreement.certificate.number.startswith("SHWIE-")
    assert f"{ADMIN}terms/{agreement.pk}/" not in (
        staff_client.get(f"{ADMIN}inspect/{agreement.pk}/").content.decode()
    )


def test_only_the_changed_terms_are_written(staff_client, sale_draft):
    agreement = sale_draft
    shown = form_data(agreement)
    # Someone else sets the contract number after this form was shown.
    Agreement.objects.filter(pk=agreement.pk).update(contract_number="OTHER-1")

    staff_client.post(f"{ADMIN}terms/{agreement.pk}/", {**shown, "milestones": "首付款后交付"})

    agreement.refresh_from_db()
    assert (agreement.contract_number, agreement.milestones) == ("OTHER-1", "首付款后交付")


def test_inconsistent_terms_are_a_form_error_and_nothing_is_saved(staff_client, sale_draft):
    agreement = sale_draft

    with translation.override("en"):
        response = staff_client.post(
            f"{ADMIN}terms/{agreement.pk}/",
            form_data(
                agreement, contract_number="X-1", term_start="2027-01-01", term_end="2026-01-01"
            ),
            HTTP_ACCEPT_LANGUAGE="en",
        )

    assert response.status_code == 200
    agreement.refresh_from_db()
    assert agreement.contract_number == ""


def test_a_signed_agreement_cannot_be_edited(staff_client, union_staff):
    agreement = AgreementFactory(status=AgreementStatus.SIGNED, confirmed_on=date(2026, 5, 1))

    response = staff_client.post(
        f"{ADMIN}terms/{agreement.pk}/", form_data(agreement, contract_number="CHANGED")
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "只有草稿" in content or "Only a draft" in content
    agreement.refresh_from_db()
    assert agreement.contract_number != "CHANGED"


def test_workers_and_enterprises_cannot_edit_terms(client):
    agreement = AgreementFactory()
    for user in (
        UserFactory(role=Role.WORKER),
        UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=VerifiedEnterpriseFactory()),
    ):
        client.force_login(user)
        response = client.post(
            f"{ADMIN}terms/{agreement.pk}/", form_data(agreement, contract_number="HACK")
        )
        assert response.status_code in (302, 403)
    agreement.refresh_from_db()
    assert agreement.contract_number != "HACK"


def test_the_edit_page_shows_the_current_terms_with_their_shown_values(staff_client, sale_draft):
    content = staff_client.get(f"{ADMIN}terms/{sale_draft.pk}/").content.decode()

    assert 'name="initial-contract_number"' in content
    assert 'value="350000.00"' in content
