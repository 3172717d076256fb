"""Union staff change the goal (goal_update, and its admin screen); nobody else can, and a
refused change changes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError, transaction
from django.utils import translation

from accounts.choices import Role
from marketplace.exceptions import (
    GoalAmountInvalidError,
    GoalPermissionError,
    GoalWindowInvalidError,
)
from marketplace.models import Goal, GoalChange
from marketplace.services.goal import goal_update
from tests.factories.accounts import UserFactory
from tests.factories.marketplace import set_goal

pytestmark = pytest.mark.django_db

EDIT_URL = "/admin/goal/edit/"
DEFAULT = (Decimal("1000000000.00"), date(2024, 1, 1), date(2026, 12, 31))


@pytest.fixture(autouse=True)
def default_goal():
    set_goal()


def goal_now() -> tuple:
    goal = Goal.objects.get()
    return goal.amount, goal.starts_on, goal.ends_on


def test_staff_change_the_amount_and_window_and_are_recorded(union_staff):
    goal = goal_update(
        actor=union_staff,
        amount=Decimal("1200000000.00"),
        starts_on=date(2025, 1, 1),
        ends_on=date(2027, 12, 31),
    )

    assert goal_now() == (Decimal("1200000000.00"), date(2025, 1, 1), date(2027, 12, 31))
    assert goal.updated_by == union_staff
    assert Goal.objects.count() == 1


def test_each_change_is_kept_with_the_values_before_and_after_and_resaving_adds_none(union_staff):
    goal_update(
        actor=union_staff,
        amount=Decimal("1200000000.00"),
        starts_on=date(2024, 1, 1),
        ends_on=date(2027, 6, 30),
    )
    goal_update(
        actor=union_staff,
        amount=Decimal("1200000000.00"),
        starts_on=date(2024, 1, 1),
        ends_on=date(2027, 6, 30),
    )

    change = GoalChange.objects.get()
    assert change.changed_by == union_staff
    assert (change.amount_before, change.amount_after) == (
        Decimal("1000000000.00"),
        Decimal("1200000000.00"),
    )
    assert (change.starts_on_before, change.starts_on_after) == (date(2024, 1, 1),) * 2
    assert (change.ends_on_before, change.ends_on_after) == (date(2026, 12, 31), date(2027, 6, 30))


@pytest.mark.parametrize(
    "amount",
    [Decimal("0"), Decimal("-5.00"), Decimal("10.001"), Decimal("1000000000000.00"), 1e9, "1e9"],
)
def test_an_amount_that_is_not_positive_yuan_to_the_fen_is_refused(union_staff, amount):
    with pytest.raises(GoalAmountInvalidError) as refused:
        goal_update(
            actor=union_staff, amount=amount, starts_on=date(2024, 1, 1), ends_on=date(2026, 12, 31)
        )

    assert refused.value.code == "goal_amount_invalid"
    with translation.override("en"):
        assert "at most two decimal places, above zero" in str(refused.value)
    assert goal_now() == DEFAULT
    assert not GoalChange.objects.exists()


@pytest.mark.parametrize("ends_on", [date(2024, 1, 1), date(2023, 12, 31)])
def test_a_window_that_does_not_end_after_it_starts_is_refused(union_staff, ends_on):
    with pytest.raises(GoalWindowInvalidError):
        goal_update(
            actor=union_staff,
            amount=Decimal("5.00"),
            starts_on=date(2024, 1, 1),
            ends_on=ends_on,
        )

    assert goal_now() == DEFAULT


@pytest.mark.parametrize("role", [Role.WORKER, Role.ENTERPRISE_MEMBER])
def test_only_union_staff_change_the_goal(role):
    with pytest.raises(GoalPermissionError):
        goal_update(
            actor=UserFactory(role=role),
            amount=Decimal("5.00"),
            starts_on=date(2024, 1, 1),
            ends_on=date(2024, 12, 31),
        )

    assert goal_now() == DEFAULT


def test_there_is_never_a_second_goal():
    with pytest.raises(IntegrityError), transaction.atomic():
        Goal.objects.create(id=2)


def test_a_lost_goal_row_reads_as_the_defaults_and_the_first_change_restores_it(union_staff):
    Goal.objects.all().delete()

    assert (Goal.objects.current().amount, Goal.objects.current().pk) == (DEFAULT[0], 1)
    goal_update(
        actor=union_staff,
        amount=Decimal("7.00"),
        starts_on=date(2024, 1, 1),
        ends_on=date(2024, 1, 2),
    )
    assert goal_now() == (Decimal("7.00"), date(2024, 1, 1), date(2024, 1, 2))


# The admin screen.


@pytest.fixture
def staff_client(client, union_staff):
    client.force_login(union_staff)
    return client


def test_staff_see_the_goal_and_its_figures(staff_client):
    response = staff_client.get(EDIT_URL, headers={"Accept-Language": "en"})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="1000000000.00"' in page and 'value="2024-01-01"' in page
    assert 'name="ends_on"' in page


def test_staff_save_a_new_goal_from_the_screen(staff_client, union_staff):
    response = staff_client.post(
        EDIT_URL, {"amount": "800000000.00", "starts_on": "2024-07-01", "ends_on": "2027-06-30"}
    )

    assert response.status_code == 302 and response["Location"] == EDIT_URL
    assert goal_now() == (Decimal("800000000.00"), date(2024, 7, 1), date(2027, 6, 30))
    assert Goal.objects.get().updated_by == union_staff
    history = staff_client.get(EDIT_URL).content.decode()
    assert "¥1,000,000,000.00 → ¥800,000,000.00" in history
    assert "2024-01-01 – 2026-12-31 → 2024-07-01 – 2027-06-30" in history


def test_a_refused_window_shows_why_on_the_screen_and_saves_nothing(staff_client):
    with translation.override("en"):
        response = staff_client.post(
            "/admin/goal/edit/",
            {"amount": "800000000.00", "starts_on": "2025-01-01", "ends_on": "2024-12-31"},
            headers={"Accept-Language": "en"},
        )
        message = str(GoalWindowInvalidError())

    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"] == [message]
    assert goal_now() == DEFAULT


def test_the_menu_offers_the_goal_to_staff_only(staff_client, client):
    assert EDIT_URL in staff_client.get("/admin/").content.decode()

    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert EDIT_URL not in client.get("/admin/").content.decode()


@pytest.mark.parametrize("who", ["anonymous", "worker", "enterprise_member"])
def test_workers_enterprises_and_visitors_are_sent_to_the_admin_login(client, who):
    if who != "anonymous":
        role = Role.WORKER if who == "worker" else Role.ENTERPRISE_MEMBER
        client.force_login(UserFactory(role=role))

    for response in (
        client.get(EDIT_URL),
        client.post(
            EDIT_URL, {"amount": "5.00", "starts_on": "2024-01-01", "ends_on": "2024-12-31"}
        ),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    assert goal_now() == DEFAULT


def test_an_admin_user_who_is_not_union_staff_is_refused(client):
    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)

    response = client.post(
        EDIT_URL, {"amount": "5.00", "starts_on": "2024-01-01", "ends_on": "2024-12-31"}
    )

    assert response.status_code == 302
    assert not response["Location"].startswith(EDIT_URL)
    assert goal_now() == DEFAULT
