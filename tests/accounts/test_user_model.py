import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from tests.factories.accounts import UserFactory


def test_chinese_names_read_family_name_first_without_a_space(db):
    assert UserFactory(last_name="王", first_name="建国").get_full_name() == "王建国"


def test_latin_names_read_given_name_first(db):
    assert UserFactory(last_name="Smith", first_name="Anna").get_full_name() == "Anna Smith"


def test_email_is_unique_ignoring_case(db):
    UserFactory(email="li@example.com")

    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email="LI@example.com")


def test_many_users_may_have_no_email(db):
    UserFactory(email="")
    UserFactory(email="")

    assert User.objects.filter(email="").count() == 2


def test_mobile_number_must_be_a_mainland_mobile(db):
    user = UserFactory.build(mobile="12345")

    with pytest.raises(ValidationError) as error:
        user.full_clean()

    assert "mobile" in error.value.message_dict
