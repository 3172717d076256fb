"""The staff live monitor in the Wagtail admin: one auction session as it happens.

Lots open and closed, bids in the last minute and per minute over the last ten, the running
hammer total (sold, and provisional: open lots whose reserve is met), the number of bidders,
the ten most active lots, and the session's confirmed deals beside the goal's volume, amount
and percent (read from goal_progress(), never worked out here). The page polls its figures
fragment (htmx), so it stays current without reloading. Union staff only, by the auctions'
permission policy: other admin users are sent back to the dashboard and everyone else to the
admin login, like the other auction screens.
"""

from django import forms
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.permissions import policy_registry

from marketplace.goal_queries import goal_progress
from marketplace.live_queries import (
    MONITOR_MINUTES,
    monitor_sessions,
    session_open_now,
    session_pulse,
)
from marketplace.models import AuctionSession

VIEW = "view"
MONITOR_URL_NAME = "auction_live_monitor"
FIGURES_URL_NAME = "auction_live_monitor_figures"
# Staff watch a few figures that move by the minute; a poll every 5 s is live enough and
# costs the session's five queries and the goal's own per staff member.
POLL_SECONDS = 5
MONITOR_ICON = "pick"


class SessionPickForm(forms.Form):
    session = forms.ModelChoiceField(
        label=_("Auction session"), queryset=monitor_sessions(), required=False
    )


class MonitorPermissionMixin(PermissionCheckedMixin):
    model = AuctionSession
    permission_required = VIEW


class MonitorFiguresMixin:
    """The figures' template context, shared by the page and its polled fragment."""

    def figures_context(self, session: AuctionSession | None) -> dict:
        if session is None:
            return {"pulse": None}
        now = timezone.now()
        pulse = session_pulse(session, now=now)
        return {
            "pulse": pulse,
            # The goal's day is the Shanghai day of the same instant as the session's figures.
            "goal": goal_progress(today=timezone.localdate(now, timezone.get_default_timezone())),
            "minutes": MONITOR_MINUTES,
            "busiest_minute": max(pulse.bids_per_minute) or 1,
        }


class LiveMonitorView(
    MonitorPermissionMixin, MonitorFiguresMixin, WagtailAdminTemplateMixin, TemplateView
):
    template_name = "marketplace/admin/live_monitor.html"
    page_title = _("Live auction monitor")
    header_icon = MONITOR_ICON

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    @cached_property
    def form(self) -> SessionPickForm:
        return SessionPickForm(self.request.GET or None)

    def chosen_session(self) -> AuctionSession | None:
        """The one picked, or the session open now; an unknown pick shows its error and the
        default."""
        if self.form.is_valid() and self.form.cleaned_data["session"] is not None:
            return self.form.cleaned_data["session"]
        return session_open_now(timezone.now())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.chosen_session()
        context.update(
            form=self.form,
            session=session,
            poll_seconds=POLL_SECONDS,
            **self.figures_context(session),
        )
        return context


class LiveMonitorFiguresView(MonitorPermissionMixin, MonitorFiguresMixin, TemplateView):
    template_name = "marketplace/admin/live_monitor_figures.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = get_object_or_404(monitor_sessions(), pk=self.kwargs["session_pk"])
        context.update(self.figures_context(session))
        return context


class LiveMonitorMenuItem(MenuItem):
    """Shown to the people the page lets in."""

    def is_shown(self, request) -> bool:
        policy = policy_registry.get_by_type(AuctionSession)
        return policy.user_has_permission(request.user, VIEW)


def live_monitor_menu_item() -> LiveMonitorMenuItem:
    return LiveMonitorMenuItem(
        _("Live monitor"),
        reverse(MONITOR_URL_NAME),
        name="auction-live-monitor",
        icon_name=MONITOR_ICON,
        order=161,
    )
