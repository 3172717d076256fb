"""The transaction certificate PDF: its content, and who may download it."""

from datetime import date

import pytest

from accounts.choices import Role
from licensing.services.agreements import agreement_sign
from licensing.services.certificates import certificate_pdf
from tests.factories.accounts import UserFactory
from tests.factories.licensing import AgreementFactory, approved_innovation

pytestmark = pytest.mark.django_db


@pytest.fixture
def inventor():
    return UserFactory(role=Role.WORKER)


@pytest.fixture
def signed(inventor, union_staff):
    agreement = AgreementFactory(
        contract_number="HT-2026-0042",
        innovations=[approved_innovation(inventors=[(inventor, "100")])],
    )
    return agreement_sign(agreement=agreement, actor=union_staff, on=date(2026, 6, 3))


def url(agreement):
    return f"/licensing/agreements/{agreement.pk}/certificate/"


def test_the_pdf_holds_the_certificate_number_and_the_deal(signed):
    pdf = certificate_pdf(certificate=signed.certificate, compress=False)

    assert pdf.startswith(b"%PDF")
    assert b"SHWIE-2026-000001" in pdf
    assert b"HT-2026-0042" in pdf
    assert b"200,000.00" in pdf
    assert b"2026-06-03" in pdf
    # Chinese is drawn with the built-in CID font, not left out.
    assert b"STSong-Light" in pdf


def test_staff_download_the_certificate(client, signed, union_staff):
    client.force_login(union_staff)

    response = client.get(url(signed))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "SHWIE-2026-000001.pdf" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")


def test_the_licensee_downloads_it(client, signed):
    client.force_login(UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=signed.licensee))
    assert client.get(url(signed)).status_code == 200


def test_the_inventor_downloads_it(client, signed, inventor):
    client.force_login(inventor)
    assert client.get(url(signed)).status_code == 200


@pytest.mark.parametrize("role", [Role.WORKER, Role.ENTERPRISE_MEMBER])
def test_anyone_else_gets_404(client, signed, role):
    other = UserFactory(role=role)
    client.force_login(other)
    assert client.get(url(signed)).status_code == 404


def test_a_visitor_is_sent_to_log_in(client, signed):
    response = client.get(url(signed))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_draft_has_no_certificate(client, union_staff):
    client.force_login(union_staff)
    assert client.get(url(AgreementFactory())).status_code == 404
