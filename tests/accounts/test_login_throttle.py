"""Repeated failed logins lock the identifier typed (5 in 15 minutes) or the client address
(20 in 15 minutes) for 15 minutes, on the site's login page and the Wagtail admin's
(accounts.services.login_throttle, hooked in accounts.backends.EmailOrMobileBackend)."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone, translation
from django.utils.html import escape

from accounts.models import User
from accounts.services.login_throttle import (
    LoginAddressLockedError,
    LoginIdentifierLockedError,
    login_failure_record,
    login_success_record,
    login_throttle_check,
)
from accounts.services.throttling import client_ip
from tests.factories.accounts import TEST_PASSWORD, UserFactory

SITE_LOGIN_EN = "/en/accounts/login/"
SITE_LOGIN_ZH = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
WRONG = "not-the-password"
IP = "203.0.113.7"
ENGLISH_LOCK = "Too many failed logins with this email address or mobile number."
CHINESE_LOCK = "使用该邮箱或手机号登录失败的次数过多"
ENGLISH_ADDRESS_LOCK = "Too many failed logins from your network."


@pytest.fixture(autouse=True)
def login_redirect(settings):
    settings.LOGIN_REDIRECT_URL = "/landing/"


@pytest.fixture
def person(db):
    return UserFactory(email="Li.Xiuying@example.com", mobile="13812345678")


@pytest.fixture
def password_checks(monkeypatch):
    """How many times a password was hashed or checked (a locked attempt must do neither)."""
    calls = []
    check, set_ = User.check_password, User.set_password
    monkeypatch.setattr(
        User, "check_password", lambda self, raw: calls.append(1) or check(self, raw)
    )
    monkeypatch.setattr(User, "set_password", lambda self, raw: calls.append(1) or set_(self, raw))
    return calls


def later(monkeypatch, minutes: float):
    """Move every clock that reads django.utils.timezone.now forward."""
    moved = timezone.now() + timedelta(minutes=minutes)
    monkeypatch.setattr(timezone, "now", lambda: moved)


def post_login(client, url, identifier, password, **extra):
    return client.post(url, {"username": identifier, "password": password}, REMOTE_ADDR=IP, **extra)


def logged_in(client) -> bool:
    return SESSION_KEY in client.session


# The service, with its clock given


def test_the_fifth_failure_in_15_minutes_locks_the_identifier_for_15_minutes(db):
    start = timezone.now()
    for minute in range(4):
        login_failure_record(
            identifier="13812345678", ip=None, now=start + timedelta(minutes=minute)
        )
        login_throttle_check(identifier="13812345678", ip=None, now=start)

    login_failure_record(identifier="13812345678", ip=None, now=start + timedelta(minutes=4))

    with pytest.raises(LoginIdentifierLockedError) as refused:
        login_throttle_check(identifier="13812345678", ip=None, now=start + timedelta(minutes=4))
    assert refused.value.params == {"minutes": 15}
    with pytest.raises(LoginIdentifierLockedError) as refused:
        login_throttle_check(
            identifier="13812345678", ip=None, now=start + timedelta(minutes=18, seconds=30)
        )
    assert refused.value.params == {"minutes": 1}
    login_throttle_check(identifier="13812345678", ip=None, now=start + timedelta(minutes=19))


def test_failures_spread_over_more_than_15_minutes_do_not_lock(db):
    start = timezone.now()
    for minute in (0, 1, 2, 3, 16):
        login_failure_record(
            identifier="a@example.com", ip=None, now=start + timedelta(minutes=minute)
        )

    login_throttle_check(identifier="a@example.com", ip=None, now=start + timedelta(minutes=16))


def test_the_identifier_is_counted_however_it_is_typed(db):
    now = timezone.now()
    for typed in ["Li@Example.com", " li@example.com", "LI@EXAMPLE.COM", "li@example.com "]:
        login_failure_record(identifier=typed, ip=None, now=now)
    login_failure_record(identifier="ｌｉ@example.com", ip=None, now=now)  # full-width letters

    with pytest.raises(LoginIdentifierLockedError):
        login_throttle_check(identifier="li@example.com", ip=None, now=now)


def test_a_success_forgets_the_identifiers_failures(db):
    now = timezone.now()
    for _ in range(4):
        login_failure_record(identifier="13812345678", ip=None, now=now)
    login_success_record(identifier="13812345678")
    for _ in range(4):
        login_failure_record(identifier="13812345678", ip=None, now=now)

    login_throttle_check(identifier="13812345678", ip=None, now=now)


def test_after_a_lock_one_more_failure_does_not_lock_again(db):
    start = timezone.now()
    for _ in range(5):
        login_failure_record(identifier="13812345678", ip=None, now=start)
    after = start + timedelta(minutes=15, seconds=1)

    login_failure_record(identifier="13812345678", ip=None, now=after)

    login_throttle_check(identifier="13812345678", ip=None, now=after)


def test_twenty_failures_from_one_address_lock_it_whatever_the_identifiers(db):
    now = timezone.now()
    for n in range(19):
        login_failure_record(identifier=f"guess{n}@example.com", ip=IP, now=now)
    login_throttle_check(identifier="someone@example.com", ip=IP, now=now)

    login_failure_record(identifier="guess19@example.com", ip=IP, now=now)

    with pytest.raises(LoginAddressLockedError) as refused:
        login_throttle_check(identifier="someone@example.com", ip=IP, now=now)
    assert refused.value.params == {"minutes": 15}
    login_throttle_check(identifier="someone@example.com", ip="198.51.100.1", now=now)
    login_throttle_check(
        identifier="someone@example.com", ip=IP, now=now + timedelta(minutes=15, seconds=1)
    )


# The site's login page


def test_the_sixth_attempt_is_refused_even_with_the_right_password(client, person, password_checks):
    for _ in range(5):
        assert post_login(client, SITE_LOGIN_EN, "li.xiuying@example.com", WRONG).status_code == 200
    password_checks.clear()

    response = post_login(client, SITE_LOGIN_EN, "li.xiuying@example.com", TEST_PASSWORD)

    assert response.status_code == 200
    content = response.content.decode()
    assert 'role="alert"' in content
    assert ENGLISH_LOCK in content
    assert "try again in 15 min." in content
    assert not logged_in(client)
    # Refused before the password was looked at: no hashing, no timing to measure.
    assert password_checks == []


def test_the_lock_is_on_the_identifier_typed_not_on_the_account(client, person):
    """The lock is on what was typed: the mobile number still logs the same person in. An
    attacker guessing one spelling cannot lock every way in, nor learn that they are one."""
    for _ in range(5):
        post_login(client, SITE_LOGIN_EN, "li.xiuying@example.com", WRONG)

    response = post_login(client, SITE_LOGIN_EN, "13812345678", TEST_PASSWORD)

    assert response.status_code == 302
    assert logged_in(client)


def test_an_identifier_without_an_account_locks_the_same_way(client, db):
    for _ in range(5):
        post_login(client, SITE_LOGIN_EN, "nobody@example.com", WRONG)

    response = post_login(client, SITE_LOGIN_EN, "nobody@example.com", WRONG)

    assert ENGLISH_LOCK in response.content.decode()


def test_after_the_lock_ends_the_right_password_works(client, person, monkeypatch):
    for _ in range(5):
        post_login(client, SITE_LOGIN_EN, "13812345678", WRONG)
    assert (
        ENGLISH_LOCK
        in post_login(client, SITE_LOGIN_EN, "13812345678", TEST_PASSWORD).content.decode()
    )

    later(monkeypatch, minutes=15.5)
    response = post_login(client, SITE_LOGIN_EN, "13812345678", TEST_PASSWORD)

    assert response.status_code == 302
    assert logged_in(client)


def test_a_successful_login_resets_the_count(client, person):
    for _ in range(4):
        post_login(client, SITE_LOGIN_EN, "13812345678", WRONG)
    assert post_login(client, SITE_LOGIN_EN, "13812345678", TEST_PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        post_login(client, SITE_LOGIN_EN, "13812345678", WRONG)

    response = post_login(client, SITE_LOGIN_EN, "13812345678", TEST_PASSWORD)

    assert response.status_code == 302


def test_attempts_refused_by_a_lock_count_nothing(client, person):
    """Thirty more tries on a locked identifier would pass the address's limit of 20 if they
    counted; they do not, so someone else on that network can still log in."""
    for _ in range(5):
        post_login(client, SITE_LOGIN_EN, "guess@example.com", WRONG)
    for _ in range(30):
        post_login(client, SITE_LOGIN_EN, "guess@example.com", WRONG)

    response = post_login(client, SITE_LOGIN_EN, "13812345678", TEST_PASSWORD)

    assert response.status_code == 302


def test_twenty_failures_from_one_address_lock_it_for_everyone_there(client, person):
    for n in range(20):
        post_login(client, SITE_LOGIN_EN, f"guess{n}@example.com", WRONG)

    refused = post_login(client, SITE_LOGIN_EN, "13812345678", TEST_PASSWORD)
    elsewhere = client.post(
        SITE_LOGIN_EN,
        {"username": "13812345678", "password": TEST_PASSWORD},
        REMOTE_ADDR="198.51.100.1",
    )

    assert refused.status_code == 200
    assert ENGLISH_ADDRESS_LOCK in refused.content.decode()
    assert elsewhere.status_code == 302


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (SITE_LOGIN_ZH, f"{CHINESE_LOCK}。为保护账户安全，已暂停使用它登录：请在 15 分钟后重试。"),
        (
            SITE_LOGIN_EN,
            f"{ENGLISH_LOCK} To protect the account, logging in with it is paused: "
            "try again in 15 min.",
        ),
    ],
    ids=["zh-hans", "en"],
)
def test_the_lock_message_is_in_the_pages_language(client, person, url, expected):
    for _ in range(5):
        post_login(client, url, "13812345678", WRONG)

    response = post_login(client, url, "13812345678", TEST_PASSWORD)

    assert expected in response.content.decode()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (SITE_LOGIN_ZH, "从您所在网络登录失败的次数过多，已暂停从该网络登录：请在 15 分钟后重试。"),
        (
            SITE_LOGIN_EN,
            f"{ENGLISH_ADDRESS_LOCK} Logging in from it is paused: try again in 15 min.",
        ),
    ],
    ids=["zh-hans", "en"],
)
def test_the_address_lock_message_is_in_the_pages_language(client, person, url, expected):
    for n in range(20):
        post_login(client, url, f"guess{n}@example.com", WRONG)

    response = post_login(client, url, "13812345678", TEST_PASSWORD)

    assert expected in response.content.decode()


# The Wagtail admin's login page (its own view and form; Chinese, the default language, for
# anyone not logged in: /admin/ has no language prefix)


def test_the_admin_login_locks_the_same_way(client, union_staff, password_checks):
    for _ in range(5):
        post_login(client, ADMIN_LOGIN, union_staff.mobile, WRONG)
    password_checks.clear()

    response = post_login(client, ADMIN_LOGIN, union_staff.mobile, TEST_PASSWORD)

    assert response.status_code == 200
    with translation.override("zh-hans"):
        expected = str(LoginIdentifierLockedError(minutes=15))
    assert escape(expected) in response.content.decode()
    assert not logged_in(client)
    assert password_checks == []


def test_the_admin_login_shows_the_lock_in_chinese(client, union_staff):
    for _ in range(5):
        post_login(client, ADMIN_LOGIN, union_staff.mobile, WRONG)

    response = post_login(client, ADMIN_LOGIN, union_staff.mobile, TEST_PASSWORD)

    assert CHINESE_LOCK in response.content.decode()


def test_failures_on_either_page_count_together(client, union_staff, monkeypatch):
    for _ in range(3):
        post_login(client, SITE_LOGIN_EN, union_staff.mobile, WRONG)
    for _ in range(2):
        post_login(client, ADMIN_LOGIN, union_staff.mobile, WRONG)

    assert (
        ENGLISH_LOCK
        in post_login(client, SITE_LOGIN_EN, union_staff.mobile, TEST_PASSWORD).content.decode()
    )

    later(monkeypatch, minutes=16)
    response = post_login(client, ADMIN_LOGIN, union_staff.mobile, TEST_PASSWORD)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


# Which address a request is counted against


def request_from(remote_addr: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(request_from("203.0.113.7", "198.51.100.9")) == "203.0.113.7"


def test_behind_one_trusted_proxy_the_address_it_saw_is_used_not_what_the_client_wrote(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    # The client wrote "1.2.3.4" itself; the load balancer appended the address it saw.
    assert client_ip(request_from("10.0.0.2", "1.2.3.4, 198.51.100.9")) == "198.51.100.9"
    assert client_ip(request_from("10.0.0.2", "198.51.100.9")) == "198.51.100.9"
    # Not through the proxy (a health check): its own address.
    assert client_ip(request_from("10.0.0.2")) == "10.0.0.2"


def test_ipv6_clients_are_counted_by_their_64_network():
    assert client_ip(request_from("2001:db8:1:2:aaaa::1")) == "2001:db8:1:2::/64"
    assert client_ip(request_from("2001:db8:1:2:bbbb::9")) == "2001:db8:1:2::/64"
    assert client_ip(request_from("::ffff:203.0.113.7")) == "203.0.113.7"


def test_a_request_without_a_usable_address_is_not_counted_by_address():
    assert client_ip(request_from("")) is None
    assert client_ip(None) is None


def test_behind_a_trusted_proxy_spoofed_addresses_all_count_against_the_real_one(
    client, person, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(20):
        client.post(
            SITE_LOGIN_EN,
            {"username": f"guess{n}@example.com", "password": WRONG},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {IP}",
        )

    response = client.post(
        SITE_LOGIN_EN,
        {"username": "13812345678", "password": TEST_PASSWORD},
        REMOTE_ADDR="10.0.0.3",
        HTTP_X_FORWARDED_FOR=f"192.0.2.99, {IP}",
    )

    assert ENGLISH_ADDRESS_LOCK in response.content.decode()


def test_the_cache_keys_hold_no_identifier_or_address_in_clear(db):
    for _ in range(5):
        login_failure_record(identifier="li.xiuying@example.com", ip=IP)

    keys = list(getattr(cache, "_cache", {}))
    assert keys, "expected the local-memory cache of the tests"
    assert not any("li.xiuying" in key or IP in key for key in keys)
