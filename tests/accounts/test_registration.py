"""Workers register themselves: the page, the form's refusals and worker_register."""

import pytest
from django.contrib.auth import SESSION_KEY, authenticate
from django.utils.html import escape

from accounts.choices import Role, VerificationStatus
from accounts.exceptions import (
    RegistrationContactMissingError,
    RegistrationEmailTakenError,
    RegistrationMobileTakenError,
)
from accounts.models import Enterprise, User
from accounts.services import registration
from accounts.services.registration import worker_register
from accounts.services.roles import user_roles
from tests.factories.accounts import EnterpriseFactory, UserFactory

REGISTER_URL = "/en/accounts/register/"
NEW_PASSWORD = "Lathe-jig-2026-pudong"


@pytest.fixture(autouse=True)
def login_redirect(settings):
    # innovations:mine is built elsewhere; the redirect target itself is not under test here.
    settings.LOGIN_REDIRECT_URL = "/landing/"


def registration_data(**overrides) -> dict:
    return {
        "family_name": "王",
        "given_name": "建国",
        "email": "wang.jianguo@example.com",
        "mobile": "13812345678",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "employer_name": "上海申江精密机械有限公司",
        "union_member_no": "SH-2024-00123",
        **overrides,
    }


def service_arguments(**overrides) -> dict:
    return {
        "family_name": "李",
        "given_name": "秀英",
        "email": "li.xiuying@example.com",
        "mobile": "13912345678",
        "password": NEW_PASSWORD,
        "employer_name": "上海浦江新材料科技股份有限公司",
        "union_member_no": "",
        **overrides,
    }


def logged_in_user_id(client) -> str | None:
    return client.session.get(SESSION_KEY)


# The page


@pytest.mark.parametrize(
    ("email", "mobile", "login_with"),
    [
        ("wang.jianguo@example.com", "", "WANG.JIANGUO@example.com"),
        ("", "13812345678", "13812345678"),
        ("wang.jianguo@example.com", "13812345678", "13812345678"),
    ],
    ids=["email only", "mobile only", "both"],
)
def test_registering_creates_a_logged_in_worker_who_can_log_in_again(
    client, db, email, mobile, login_with
):
    response = client.post(REGISTER_URL, registration_data(email=email, mobile=mobile))

    assert response.status_code == 302
    assert response["Location"] == "/landing/"
    user = User.objects.get()
    assert logged_in_user_id(client) == str(user.pk)
    assert user_roles(user) == {Role.WORKER}
    assert (user.last_name, user.first_name) == ("王", "建国")
    assert user.email == email
    assert user.mobile == (mobile or None)
    assert user.union_member_no == "SH-2024-00123"
    assert user.username.startswith("w")
    assert authenticate(username=login_with, password=NEW_PASSWORD) == user


def test_two_workers_without_a_mobile_number_can_both_register(client, db):
    client.post(REGISTER_URL, registration_data(email="a@example.com", mobile=""))
    client.logout()
    client.post(REGISTER_URL, registration_data(email="b@example.com", mobile=""))

    assert list(User.objects.values_list("mobile", flat=True)) == [None, None]


def test_employer_is_the_existing_enterprise_with_exactly_that_name(client, db):
    employer = EnterpriseFactory(name="上海申江精密机械有限公司")

    client.post(REGISTER_URL, registration_data(employer_name="  上海申江精密机械有限公司 "))

    assert User.objects.get().employer == employer
    assert Enterprise.objects.count() == 1


def test_an_employer_not_yet_known_is_created_without_a_credit_code(client, db):
    EnterpriseFactory(name="上海申江精密机械有限公司")

    client.post(REGISTER_URL, registration_data(employer_name="上海申江精密机械 有限公司"))

    employer = User.objects.get().employer
    assert (employer.name, employer.credit_code) == ("上海申江精密机械 有限公司", "")
    assert Enterprise.objects.count() == 2


def test_only_verified_enterprises_are_suggested_as_employers(client, db):
    EnterpriseFactory(
        name="上海临港智能装备有限公司", verification_status=VerificationStatus.VERIFIED
    )
    EnterpriseFactory(name="未核实的名称", credit_code="")
    EnterpriseFactory(name="待认证的企业", verification_status=VerificationStatus.PENDING)

    content = client.get(REGISTER_URL).content.decode()

    assert '<option value="上海临港智能装备有限公司">' in content
    assert "未核实的名称" not in content
    assert "待认证的企业" not in content
    assert 'list="employer-names"' in content
    assert '<datalist id="employer-names">' in content


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"email": "", "mobile": ""}, None, "contact_missing"),
        ({"email": "TAKEN@example.COM", "mobile": ""}, "email", "email_taken"),
        ({"email": "", "mobile": "13900000099"}, "mobile", "mobile_taken"),
        ({"mobile": "1381234567"}, "mobile", "mobile_format"),
        ({"mobile": "23812345678"}, "mobile", "mobile_format"),
        ({"email": "wang.jianguo@"}, "email", "invalid"),
        ({"password2": NEW_PASSWORD + "x"}, "password2", "password_mismatch"),
        ({"password1": "12345678", "password2": "12345678"}, "password1", "password_too_common"),
        ({"password1": "short1!", "password2": "short1!"}, "password1", "password_too_short"),
        (
            {"password1": "wang.jianguo", "password2": "wang.jianguo"},
            "password1",
            "password_too_similar",
        ),
        ({"family_name": "王" * 151}, "family_name", "max_length"),
        ({"given_name": ""}, "given_name", "required"),
        ({"employer_name": "   "}, "employer_name", "required"),
        ({"employer_name": "企" * 201}, "employer_name", "max_length"),
        ({"union_member_no": "1" * 31}, "union_member_no", "max_length"),
        ({"union_member_no": "SH 2024/01"}, "union_member_no", "union_member_no_characters"),
    ],
)
def test_a_refused_registration_says_why_and_creates_nothing(client, db, overrides, field, code):
    UserFactory(email="taken@example.com", mobile="13900000099", employer=EnterpriseFactory())
    users_before, enterprises_before = User.objects.count(), Enterprise.objects.count()

    response = client.post(REGISTER_URL, registration_data(**overrides))

    assert response.status_code == 200
    form = response.context["form"]
    errors = form.errors.as_data()[field or "__all__"]
    assert code in [error.code for error in errors]
    content = response.content.decode()
    assert 'role="alert"' in content
    for message in form.errors[field or "__all__"]:
        assert escape(message) in content
    if field:
        assert f'id="id_{field}_error"' in content
        assert 'aria-invalid="true"' in content
    assert User.objects.count() == users_before
    assert Enterprise.objects.count() == enterprises_before
    assert logged_in_user_id(client) is None


def test_the_messages_read_clearly_in_english(client, db):
    UserFactory(email="taken@example.com")

    content = client.post(
        REGISTER_URL, registration_data(email="Taken@example.com", mobile="")
    ).content.decode()
    assert "An account with this email address already exists." in content

    content = client.post(REGISTER_URL, registration_data(email="", mobile="")).content.decode()
    assert "Enter an email address, a mobile number or both" in content


def test_markup_in_a_name_is_kept_as_text_and_escaped_on_the_page(client, db):
    client.post(
        REGISTER_URL,
        registration_data(family_name="<script>alert(1)</script>", given_name="<b>建国</b>"),
    )

    user = User.objects.get()
    assert user.last_name == "<script>alert(1)</script>"
    content = client.get("/en/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<script>alert(1)" not in content
    assert "<b>建国</b>" not in content


def test_a_logged_in_visitor_is_sent_on_instead_of_registering_again(client, worker):
    client.force_login(worker)

    response = client.get(REGISTER_URL)

    assert response.status_code == 302
    assert response["Location"] == "/landing/"


def test_registration_goes_on_to_a_safe_next_page_only(client, db):
    response = client.post(f"{REGISTER_URL}?next=/en/news/", registration_data())
    assert response["Location"] == "/en/news/"

    client.logout()
    response = client.post(
        f"{REGISTER_URL}?next=https://evil.example.com/",
        registration_data(email="other@example.com", mobile="13812340000"),
    )
    assert response["Location"] == "/landing/"


def test_a_refusal_from_the_service_is_shown_on_its_field(client, db, monkeypatch):
    # Another registration took the email between the form's check and the service's.
    UserFactory(email="wang.jianguo@example.com")
    monkeypatch.setattr("accounts.forms.email_is_taken", lambda email: False)
    users_before = User.objects.count()

    response = client.post(REGISTER_URL, registration_data())

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        str(RegistrationEmailTakenError.default_message)
    ]
    assert User.objects.count() == users_before


# The service


def test_worker_register_returns_a_worker_employed_by_the_named_enterprise(db):
    user = worker_register(**service_arguments(email="  Li.Xiuying@EXAMPLE.COM "))

    assert user.email == "Li.Xiuying@example.com"
    assert user.employer.name == "上海浦江新材料科技股份有限公司"
    assert user.check_password(NEW_PASSWORD)
    assert user_roles(user) == {Role.WORKER}


def test_worker_register_prefers_the_verified_enterprise_when_names_repeat(db):
    EnterpriseFactory(name="上海浦江新材料科技股份有限公司", credit_code="")
    verified = EnterpriseFactory(
        name="上海浦江新材料科技股份有限公司", verification_status=VerificationStatus.VERIFIED
    )

    assert worker_register(**service_arguments()).employer == verified


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"email": "", "mobile": ""}, RegistrationContactMissingError),
        ({"email": "LI.XIUYING@example.com", "mobile": ""}, RegistrationEmailTakenError),
        ({"email": "", "mobile": "13912345678"}, RegistrationMobileTakenError),
        # A login identifier must name one person: someone's username counts as taken.
        ({"email": "", "mobile": "13700000000"}, RegistrationMobileTakenError),
    ],
)
def test_worker_register_refuses_without_the_form_and_creates_nothing(db, overrides, error):
    UserFactory(email="li.xiuying@example.com", mobile="13912345678")
    UserFactory(username="13700000000")
    users_before, enterprises_before = User.objects.count(), Enterprise.objects.count()

    with pytest.raises(error) as raised:
        worker_register(**service_arguments(**overrides))

    assert raised.value.code == error.code
    assert User.objects.count() == users_before
    assert Enterprise.objects.count() == enterprises_before


def test_worker_register_turns_a_lost_race_into_a_domain_error(db, monkeypatch):
    # The check passes, then the database's unique constraint on email refuses the insert.
    UserFactory(email="li.xiuying@example.com")
    real_check = registration.email_is_taken
    checks = []

    def taken_after_the_first_check(email):
        checks.append(email)
        return len(checks) > 1 and real_check(email)

    monkeypatch.setattr(registration, "email_is_taken", taken_after_the_first_check)
    enterprises_before = Enterprise.objects.count()

    with pytest.raises(RegistrationEmailTakenError):
        worker_register(**service_arguments(email="Li.Xiuying@example.com", mobile=""))

    assert len(checks) == 2
    assert User.objects.count() == 1
    assert Enterprise.objects.count() == enterprises_before
