"""Log in, log out and reset a forgotten password through Django's auth views."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail

from tests.factories.accounts import TEST_PASSWORD, UserFactory

NEW_PASSWORD = "Welding-fixture-2026"


@pytest.fixture(autouse=True)
def login_redirect(settings):
    # innovations:mine is built elsewhere; the redirect target itself is not under test here.
    settings.LOGIN_REDIRECT_URL = "/landing/"


@pytest.fixture
def person(db):
    return UserFactory(email="Li.Xiuying@example.com", mobile="13812345678")


def logged_in_user_id(client) -> str | None:
    return client.session.get(SESSION_KEY)


# Log in and out


@pytest.mark.parametrize("identifier", ["li.xiuying@example.com", "13812345678"])
def test_a_person_logs_in_on_the_login_page_with_email_or_mobile(client, person, identifier):
    response = client.post(
        "/en/accounts/login/", {"username": identifier, "password": TEST_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/landing/"
    assert logged_in_user_id(client) == str(person.pk)


def test_the_login_page_asks_for_email_or_mobile_number(client, db):
    content = client.get("/en/accounts/login/").content.decode()

    assert '<label for="id_username">Email or mobile number' in content
    assert 'autocomplete="username"' in content
    assert 'autocomplete="current-password"' in content


def test_a_wrong_password_is_refused_with_a_message(client, person):
    response = client.post(
        "/en/accounts/login/", {"username": "13812345678", "password": "not-the-password"}
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert 'role="alert"' in content
    assert "do not match an account" in content
    assert logged_in_user_id(client) is None


def test_login_goes_on_to_a_safe_next_page(client, person):
    response = client.post(
        "/en/accounts/login/?next=/en/news/",
        {"username": "13812345678", "password": TEST_PASSWORD, "next": "/en/news/"},
    )

    assert response["Location"] == "/en/news/"


def test_a_logged_in_visitor_is_sent_on_from_the_login_page(client, person):
    client.force_login(person)

    response = client.get("/en/accounts/login/")

    assert response.status_code == 302
    assert response["Location"] == "/landing/"


def test_logging_out_takes_a_post_and_returns_to_the_home_page_in_the_same_language(client, person):
    client.force_login(person)

    assert client.get("/en/accounts/logout/").status_code == 405
    response = client.post("/en/accounts/logout/", {"next": "/en/"})

    assert response.status_code == 302
    assert response["Location"] == "/en/"
    assert logged_in_user_id(client) is None


def test_the_header_offers_log_in_and_register_to_visitors(client, db):
    content = client.get("/en/").content.decode()

    assert '<a href="/en/accounts/login/">Log in</a>' in content
    assert '<a href="/en/accounts/register/">Register</a>' in content
    assert '<a href="/admin/login/">Staff login</a>' in content


def test_the_header_shows_the_name_and_a_logout_form_to_a_logged_in_person(client, db):
    person = UserFactory(last_name="李", first_name="秀英")
    client.force_login(person)

    content = client.get("/en/").content.decode()

    assert "李秀英" in content
    assert '<form class="site-nav__logout" method="post" action="/en/accounts/logout/">' in content
    assert 'name="csrfmiddlewaretoken"' in content
    assert '<input type="hidden" name="next" value="/en/">' in content
    assert "/en/accounts/login/" not in content


# Password reset


def reset_link(message) -> str:
    return re.search(r"http://testserver(/\S*/reset/\S+/)", message.body).group(1)


def test_a_forgotten_password_is_reset_through_the_emailed_link(client, person):
    response = client.post("/accounts/password-reset/", {"email": "LI.XIUYING@example.com"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/done/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["Li.Xiuying@example.com"]
    link = reset_link(mail.outbox[0])
    assert link.startswith("/accounts/reset/")

    # Django swaps the token for a session key before showing the form.
    form_url = client.get(link)["Location"]
    assert client.get(form_url).context["validlink"] is True
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == "/accounts/reset/done/"
    assert client.get("/accounts/reset/done/").status_code == 200

    response = client.post(
        "/accounts/login/", {"username": "13812345678", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(person.pk)
    client.logout()
    client.post("/accounts/login/", {"username": "13812345678", "password": TEST_PASSWORD})
    assert logged_in_user_id(client) is None


def test_the_reset_email_links_to_the_language_it_was_asked_in(client, person):
    client.post("/en/accounts/password-reset/", {"email": "li.xiuying@example.com"})

    message = mail.outbox[0]
    assert reset_link(message).startswith("/en/accounts/reset/")
    assert message.subject == "Reset your password · Worker Innovation Exchange"
    assert "Hello " in message.body


def test_a_used_reset_link_says_it_does_not_work(client, person):
    client.post("/en/accounts/password-reset/", {"email": "li.xiuying@example.com"})
    link = reset_link(mail.outbox[0])
    form_url = client.get(link)["Location"]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    content = client.get(link, follow=True).content.decode()

    assert "This link does not work" in content


def test_an_unknown_email_gets_the_same_done_page_and_no_email(client, person):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/done/"
    assert mail.outbox == []


# Both languages


@pytest.mark.parametrize(
    "path",
    [
        "accounts/register/",
        "accounts/login/",
        "accounts/password-reset/",
        "accounts/password-reset/done/",
        "accounts/reset/done/",
    ],
)
@pytest.mark.parametrize(("prefix", "language"), [("/", "zh-hans"), ("/en/", "en")])
def test_account_pages_render_in_both_languages(client, db, path, prefix, language):
    response = client.get(prefix + path)

    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.content.decode()


def test_the_chinese_register_page_is_in_chinese(client, db):
    content = client.get("/accounts/register/").content.decode()

    assert '<html lang="zh-hans"' in content
    assert "密码" in content
    assert 'hreflang="en"' in content
    assert 'href="/en/accounts/register/"' in content
