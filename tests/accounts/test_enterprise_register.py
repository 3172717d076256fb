"""An organisation registers itself and its first member: the page, the form's refusals and
enterprise_register, including the takeover of an employer that workers named."""

import pytest
from django.contrib.auth import SESSION_KEY, authenticate
from django.utils import translation
from django.utils.html import escape
from wagtail.models import ModelLogEntry

from accounts.choices import District, Role, VerificationStatus
from accounts.exceptions import (
    EnterpriseCreditCodeInvalidError,
    EnterpriseCreditCodeTakenError,
    EnterpriseNameMissingError,
    RegistrationContactMissingError,
    RegistrationEmailTakenError,
    RegistrationMobileTakenError,
)
from accounts.models import Enterprise, User
from accounts.services import enterprises
from accounts.services.enterprises import LOG_SUBMIT, enterprise_register
from accounts.services.roles import user_roles
from innovations.models import Industry
from tests.factories.accounts import EnterpriseFactory, UserFactory

REGISTER_URL_EN = "/en/accounts/enterprise/register/"
REGISTER_URL_ZH = "/accounts/enterprise/register/"
DETAIL_URL_EN = "/en/accounts/enterprise/"
NEW_PASSWORD = "Lathe-jig-2026-pudong"
# GB 32100-2015's own example, and a code of a Pudong company (check character 0).
VALID_CODE = "91350100M000100Y43"
OTHER_VALID_CODE = "91310115MA1H7K2X30"
ENTERPRISE_NAME = "上海申江精密机械有限公司"


@pytest.fixture
def automotive(db) -> Industry:
    return Industry.objects.get(slug="automotive")


def registration_data(industry: Industry, /, **overrides) -> dict:
    return {
        "name": ENTERPRISE_NAME,
        "credit_code": VALID_CODE,
        "district": District.PUDONG,
        "industry": industry.pk,
        "contact_name": "陈经理",
        "contact_phone": "021-58881234",
        "family_name": "陈",
        "given_name": "立新",
        "email": "chen.lixin@example.com",
        "mobile": "13812345678",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **overrides,
    }


def service_arguments(industry: Industry, /, **overrides) -> dict:
    return {
        "family_name": "陈",
        "given_name": "立新",
        "email": "chen.lixin@example.com",
        "mobile": "13812345678",
        "password": NEW_PASSWORD,
        "name": ENTERPRISE_NAME,
        "credit_code": VALID_CODE,
        "district": District.PUDONG,
        "industry": industry,
        "contact_name": "陈经理",
        "contact_phone": "021-58881234",
        **overrides,
    }


def counts() -> tuple[int, int, int]:
    return User.objects.count(), Enterprise.objects.count(), ModelLogEntry.objects.count()


# The page


@pytest.mark.parametrize(("url", "lang"), [(REGISTER_URL_ZH, "zh-hans"), (REGISTER_URL_EN, "en")])
def test_the_form_renders_in_both_languages_with_every_district_and_industry(
    client, automotive, url, lang
):
    response = client.get(url)

    page = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}"' in page
    assert 'name="credit_code"' in page
    for value in District.values:
        assert f'<option value="{value}"' in page
    # Each select starts with an empty choice, so nothing is chosen by accident.
    assert page.count('<option value="" selected>') == 2
    assert page.count("<option value=") == 2 + len(District.values) + Industry.objects.count()
    assert f'<option value="{automotive.pk}"' in page


def test_the_english_form_shows_english_district_and_industry_names(client, automotive):
    english = client.get(REGISTER_URL_EN).content.decode()
    chinese = client.get(REGISTER_URL_ZH).content.decode()

    assert "Register an enterprise" in english
    assert "Pudong New Area" in english
    assert "Automotive" in english
    assert "汽车" in chinese


def test_registering_creates_a_pending_enterprise_and_its_logged_in_first_member(
    client, automotive
):
    response = client.post(
        REGISTER_URL_EN,
        registration_data(automotive, credit_code=" 9135 0100 m000 100y43 "),
    )

    assert response.status_code == 302
    assert response["Location"] == DETAIL_URL_EN
    enterprise = Enterprise.objects.get()
    user = User.objects.get()
    assert client.session.get(SESSION_KEY) == str(user.pk)
    assert (enterprise.name, enterprise.credit_code) == (ENTERPRISE_NAME, VALID_CODE)
    assert enterprise.verification_status == VerificationStatus.PENDING
    assert not enterprise.is_verified
    assert (enterprise.district, enterprise.industry) == (District.PUDONG, automotive)
    assert (enterprise.contact_name, enterprise.contact_phone) == ("陈经理", "021-58881234")
    assert enterprise.registered_by == user
    assert (enterprise.verified_at, enterprise.verified_by) == (None, None)
    assert user.enterprise == enterprise
    assert user.employer is None
    assert user_roles(user) == {Role.ENTERPRISE_MEMBER}
    assert authenticate(username="13812345678", password=NEW_PASSWORD) == user


def test_after_registering_the_member_reads_that_staff_are_checking(client, automotive):
    response = client.post(REGISTER_URL_EN, registration_data(automotive), follow=True)

    page = response.content.decode()
    assert '<html lang="en"' in page
    assert "Your enterprise is registered." in page
    assert "Awaiting verification" in page
    assert "Union staff are checking your enterprise" in page


def test_the_registration_is_recorded_in_the_audit_log(client, automotive):
    client.post(REGISTER_URL_EN, registration_data(automotive))

    entry = ModelLogEntry.objects.get()
    assert (entry.action, entry.object_id, entry.user) == (
        LOG_SUBMIT,
        str(Enterprise.objects.get().pk),
        User.objects.get(),
    )


@pytest.mark.parametrize(
    ("credit_code", "code", "english"),
    [
        ("91350100M000100Y4", "credit_code_length", "has 18 characters; this one has 17"),
        ("91350100M000100Y433", "credit_code_length", "has 18 characters; this one has 19"),
        ("9135010OM000100Y43", "credit_code_characters", "digits in places 1 to 8"),
        ("91350100M0001I0Y43", "credit_code_characters", "other than I, O, S, V and Z"),
        ("91350100M000100Y44", "credit_code_check", "check character"),
        ("", "required", "This field is required."),
    ],
    ids=["17 characters", "19 characters", "letter O", "letter I", "check character", "blank"],
)
def test_an_invalid_credit_code_is_refused_saying_what_is_wrong(
    client, automotive, credit_code, code, english
):
    before = counts()

    response = client.post(REGISTER_URL_EN, registration_data(automotive, credit_code=credit_code))

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["credit_code"]
    assert [error.code for error in errors] == [code]
    page = response.content.decode()
    assert escape(english) in page
    assert 'href="#id_credit_code"' in page
    assert counts() == before
    assert client.session.get(SESSION_KEY) is None


def test_the_check_character_message_is_chinese_on_the_chinese_page(client, automotive):
    response = client.post(
        REGISTER_URL_ZH, registration_data(automotive, credit_code="91350100M000100Y44")
    )

    page = response.content.decode()
    assert '<html lang="zh-hans"' in page
    assert "校验位" in page


def test_a_credit_code_already_registered_is_refused_and_says_what_to_do(client, automotive):
    EnterpriseFactory(credit_code=VALID_CODE, verification_status=VerificationStatus.VERIFIED)
    before = counts()

    response = client.post(
        REGISTER_URL_EN, registration_data(automotive, credit_code=VALID_CODE.lower())
    )

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["credit_code"]
    assert [error.code for error in errors] == ["credit_code_taken"]
    assert "ask one of its members to invite you" in response.content.decode()
    assert counts() == before


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"name": "   "}, "name", "required"),
        ({"name": "企" * 201}, "name", "max_length"),
        ({"district": ""}, "district", "required"),
        ({"district": "suzhou"}, "district", "invalid_choice"),
        ({"industry": ""}, "industry", "required"),
        ({"industry": "999999"}, "industry", "invalid_choice"),
        ({"contact_name": ""}, "contact_name", "required"),
        ({"contact_phone": "call me"}, "contact_phone", "contact_phone_format"),
        ({"email": "", "mobile": ""}, None, "contact_missing"),
        ({"email": "TAKEN@example.com"}, "email", "email_taken"),
        ({"mobile": "13900000099"}, "mobile", "mobile_taken"),
        ({"mobile": "1381234567"}, "mobile", "mobile_format"),
        ({"password2": NEW_PASSWORD + "x"}, "password2", "password_mismatch"),
        ({"password1": "12345678", "password2": "12345678"}, "password1", "password_too_common"),
    ],
)
def test_other_bad_input_is_refused_with_its_reason_and_saves_nothing(
    client, automotive, overrides, field, code
):
    UserFactory(email="taken@example.com", mobile="13900000099")
    before = counts()

    response = client.post(REGISTER_URL_EN, registration_data(automotive, **overrides))

    assert response.status_code == 200
    form = response.context["form"]
    assert code in [error.code for error in form.errors.as_data()[field or "__all__"]]
    page = response.content.decode()
    assert 'role="alert"' in page
    if field:
        assert f'id="id_{field}_error"' in page
    assert counts() == before
    assert client.session.get(SESSION_KEY) is None


def test_the_form_has_no_worker_only_fields(client, db):
    page = client.get(REGISTER_URL_EN).content.decode()

    assert 'name="employer_name"' not in page
    assert 'name="union_member_no"' not in page


def test_a_logged_in_member_is_sent_to_their_enterprise(client, enterprise_member):
    client.force_login(enterprise_member)

    response = client.get(REGISTER_URL_EN)

    assert response.status_code == 302
    assert response["Location"] == DETAIL_URL_EN


def test_a_logged_in_worker_is_told_to_log_out_first_and_nothing_is_created(
    client, worker, automotive
):
    client.force_login(worker)
    before = counts()

    get_page = client.get(REGISTER_URL_EN).content.decode()
    response = client.post(REGISTER_URL_EN, registration_data(automotive))

    assert "log out first to register one" in get_page
    assert 'name="credit_code"' not in get_page
    assert response.status_code == 200
    assert counts() == before


# Taking over an employer that workers named


def test_an_employer_named_by_workers_is_taken_over_instead_of_duplicated(client, automotive):
    employer = EnterpriseFactory(name=ENTERPRISE_NAME, credit_code="", district="")
    worker = UserFactory(role=Role.WORKER, employer=employer)

    client.post(REGISTER_URL_EN, registration_data(automotive))

    assert Enterprise.objects.count() == 1
    employer.refresh_from_db()
    assert employer.credit_code == VALID_CODE
    assert employer.verification_status == VerificationStatus.PENDING
    assert (employer.district, employer.industry) == (District.PUDONG, automotive)
    member = User.objects.get(email="chen.lixin@example.com")
    assert member.enterprise == employer
    assert employer.registered_by == member
    worker.refresh_from_db()
    assert worker.employer == employer


def test_the_oldest_of_several_employers_with_that_name_is_taken_over(db, automotive):
    oldest = EnterpriseFactory(name=ENTERPRISE_NAME, credit_code="")
    EnterpriseFactory(name=ENTERPRISE_NAME, credit_code="")

    enterprise, _user = enterprise_register(**service_arguments(automotive))

    assert enterprise == oldest
    assert Enterprise.objects.count() == 2


@pytest.mark.parametrize(
    "existing",
    [
        {"credit_code": OTHER_VALID_CODE},
        {"credit_code": "", "verification_status": VerificationStatus.REJECTED},
    ],
    ids=["has a code", "already submitted"],
)
def test_an_enterprise_of_that_name_that_someone_registered_is_not_taken_over(
    db, automotive, existing
):
    other = EnterpriseFactory(name=ENTERPRISE_NAME, **existing)

    enterprise, _user = enterprise_register(**service_arguments(automotive))

    assert enterprise != other
    other.refresh_from_db()
    assert other.credit_code == existing["credit_code"]
    assert Enterprise.objects.count() == 2


def test_an_employer_that_already_has_members_is_not_taken_over(db, automotive):
    employer = EnterpriseFactory(name=ENTERPRISE_NAME, credit_code="")
    UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=employer)

    enterprise, _user = enterprise_register(**service_arguments(automotive))

    assert enterprise != employer
    employer.refresh_from_db()
    assert employer.credit_code == ""


# The service


def test_enterprise_register_stores_the_code_in_capitals_without_spaces(db, automotive):
    enterprise, user = enterprise_register(
        **service_arguments(automotive, credit_code="  91350100m000100y43 ", email="")
    )

    enterprise.refresh_from_db()
    assert enterprise.credit_code == VALID_CODE
    assert user.email == ""
    assert user.mobile == "13812345678"


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"email": "", "mobile": ""}, RegistrationContactMissingError),
        ({"email": "Taken@Example.com", "mobile": ""}, RegistrationEmailTakenError),
        ({"mobile": "13900000099"}, RegistrationMobileTakenError),
        ({"name": "  "}, EnterpriseNameMissingError),
        ({"credit_code": "91350100M000100Y44"}, EnterpriseCreditCodeInvalidError),
        ({"credit_code": ""}, EnterpriseCreditCodeInvalidError),
        ({"credit_code": OTHER_VALID_CODE}, EnterpriseCreditCodeTakenError),
    ],
)
def test_enterprise_register_refuses_without_the_form_and_saves_nothing(
    db, automotive, overrides, error
):
    UserFactory(email="taken@example.com", mobile="13900000099")
    EnterpriseFactory(credit_code=OTHER_VALID_CODE)
    EnterpriseFactory(name=ENTERPRISE_NAME, credit_code="")
    before = counts()

    with pytest.raises(error) as raised:
        enterprise_register(**service_arguments(automotive, **overrides))

    assert raised.value.code == error.code
    assert counts() == before
    assert Enterprise.objects.get(name=ENTERPRISE_NAME).credit_code == ""


def test_an_invalid_code_error_carries_the_validator_message(db, automotive):
    with pytest.raises(EnterpriseCreditCodeInvalidError) as raised:
        enterprise_register(**service_arguments(automotive, credit_code="91350100M000100Y4"))

    with translation.override("en"):
        assert str(raised.value) == (
            "A unified social credit code has 18 characters; this one has 17."
        )


def test_a_code_registered_concurrently_is_refused_by_the_database(db, automotive, monkeypatch):
    # The check passes, then the partial unique constraint refuses the insert.
    EnterpriseFactory(credit_code=VALID_CODE)
    real_check = enterprises.credit_code_is_taken
    checks = []

    def taken_after_the_first_check(code, **kwargs):
        checks.append(code)
        return len(checks) > 1 and real_check(code, **kwargs)

    monkeypatch.setattr(enterprises, "credit_code_is_taken", taken_after_the_first_check)
    before = counts()

    with pytest.raises(EnterpriseCreditCodeTakenError):
        enterprise_register(**service_arguments(automotive))

    assert len(checks) == 2
    assert counts() == before


def test_an_email_registered_concurrently_is_refused_by_the_database(db, automotive, monkeypatch):
    UserFactory(email="chen.lixin@example.com")
    real_check = enterprises.email_is_taken
    checks = []

    def taken_after_the_first_checks(email):
        checks.append(email)
        return len(checks) > 2 and real_check(email)

    monkeypatch.setattr(enterprises, "email_is_taken", taken_after_the_first_checks)
    before = counts()

    with pytest.raises(RegistrationEmailTakenError):
        enterprise_register(**service_arguments(automotive, mobile=""))

    assert counts() == before


def test_markup_in_the_enterprise_name_is_escaped_on_its_page(client, automotive):
    client.post(
        REGISTER_URL_EN, registration_data(automotive, name="<script>alert(1)</script>有限公司")
    )

    page = client.get(DETAIL_URL_EN).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;有限公司" in page
    assert "<script>alert(1)" not in page
