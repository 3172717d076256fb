"""The goal report in the Wagtail admin: headline figures, timeline, breakdowns, per-session
report, charts and exports; and the dashboard panel with the headline.

Union staff only, by the auctions' permission policy (as the live monitor): another admin user
is sent back to the dashboard, anyone else to the admin login. Reads only
(marketplace.goal_report and marketplace.goal_queries).
"""

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.permissions import policy_registry

from marketplace.goal_queries import goal_progress
from marketplace.goal_report.exports import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    table_csv,
    table_xlsx,
)
from marketplace.goal_report.filters import ReportFilterForm
from marketplace.goal_report.report import Goal, full_report, report_table
from marketplace.goal_report.tables import TABLE_KEYS
from marketplace.models import AuctionSession

VIEW = "view"
REPORT_URL_NAME = "goal_report"
EXPORT_URL_NAME = "goal_report_export"
REPORT_ICON = "table"
EXPORT_FORMATS = {"csv": (CSV_CONTENT_TYPE, table_csv), "xlsx": (XLSX_CONTENT_TYPE, table_xlsx)}


def user_sees_goal_report(user) -> bool:
    return policy_registry.get_by_type(AuctionSession).user_has_permission(user, VIEW)


class GoalReportPermissionMixin(PermissionCheckedMixin):
    model = AuctionSession
    permission_required = VIEW


class GoalFilterMixin:
    @cached_property
    def progress(self):
        return goal_progress()

    @cached_property
    def goal(self) -> Goal:
        return Goal(
            amount=self.progress.amount,
            starts_on=self.progress.starts_on,
            ends_on=self.progress.ends_on,
        )

    @cached_property
    def form(self) -> ReportFilterForm:
        # Always bound: no parameters at all is a valid request for the goal's whole window.
        return ReportFilterForm(
            self.request.GET,
            default_starts_on=self.goal.starts_on,
            default_ends_on=self.goal.ends_on,
        )


class GoalReportView(
    GoalReportPermissionMixin, GoalFilterMixin, WagtailAdminTemplateMixin, TemplateView
):
    template_name = "marketplace/admin/goal/report.html"
    page_title = _("Goal report")
    header_icon = REPORT_ICON

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(form=self.form, progress=self.progress, sections=[])
        if not self.form.is_valid():
            return context
        deal_filter = self.form.deal_filter()
        query = deal_filter.as_query()
        export_url = reverse(EXPORT_URL_NAME, kwargs={"key": "KEY", "fmt": "FMT"})
        sections = full_report(deal_filter, self.goal)
        context.update(
            deal_filter=deal_filter,
            sections=[
                {
                    "section": section,
                    "csv_url": _export_url(export_url, section.table.key, "csv", query),
                    "xlsx_url": _export_url(export_url, section.table.key, "xlsx", query),
                }
                for section in sections
            ],
        )
        return context


def _export_url(pattern: str, key: str, fmt: str, query: dict) -> str:
    return pattern.replace("KEY", key).replace("FMT", fmt) + "?" + urlencode(query)


class GoalReportExportView(GoalReportPermissionMixin, GoalFilterMixin, View):
    """One table as a file. Bad filters: 400 with the form's messages, nothing computed."""

    def get(self, request, key: str, fmt: str):
        if key not in TABLE_KEYS or fmt not in EXPORT_FORMATS:
            raise Http404
        if not self.form.is_valid():
            messages = [str(error) for errors in self.form.errors.values() for error in errors]
            return HttpResponseBadRequest(
                "\n".join(messages), content_type="text/plain; charset=utf-8"
            )
        deal_filter = self.form.deal_filter()
        table = report_table(deal_filter, self.goal, key)
        if table is None:
            raise Http404
        content_type, render = EXPORT_FORMATS[fmt]
        response = HttpResponse(render(table), content_type=content_type)
        filename = (
            f"goal-report-{key}-{deal_filter.starts_on:%Y%m%d}-{deal_filter.ends_on:%Y%m%d}.{fmt}"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class GoalDashboardPanel(Component):
    """The headline on the admin home: volume, settled (once goal_queries has it), percent,
    remaining, and the link to the report. Added for union staff only (goal_hooks)."""

    name = "goal_progress"
    template_name = "marketplace/admin/goal/dashboard_panel.html"
    order = 50

    def get_context_data(self, parent_context=None):
        return {"progress": goal_progress(), "report_url": reverse(REPORT_URL_NAME)}


class GoalReportMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return user_sees_goal_report(request.user)


def goal_report_menu_item() -> GoalReportMenuItem:
    return GoalReportMenuItem(
        _("Goal report"),
        reverse(REPORT_URL_NAME),
        name="goal-report",
        icon_name=REPORT_ICON,
        order=162,
    )
