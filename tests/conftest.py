import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from accounts.choices import Role
from tests.factories.accounts import EnterpriseFactory, UserFactory


@pytest.fixture(autouse=True)
def default_language():
    """Requests activate their language in the test's thread; start each test from Chinese."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate limits, live-page state and email throttles live in the cache; and SQLite reuses
    the ids of rolled-back rows, so one test's counters would otherwise count against the next."""
    cache.clear()


@pytest.fixture
def worker(db):
    return UserFactory(role=Role.WORKER)


@pytest.fixture
def enterprise_member(db):
    return UserFactory(role=Role.ENTERPRISE_MEMBER, enterprise=EnterpriseFactory())


@pytest.fixture
def union_staff(db):
    return UserFactory(role=Role.UNION_STAFF)


@pytest.fixture
def committed_rows_cleanup():
    """For PostgreSQL tests with transaction=True: delete afterwards every row they committed
    in apps their flush spares (see tests/committed_rows.py)."""
    from tests.committed_rows import delete_rows_above, high_water_marks, relations_of_every_app

    relations_of_every_app()
    marks = high_water_marks()
    yield
    delete_rows_above(marks)
