"""The authorisation matrix: every URL of the URLconf, requested (GET) by each of six roles,
answers what tests/security/matrix_rules.py says — 200, a redirect to the login page, 403, 404
or 405. A URL with no rule fails: adding a view means saying who may open it.

Site pages are requested in Chinese (no prefix); test_english_paths_are_the_same_views shows the
/en/ paths reach the same views, so the matrix holds for both languages.
"""

import pytest
from django.test import Client
from django.urls import resolve, reverse
from django.utils import translation

from tests.security import tally
from tests.security.expectations import ADMIN_LOGIN
from tests.security.matrix_rules import (
    ANTICIPATED,
    RULES,
    STAFF_ADMIN_SAMPLE,
    STAFF_ADMIN_UNCHECKED,
    WAGTAIL_ADMIN,
    WAGTAIL_KNOWN_500,
)
from tests.security.urlconf import endpoints
from tests.security.world import ROLES

ENDPOINTS = {endpoint.key: endpoint for endpoint in endpoints()}
# Wagtail admin patterns without a name: its 404 test page and the admin's catch-all.
UNNAMED_ADMIN_PATHS = {"route:admin/test404/": "/admin/test404/", "route:admin/^.*/$": "/admin/x/"}


def under_blanket_admin_rule(endpoint) -> bool:
    return endpoint.is_admin and not endpoint.is_project_view and endpoint.key not in RULES


def without_rule() -> list[str]:
    return sorted(
        key
        for key, endpoint in ENDPOINTS.items()
        if key not in RULES and not under_blanket_admin_rule(endpoint)
    )


def test_every_url_has_a_rule():
    missing = without_rule()

    assert not missing, (
        "URLs without a rule in tests/security/matrix_rules.py (say who may open them): "
        + ", ".join(missing)
    )


def test_project_admin_views_have_their_own_rule():
    """Wagtail's admin views share one rule; our own admin views each need theirs."""
    blanket = [
        key
        for key, endpoint in ENDPOINTS.items()
        if endpoint.is_admin and endpoint.is_project_view and key not in RULES
    ]

    assert not blanket


def test_no_rule_is_left_for_a_url_that_is_gone():
    stale = set(RULES) - set(ENDPOINTS) - ANTICIPATED

    assert not stale, f"rules for URLs no longer in the URLconf: {sorted(stale)}"


def _sample_path(endpoint, language: str) -> str | None:
    with translation.override(language):
        try:
            return reverse(endpoint.name, kwargs=endpoint.sample_kwargs)
        except Exception:  # noqa: BLE001 - positional regex groups: checked by hand below
            return None


def test_english_paths_are_the_same_views():
    site_pages = [
        endpoint for endpoint in ENDPOINTS.values() if endpoint.name and endpoint.translated
    ]
    compared = 0
    for endpoint in site_pages:
        chinese = _sample_path(endpoint, "zh-hans")
        if chinese is None:
            continue
        english = _sample_path(endpoint, "en")
        assert english == "/en" + chinese, endpoint.key
        chinese_view = resolve(chinese).func
        # LocaleMiddleware resolves a /en/ path with English active.
        with translation.override("en"):
            assert resolve(english).func == chinese_view, endpoint.key
        compared += 1
    home_view = resolve("/").func
    with translation.override("en"):
        assert resolve("/en/").func == home_view  # Wagtail's page serving
    assert compared > 40


def _path(case, endpoint, world) -> str:
    if case.path is not None:
        return case.path(world)
    kwargs = case.kwargs(world) if case.kwargs is not None else {}
    return reverse(endpoint.name, kwargs=kwargs)


def _fresh_client(world, role: str) -> Client:
    client = Client(raise_request_exception=False)
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


def _check(clients, path: str, expected: dict, label: str, world=None) -> list[str]:
    problems = []
    for role in ROLES:
        if role not in expected:
            continue
        client = clients[role] if world is None else _fresh_client(world, role)
        response = client.get(path)
        ok = expected[role].matches(response)
        tally.record("matrix", ok=ok)
        if not ok:
            location = response.get("Location", "")
            got = f"{response.status_code}" + (f" → {location}" if location else "")
            problems.append(f"{label} {path} as {role}: expected {expected[role]}, got {got}")
    return problems


def _blanket_admin(endpoint, clients) -> list[str]:
    if endpoint.name is None:
        path = UNNAMED_ADMIN_PATHS[endpoint.key]
    else:
        path = reverse(endpoint.name, kwargs=endpoint.sample_kwargs)
    expected = {role: WAGTAIL_ADMIN[role] for role in ROLES if role != "staff"}
    problems = _check(clients, path, expected, endpoint.key)
    assert all(expect == ADMIN_LOGIN for expect in expected.values())
    if endpoint.key in STAFF_ADMIN_UNCHECKED:
        return problems
    response = clients["staff"].get(path)
    if endpoint.key in WAGTAIL_KNOWN_500:
        # Wagtail's bug, not ours: pinned so that the day it is fixed this rule is dropped.
        ok = response.status_code == 500
        wanted = f"the known 500 ({WAGTAIL_KNOWN_500[endpoint.key]})"
    elif endpoint.key in STAFF_ADMIN_SAMPLE:
        ok = response.status_code == 200
        wanted = "200"
    else:
        # Parameters here are placeholders: any answer but a server error will do.
        ok = response.status_code < 500
        wanted = "not a server error"
    tally.record("matrix", ok=ok)
    if not ok:
        problems.append(
            f"{endpoint.key} {path} as staff: expected {wanted}, got {response.status_code}"
        )
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(ENDPOINTS))
def test_each_role_gets_what_the_rule_says(key, world, clients):
    endpoint = ENDPOINTS[key]
    if key not in RULES:
        assert under_blanket_admin_rule(endpoint), f"{key}: no rule in matrix_rules.py"
        problems = _blanket_admin(endpoint, clients)
    else:
        problems = []
        for case in RULES[key].cases:
            label = f"{key}[{case.label}]" if case.label else key
            path = _path(case, endpoint, world)
            fresh = world if case.fresh_client else None
            problems += _check(clients, path, case.expect, label, fresh)

    assert not problems, "\n".join(problems)
    # Every answer above was for the role it claims to be only if nobody was logged out.
    signed_out = [role for role in ROLES[1:] if not clients[role].session.get("_auth_user_id")]
    assert not signed_out, f"{key} logged out {signed_out}"


def test_the_staff_sample_names_real_wagtail_admin_views():
    assert all(under_blanket_admin_rule(ENDPOINTS[key]) for key in STAFF_ADMIN_SAMPLE)
