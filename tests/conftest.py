import pytest
from django.conf import settings
from django.utils import translation

from accounts.choices import Role
from tests.factories.accounts import EnterpriseFactory, UserFactory


@pytest.fixture(autouse=True)
def default_language():
    """Requests activate their language in the test's thread; start each test from Chinese."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def worker(db):
    return UserFactory(role=Role.WORKER)


@pytest.fixture
def enterprise_member(db):
    return UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=EnterpriseFactory())


@pytest.fixture
def union_staff(db):
    return UserFactory(role=Role.UNION_STAFF)
