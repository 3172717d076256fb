"""Shared pieces of the security tests: one world per module, a client per role, the tally."""

import pytest
from django.db import transaction
from django.test import Client, override_settings

from tests.security import tally
from tests.security.world import ROLES, build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once per module inside a transaction that is rolled back afterwards: each test's
    own transaction nests in it, so the tests share the rows without leaving any behind."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("security-media"))
    media.enable()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            media.disable()


@pytest.fixture(scope="module")
def clients(world, django_db_blocker) -> dict[str, Client]:
    """A logged-in client per role (anonymous: none). CSRF is not enforced, as in Django's test
    client, so what is tested is the permission check behind it."""
    result = {}
    with django_db_blocker.unblock():
        for role in ROLES:
            # A server error is an answer to count and report, not an exception to stop at.
            client = Client(raise_request_exception=False)
            user = world.users[role]
            if user is not None:
                client.force_login(user)
            result[role] = client
    return result


def pytest_terminal_summary(terminalreporter):
    lines = tally.lines()
    if lines:
        terminalreporter.section("security tests")
        for line in lines:
            terminalreporter.write_line(line)
