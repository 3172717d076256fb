"""The goal's pace, projection and sessions on worked examples, computed by hand below.

Window 2024-01-01..2026-12-31: 366 + 365 + 365 = 1,096 days and six auction sessions (spring
and autumn of each year). On 2025-06-30, 366 + 181 = 547 days have gone by.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from marketplace.choices import Season, SessionStatus
from marketplace.goal_queries import GoalProgress, goal_progress, session_counts, session_slots
from tests.factories.marketplace import AuctionSessionFactory

WINDOW = {"starts_on": date(2024, 1, 1), "ends_on": date(2026, 12, 31)}
BILLION = Decimal("1000000000.00")


def progress(volume: str, today: date, sessions_left: int = 3, **kwargs) -> GoalProgress:
    return GoalProgress(
        amount=BILLION,
        volume=Decimal(volume),
        sessions_left=sessions_left,
        today=today,
        **{**WINDOW, **kwargs},
    )


def test_the_window_has_1096_days_and_on_2025_06_30_547_have_gone_by():
    goal = progress("0.00", date(2025, 6, 30))

    assert (goal.window_days, goal.elapsed_days) == (1096, 547)


def test_behind_at_half_a_million_a_day_projects_548_million_and_needs_the_rest_per_session():
    # ¥273,500,000 in 547 days is ¥500,000 a day; × 1,096 days = ¥548,000,000.
    goal = progress("273500000.00", date(2025, 6, 30), sessions_left=3)

    assert goal.projection == Decimal("548000000.00")
    assert goal.on_track is False
    assert goal.remaining == Decimal("726500000.00")
    # 726,500,000 / 3 = 242,166,666.666…, rounded up to the fen.
    assert goal.average_needed == Decimal("242166666.67")
    assert goal.status == "behind"
    with translation.override("en"):
        assert goal.status_text == "Behind: needs ¥242,166,666.67 a session"


def test_ahead_of_the_pace_is_on_track_and_the_projection_is_rounded_down():
    # 500,000,000 × 1,096 / 547 = 1,001,828,153.5648…
    goal = progress("500000000.00", date(2025, 6, 30))

    assert goal.projection == Decimal("1001828153.56")
    assert goal.on_track is True
    assert goal.status == "on_track"
    with translation.override("en"):
        assert goal.status_text == "On track"


def test_on_the_first_day_the_pace_is_that_day_times_the_window():
    goal = progress("1000.00", date(2024, 1, 1))

    assert goal.elapsed_days == 1
    assert goal.projection == Decimal("1096000.00")


def test_before_the_window_opens_there_is_no_projection_and_no_verdict():
    goal = progress("0.00", date(2023, 12, 31))

    assert goal.elapsed_days == 0
    assert (goal.projection, goal.on_track, goal.status) == (None, None, "not_started")
    with translation.override("en"):
        assert goal.status_text == "Not started: the goal's window opens on 2024-01-01"


def test_after_the_window_the_projection_is_the_volume_and_no_session_is_left():
    goal = progress("900000000.00", date(2027, 1, 10), sessions_left=0)

    assert goal.elapsed_days == 1096
    assert goal.projection == Decimal("900000000.00")
    assert (goal.average_needed, goal.on_track, goal.status) == (None, False, "missed")
    with translation.override("en"):
        assert goal.status_text == "Not reached: the goal's window ended on 2026-12-31"


def test_behind_with_no_session_left_says_so():
    goal = progress("100000000.00", date(2026, 12, 1), sessions_left=0)

    assert goal.average_needed is None
    with translation.override("en"):
        assert goal.status_text == "Behind, and no auction session is left in the window"


def test_a_reached_goal_is_reached_and_needs_nothing_more():
    goal = progress("1000000000.00", date(2025, 6, 30))

    assert (goal.remaining, goal.average_needed, goal.status) == (
        Decimal("0.00"),
        Decimal("0.00"),
        "reached",
    )
    assert goal.on_track is True
    with translation.override("zh-hans"):
        assert goal.status_text == translation.gettext("Goal reached")


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "slots"),
    [
        (date(2024, 1, 1), date(2026, 12, 31), 6),
        (date(2026, 1, 1), date(2026, 6, 30), 1),
        # A window starting or ending inside a half-year takes that half-year's session.
        (date(2024, 3, 15), date(2025, 3, 14), 3),
        (date(2024, 7, 1), date(2024, 7, 2), 1),
    ],
)
def test_the_window_has_one_session_slot_per_half_year_it_touches(starts_on, ends_on, slots):
    assert len(session_slots(starts_on=starts_on, ends_on=ends_on)) == slots


def session(year: int, season: str, status: str):
    return AuctionSessionFactory(year=year, season=season, status=status)


@pytest.mark.django_db
def test_held_sessions_are_closed_or_settled_and_left_are_the_ones_still_to_come():
    session(2024, Season.SPRING, SessionStatus.SETTLED)
    session(2024, Season.AUTUMN, SessionStatus.CLOSED)
    session(2025, Season.SPRING, SessionStatus.SETTLED)
    session(2025, Season.AUTUMN, SessionStatus.PUBLISHED)
    # Outside the window: not counted.
    session(2027, Season.SPRING, SessionStatus.SETTLED)

    # 2025 autumn, 2026 spring and 2026 autumn are left.
    assert session_counts(**WINDOW, today=date(2025, 8, 15)) == (3, 3)


@pytest.mark.django_db
def test_a_half_year_that_passed_without_a_session_is_neither_held_nor_left():
    session(2024, Season.SPRING, SessionStatus.SETTLED)
    # 2024 autumn never happened; 2025 spring's session is still a draft and its half is over.
    session(2025, Season.SPRING, SessionStatus.DRAFT)

    assert session_counts(**WINDOW, today=date(2025, 8, 15)) == (1, 3)


@pytest.mark.django_db
def test_a_session_still_open_after_its_half_year_is_left_and_one_held_early_is_not():
    session(2024, Season.SPRING, SessionStatus.SETTLED)
    session(2024, Season.AUTUMN, SessionStatus.SETTLED)
    session(2025, Season.SPRING, SessionStatus.SETTLED)
    session(2025, Season.AUTUMN, SessionStatus.OPEN)
    assert session_counts(**WINDOW, today=date(2026, 1, 10)) == (3, 3)

    session(2026, Season.SPRING, SessionStatus.CLOSED)
    assert session_counts(**WINDOW, today=date(2026, 1, 10)) == (4, 2)


@pytest.mark.django_db
def test_after_the_window_no_session_is_left():
    session(2026, Season.AUTUMN, SessionStatus.CLOSED)

    assert session_counts(**WINDOW, today=date(2027, 1, 1)) == (1, 0)


@pytest.mark.django_db
def test_goal_progress_puts_the_sessions_and_the_pace_together():
    session(2024, Season.SPRING, SessionStatus.SETTLED)
    session(2024, Season.AUTUMN, SessionStatus.SETTLED)
    session(2025, Season.SPRING, SessionStatus.CLOSED)

    goal = goal_progress(today=date(2025, 6, 30))

    assert (goal.sessions_held, goal.sessions_left) == (3, 3)
    assert goal.volume == Decimal("0.00")
    assert goal.average_needed == Decimal("333333333.34")  # 1,000,000,000 / 3, rounded up
    assert (goal.projection, goal.on_track) == (Decimal("0.00"), False)
