"""At most 5 accounts an hour from one client address: worker and enterprise registration share
the budget, joining by invitation has its own (accounts.services.registration_throttle)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from accounts.choices import District, Role
from accounts.models import Enterprise, User
from accounts.services.enterprises import enterprise_invitation_token
from accounts.services.registration_throttle import (
    RegistrationRateLimitedError,
    registration_slot_take,
)
from innovations.models import Industry
from tests.factories.accounts import EnterpriseFactory, UserFactory

WORKER_URL_EN = "/en/accounts/register/"
WORKER_URL_ZH = "/accounts/register/"
ENTERPRISE_URL_EN = "/en/accounts/enterprise/register/"
NEW_PASSWORD = "Lathe-jig-2026-pudong"
IP = "203.0.113.7"
ENGLISH_REFUSAL = "Too many accounts have been created from your network in the last hour."


@pytest.fixture(autouse=True)
def login_redirect(settings):
    settings.LOGIN_REDIRECT_URL = "/landing/"


def worker_data(n: int) -> dict:
    return {
        "family_name": "王",
        "given_name": "建国",
        "email": f"worker{n}@example.com",
        "mobile": f"1381234567{n}",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "employer_name": "上海申江精密机械有限公司",
        "union_member_no": "",
    }


def enterprise_data(industry: Industry) -> dict:
    return {
        "name": "上海浦江新材料科技股份有限公司",
        "credit_code": "91350100M000100Y43",
        "district": District.PUDONG,
        "industry": industry.pk,
        "contact_name": "陈经理",
        "contact_phone": "021-58881234",
        "family_name": "陈",
        "given_name": "立新",
        "email": "chen.lixin@example.com",
        "mobile": "13912345678",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }


def register_worker(n: int, *, ip: str = IP, url: str = WORKER_URL_EN):
    # A new client each time: a logged-in visitor is sent on instead of registering again.
    return Client().post(url, worker_data(n), REMOTE_ADDR=ip)


def later(monkeypatch, minutes: float):
    moved = timezone.now() + timedelta(minutes=minutes)
    monkeypatch.setattr(timezone, "now", lambda: moved)


def test_the_sixth_registration_from_one_address_in_an_hour_is_refused_and_writes_nothing(db):
    for n in range(5):
        assert register_worker(n).status_code == 302
    users = User.objects.count()

    response = register_worker(5)

    assert response.status_code == 429
    content = response.content.decode()
    assert 'role="alert"' in content
    assert escape(ENGLISH_REFUSAL) in content
    assert "try again in 60 min." in content
    assert User.objects.count() == users
    assert not User.objects.filter(email="worker5@example.com").exists()
    # The form keeps what was typed, so nothing has to be entered again.
    assert 'value="worker5@example.com"' in content


def test_another_address_is_not_limited(db):
    for n in range(5):
        register_worker(n)

    assert register_worker(5, ip="198.51.100.1").status_code == 302


def test_an_hour_after_the_first_registration_the_address_may_register_again(db, monkeypatch):
    for n in range(5):
        register_worker(n)
    assert register_worker(5).status_code == 429

    later(monkeypatch, minutes=61)

    assert register_worker(5).status_code == 302


def test_refused_forms_use_no_registration(db):
    for n in range(6):
        response = Client().post(
            WORKER_URL_EN, {**worker_data(n), "password2": "different"}, REMOTE_ADDR=IP
        )
        assert response.status_code == 200

    for n in range(5):
        assert register_worker(n).status_code == 302


def test_enterprise_registration_shares_the_budget_with_workers(db):
    automotive = Industry.objects.get(slug="automotive")
    for n in range(5):
        register_worker(n)

    response = Client().post(ENTERPRISE_URL_EN, enterprise_data(automotive), REMOTE_ADDR=IP)

    assert response.status_code == 429
    assert escape(ENGLISH_REFUSAL) in response.content.decode()
    assert not Enterprise.objects.filter(credit_code="91350100M000100Y43").exists()
    assert not User.objects.filter(email="chen.lixin@example.com").exists()


def test_an_enterprise_registration_counts_toward_the_workers_limit(db):
    automotive = Industry.objects.get(slug="automotive")
    response = Client().post(ENTERPRISE_URL_EN, enterprise_data(automotive), REMOTE_ADDR=IP)
    assert response.status_code == 302
    for n in range(4):
        assert register_worker(n).status_code == 302

    assert register_worker(4).status_code == 429


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            WORKER_URL_ZH,
            "过去一小时内从您所在网络创建的账户过多。本次未保存任何内容：请在 60 分钟后重试。",
        ),
        (
            WORKER_URL_EN,
            f"{ENGLISH_REFUSAL} Nothing was saved: try again in 60 min.",
        ),
    ],
    ids=["zh-hans", "en"],
)
def test_the_refusal_is_in_the_pages_language(db, url, expected):
    for n in range(5):
        register_worker(n, url=url)

    response = register_worker(5, url=url)

    assert escape(expected) in response.content.decode()


# Joining by invitation


@pytest.fixture
def member(db) -> User:
    return UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=EnterpriseFactory())


def join(member: User, n: int, *, ip: str = IP):
    token = enterprise_invitation_token(inviter=member, email=f"colleague{n}@example.com")
    return Client().post(
        f"/en/accounts/enterprise/join/{token}/",
        {
            "family_name": "赵",
            "given_name": "敏",
            "mobile": f"1370000111{n}",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
        REMOTE_ADDR=ip,
    )


def test_joins_have_their_own_budget_of_five_an_hour(member):
    for n in range(5):
        register_worker(n)
    for n in range(5):
        assert join(member, n).status_code == 302

    response = join(member, 5)

    assert response.status_code == 429
    assert escape(ENGLISH_REFUSAL) in response.content.decode()
    assert not User.objects.filter(email="colleague5@example.com").exists()


# The service


def test_the_service_counts_from_the_first_registration_of_the_hour(db):
    start = timezone.now()
    for minute in range(5):
        registration_slot_take(ip=IP, now=start + timedelta(minutes=minute * 10))

    with pytest.raises(RegistrationRateLimitedError) as refused:
        registration_slot_take(ip=IP, now=start + timedelta(minutes=45))
    assert refused.value.params == {"minutes": 15}
    registration_slot_take(ip=IP, now=start + timedelta(minutes=60))


def test_a_request_without_an_address_is_not_limited(db):
    for _ in range(10):
        registration_slot_take(ip=None)
