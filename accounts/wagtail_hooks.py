"""The enterprises menu of the Wagtail admin: the union staff's verification queue and all
enterprises, and the audit-log actions that accounts.services.enterprises records.

One viewset serves both menu entries. The verification queue is its listing with the "pending"
filter applied (oldest registration first), so staff can widen or change the filter from there
and every enterprise has a single inspect page and verification URL.

Staff check enterprises and decide on them; they never add, edit or delete one here. The details
are the enterprise's own statement: a typo is a reason to reject with a note, and the members
correct and resubmit it, so what staff verified is what the enterprise said. The viewset
therefore registers no add, edit, copy, delete, history or usage URLs, and its permission
policy (accounts.admin_permissions) refuses those actions anyway.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.log_actions import LogFormatter
from wagtail.permissions import policy_registry, register_permission_policy

from accounts.admin_permissions import EnterpriseAdminPermissionPolicy
from accounts.admin_views import (
    EnterpriseFilterSet,
    EnterpriseIndexView,
    EnterpriseInspectView,
    EnterpriseVerificationView,
    verification_queue_url,
)
from accounts.admin_viewsets import ServiceOnlyViewSetMixin
from accounts.models import Enterprise
from accounts.services.enterprises import ENTERPRISE_LOG_ACTIONS, LOG_REJECT

# Before anything asks the registry for Enterprise's policy, or Wagtail makes a fallback one
# from Django's model permissions, which union staff do not have.
register_permission_policy(Enterprise, EnterpriseAdminPermissionPolicy(Enterprise))


def _contact(enterprise: Enterprise) -> str:
    return " ".join(part for part in (enterprise.contact_name, enterprise.contact_phone) if part)


class EnterpriseAdminURLFinder(ModelAdminURLFinder):
    """Links from elsewhere in the admin open the inspect page: there is no edit view."""

    edit_url_name = "enterprises_admin:inspect"

    def get_edit_url(self, instance):
        policy = policy_registry.get_by_type(Enterprise)
        if self.user and not policy.user_has_permission_for_instance(self.user, "view", instance):
            return None
        return self.construct_edit_url(instance)


class EnterpriseViewSet(ServiceOnlyViewSetMixin, ModelViewSet):
    model = Enterprise
    url_prefix = "enterprises"
    # Not "accounts" nor "enterprise": the site's namespace is accounts (accounts.urls).
    url_namespace = "enterprises_admin"
    icon = "group"
    menu_label = _("All enterprises")

    index_view_class = EnterpriseIndexView
    inspect_view_class = EnterpriseInspectView
    inspect_template_name = "accounts/admin/inspect.html"
    # Enterprises hold no references worth tracking, and the index would be written on each save.
    add_to_reference_index = False

    list_display = [
        "name",
        "credit_code",
        "district",
        "industry",
        Column("contact", label=_("Contact"), accessor=_contact),
        "verification_status",
        DateColumn("created_at", label=_("Registered at"), sort_key="created_at"),
    ]
    filterset_class = EnterpriseFilterSet
    search_fields = ["name", "credit_code"]
    # Search with icontains in the database rather than a Wagtail search index: the model is
    # not indexed, and icontains finds Chinese words, which have no spaces between them.
    search_backend_name = None
    ordering = "created_at"

    inspect_view_fields = [
        "name",
        "credit_code",
        "district",
        "industry",
        "contact_name",
        "contact_phone",
        "registered_by",
        "verification_status",
        "rejection_reason",
        "verified_at",
        "verified_by",
        "created_at",
    ]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(verify_url_name=self.get_url_name("verify"), **kwargs)

    @property
    def verify_view(self):
        return self.construct_view(EnterpriseVerificationView)

    def get_service_urlpatterns(self):
        return [path("verify/<int:pk>/", self.verify_view, name="verify")]

    @property
    def url_finder_class(self):
        return EnterpriseAdminURLFinder


class VerificationQueueMenuItem(MenuItem):
    def is_shown(self, request):
        return policy_registry.get_by_type(Enterprise).user_has_permission(request.user, "view")


class EnterpriseViewSetGroup(ModelViewSetGroup):
    menu_label = _("Enterprises")
    menu_icon = "group"
    menu_order = 160
    items = (EnterpriseViewSet,)

    def get_submenu_items(self):
        (viewset,) = self.registerables
        queue = VerificationQueueMenuItem(
            label=_("Verification queue"),
            url=verification_queue_url(reverse(viewset.get_url_name("index"))),
            name="enterprises-verification-queue",
            icon_name="clipboard-list",
            order=1,
        )
        return [queue, viewset.get_menu_item(order=2)]


@hooks.register("register_admin_viewset")
def register_enterprise_viewsets():
    return EnterpriseViewSetGroup()


class RejectionFormatter(LogFormatter):
    label, message = ENTERPRISE_LOG_ACTIONS[LOG_REJECT]

    def format_comment(self, log_entry):
        return log_entry.data.get("reason", "")


@hooks.register("register_log_actions")
def register_enterprise_log_actions(actions):
    # ModelLogEntry refuses to save an action nobody registered.
    for action, (label, message) in ENTERPRISE_LOG_ACTIONS.items():
        if action != LOG_REJECT:
            actions.register_action(action, label, message)
    actions.register_action(LOG_REJECT)(RejectionFormatter)
