"""Users log in with email (any case), mobile number or username."""

import pytest
from django.contrib.auth import authenticate

from tests.factories.accounts import TEST_PASSWORD, UserFactory


@pytest.fixture
def person(db):
    return UserFactory(username="wangjg", email="Wang.JG@example.com", mobile="13812345678")


@pytest.mark.parametrize(
    "identifier",
    ["wang.jg@example.com", "WANG.JG@EXAMPLE.COM", "13812345678", "wangjg", " 13812345678 "],
)
def test_login_by_email_mobile_or_username(person, identifier):
    assert authenticate(username=identifier, password=TEST_PASSWORD) == person


def test_wrong_password_is_refused(person):
    assert authenticate(username="13812345678", password="wrong-password") is None


def test_unknown_identifier_is_refused(person):
    assert authenticate(username="13899999999", password=TEST_PASSWORD) is None


def test_inactive_user_is_refused(person):
    person.is_active = False
    person.save()

    assert authenticate(username="wang.jg@example.com", password=TEST_PASSWORD) is None


def test_identifier_matching_two_people_is_refused(db):
    # One person's username is another person's email: refuse rather than guess.
    UserFactory(username="shared@example.com", email="a@example.com")
    UserFactory(username="b", email="shared@example.com")

    assert authenticate(username="shared@example.com", password=TEST_PASSWORD) is None


def test_staff_log_in_through_the_admin_login_form_with_their_mobile(client, union_staff):
    response = client.post(
        "/admin/login/", {"username": union_staff.mobile, "password": TEST_PASSWORD}
    )

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
