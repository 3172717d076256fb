"""Wagtail hooks of the goal report; imported by marketplace/wagtail_hooks.py (Wagtail loads
only that module of each app)."""

from django.urls import path
from wagtail import hooks

from marketplace.admin.goal_views import (
    EXPORT_URL_NAME,
    REPORT_URL_NAME,
    GoalDashboardPanel,
    GoalReportExportView,
    GoalReportView,
    goal_report_menu_item,
    user_sees_goal_report,
)


@hooks.register("register_admin_urls")
def register_goal_report_urls():
    return [
        path("goal/", GoalReportView.as_view(), name=REPORT_URL_NAME),
        path(
            "goal/export/<slug:key>.<slug:fmt>",
            GoalReportExportView.as_view(),
            name=EXPORT_URL_NAME,
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_goal_report_menu_item():
    return goal_report_menu_item()


@hooks.register("construct_homepage_panels")
def add_goal_panel(request, panels):
    if user_sees_goal_report(request.user):
        panels.insert(0, GoalDashboardPanel())
