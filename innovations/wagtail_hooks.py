"""The innovations menu of the Wagtail admin: the union staff's review queue and all innovations.

One viewset serves both menu entries. The review queue is its listing with the "submitted"
filter applied (oldest submission first), so staff can widen or change the filter from there and
every innovation has a single inspect page and review URL.

Staff read innovations and decide on them; they never add or edit one here, because the worker
owns the content. The viewset therefore registers no add, edit, copy, delete, history or usage
URLs, and its permission policy (innovations.admin_permissions) refuses those actions anyway.
"""

from django.contrib.admin.utils import quote
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import policy_registry, register_permission_policy

from accounts.admin_viewsets import ServiceOnlyViewSetMixin
from innovations.admin_permissions import InnovationAdminPermissionPolicy
from innovations.admin_views import (
    InnovationFilterSet,
    InnovationIndexView,
    InnovationInspectView,
    InnovationReviewView,
)
from innovations.choices import Status
from innovations.models import Innovation

# Before anything asks the registry for Innovation's policy, or Wagtail makes a fallback one
# from Django's model permissions, which union staff do not have.
register_permission_policy(Innovation, InnovationAdminPermissionPolicy(Innovation))


def _field_label(name: str) -> str:
    return capfirst(Innovation._meta.get_field(name).verbose_name)


class InnovationAdminURLFinder(ModelAdminURLFinder):
    """Links from elsewhere in the admin open the inspect page: there is no edit view."""

    edit_url_name = "innovations_admin:inspect"

    def get_edit_url(self, instance):
        policy = policy_registry.get_by_type(Innovation)
        if self.user and not policy.user_has_permission_for_instance(self.user, "view", instance):
            return None
        return self.construct_edit_url(instance)


class InnovationViewSet(ServiceOnlyViewSetMixin, ModelViewSet):
    model = Innovation
    url_prefix = "innovations"
    # Not "innovations": that is the site's namespace (innovations.urls).
    url_namespace = "innovations_admin"
    icon = "list-ul"
    menu_label = _("All innovations")

    index_view_class = InnovationIndexView
    inspect_view_class = InnovationInspectView
    inspect_template_name = "innovations/admin/inspect.html"
    # Innovations hold no references worth tracking, and the index would be written on each save.
    add_to_reference_index = False

    list_display = [
        "title",
        "category",
        "technical_field",
        "employer",
        "status",
        "tier",
        BooleanColumn("is_excellent", label=_field_label("is_excellent"), sort_key="is_excellent"),
        DateColumn("submitted_at", label=_field_label("submitted_at"), sort_key="submitted_at"),
    ]
    filterset_class = InnovationFilterSet
    search_fields = ["title", "summary"]
    # Search with icontains in the database rather than a Wagtail search index: the model is
    # not indexed, and icontains finds Chinese words, which have no spaces between them.
    search_backend_name = None
    ordering = "submitted_at"

    inspect_view_fields = [
        "title",
        "summary",
        "category",
        "technical_field",
        "industries",
        "employer",
        "expected_benefit",
        "owner",
        "status",
        "tier",
        "is_excellent",
        "is_high_value_patent",
        "submitted_at",
        "decided_at",
        "created_at",
        "updated_at",
    ]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(review_url_name=self.get_url_name("review"), **kwargs)

    @property
    def review_view(self):
        return self.construct_view(InnovationReviewView)

    def get_service_urlpatterns(self):
        return [path("review/<int:pk>/", self.review_view, name="review")]

    @property
    def url_finder_class(self):
        return InnovationAdminURLFinder


class ReviewQueueMenuItem(MenuItem):
    def is_shown(self, request):
        return policy_registry.get_by_type(Innovation).user_has_permission(request.user, "view")


class InnovationViewSetGroup(ModelViewSetGroup):
    menu_label = _("Innovations")
    menu_icon = "cogs"
    menu_order = 150
    items = (InnovationViewSet,)

    def get_submenu_items(self):
        (viewset,) = self.registerables
        queue = ReviewQueueMenuItem(
            label=_("Review queue"),
            url=f"{reverse(viewset.get_url_name('index'))}?status={quote(Status.SUBMITTED)}",
            name="innovations-review-queue",
            icon_name="clipboard-list",
            order=1,
        )
        return [queue, viewset.get_menu_item(order=2)]


@hooks.register("register_admin_viewset")
def register_innovation_viewsets():
    return InnovationViewSetGroup()
