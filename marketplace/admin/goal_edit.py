"""The goal in the Wagtail admin: union staff see its figures and change its amount and window.

One screen (`/admin/goal/edit/`, menu "Goal settings"; the report is `/admin/goal/`), union
staff only by the Goal permission policy (registered in marketplace.wagtail_hooks): other admin
users go back to the dashboard, everyone else to the admin login. The change goes through
marketplace.services.goal.goal_update.
"""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem
from wagtail.permissions import policy_registry

from innovations.templatetags.money import yuan
from marketplace.admin.base import MANAGE
from marketplace.admin.service_views import ServiceFormView
from marketplace.exceptions import GoalAmountInvalidError, GoalWindowInvalidError
from marketplace.goal_queries import goal_progress
from marketplace.models import Goal, GoalChange
from marketplace.services.goal import goal_update

GOAL_EDIT_URL_NAME = "goal_edit"
GOAL_ICON = "pick"
# The latest changes of the goal shown under the form.
HISTORY_SHOWN = 20


class GoalForm(forms.Form):
    # The service checks the amount and the window; the form only reads them.
    amount = forms.DecimalField(label=gettext_lazy("Goal amount (yuan)"), max_digits=14)
    starts_on = forms.DateField(
        label=gettext_lazy("The window starts on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    ends_on = forms.DateField(
        label=gettext_lazy("The window ends on (included)"),
        help_text=gettext_lazy("Shanghai days: a deal at 23:59 on this day still counts."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class GoalEditView(ServiceFormView):
    model = Goal
    permission_required = MANAGE
    form_class = GoalForm
    template_name = "marketplace/admin/goal_edit.html"
    page_title = gettext_lazy("Goal settings")
    header_icon = GOAL_ICON
    error_message = gettext_lazy("The goal was not changed.")
    intro = gettext_lazy(
        "Transaction volume counts confirmed deals from the first day of the window to the "
        "last, Shanghai time. Changing the goal changes every figure at once: the home page, "
        "the public goal page, the API and the reports."
    )

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_initial(self):
        goal = Goal.objects.current()
        return {"amount": goal.amount, "starts_on": goal.starts_on, "ends_on": goal.ends_on}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        goal = Goal.objects.current()
        changes = GoalChange.objects.select_related("changed_by")[:HISTORY_SHOWN]
        context.update(goal=goal, progress=goal_progress(goal=goal), changes=changes)
        return context

    def perform(self, form):
        data = form.cleaned_data
        return goal_update(
            actor=self.request.user,
            amount=data["amount"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
        )

    def refusal_field(self, form, error):
        if isinstance(error, GoalAmountInvalidError):
            return "amount"
        if isinstance(error, GoalWindowInvalidError):
            return "ends_on"
        return None

    def success_message(self, goal) -> str:
        return _("Goal saved: %(amount)s from %(starts)s to %(ends)s.") % {
            "amount": yuan(goal.amount),
            "starts": goal.starts_on.isoformat(),
            "ends": goal.ends_on.isoformat(),
        }

    def success_url(self, goal) -> str:
        return reverse(GOAL_EDIT_URL_NAME)


class GoalMenuItem(MenuItem):
    """Shown to the people the screen lets in."""

    def is_shown(self, request) -> bool:
        return policy_registry.get_by_type(Goal).user_has_permission(request.user, MANAGE)


def goal_menu_item() -> GoalMenuItem:
    return GoalMenuItem(
        gettext_lazy("Goal settings"),
        reverse(GOAL_EDIT_URL_NAME),
        name="goal-edit",
        icon_name=GOAL_ICON,
        order=165,
    )
