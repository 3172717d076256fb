"""Changing the union's goal: its amount and its window of Shanghai days.

The only writer of the Goal row. Union staff call it from the admin (marketplace.admin.goal_edit).
"""

from datetime import date
from decimal import Decimal

from django.db import transaction

from accounts.models import User
from accounts.services.roles import is_union_staff
from innovations.templatetags.money import yuan
from marketplace.exceptions import (
    GoalAmountInvalidError,
    GoalPermissionError,
    GoalWindowInvalidError,
)
from marketplace.models import Goal, GoalChange
from marketplace.models.goal import GOAL_ID

# What the column holds (14 digits, 2 of them after the point).
GOAL_AMOUNT_MAXIMUM = Decimal("999999999999.99")


def goal_amount_check(amount) -> Decimal:
    """The amount as Decimal yuan, or GoalAmountInvalidError: never a float, at most two
    places, above zero, within the column."""
    if (
        not isinstance(amount, Decimal)
        or not amount.is_finite()
        or amount.as_tuple().exponent < -2
        or not Decimal("0") < amount <= GOAL_AMOUNT_MAXIMUM
    ):
        raise GoalAmountInvalidError(maximum=yuan(GOAL_AMOUNT_MAXIMUM))
    return amount.quantize(Decimal("0.01"))


def goal_update(*, actor: User, amount: Decimal, starts_on: date, ends_on: date) -> Goal:
    """Set the goal's amount and window; record who changed it and when, and, when anything
    changed, a GoalChange with the values before and after (saving the same values again adds
    no history).

    Preconditions: `actor` is union staff; 0 < amount <= ¥999,999,999,999.99 with at most two
    places; ends_on after starts_on. A refusal raises a GoalError and changes nothing. Locks
    the goal row (creating it with the defaults if a flushed database lost it), so two edits
    at once apply one after the other. No side effects beyond the row: every page reads it live.
    """
    if not is_union_staff(actor):
        raise GoalPermissionError()
    amount = goal_amount_check(amount)
    if not isinstance(starts_on, date) or not isinstance(ends_on, date) or ends_on <= starts_on:
        raise GoalWindowInvalidError()
    with transaction.atomic():
        goal, _created = Goal.objects.select_for_update().get_or_create(pk=GOAL_ID)
        before = (goal.amount, goal.starts_on, goal.ends_on)
        if before != (amount, starts_on, ends_on):
            GoalChange.objects.create(
                changed_by=actor,
                amount_before=goal.amount,
                amount_after=amount,
                starts_on_before=goal.starts_on,
                starts_on_after=starts_on,
                ends_on_before=goal.ends_on,
                ends_on_after=ends_on,
            )
        goal.amount = amount
        goal.starts_on = starts_on
        goal.ends_on = ends_on
        goal.updated_by = actor
        goal.save()
    return goal
