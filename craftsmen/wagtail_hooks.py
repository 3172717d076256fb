"""The Craftsmen menu of the Wagtail admin: union staff curate craftsman profiles (with their
honours inline and the portrait from the image library) and innovation studios."""

from django.contrib.auth.models import Permission
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from craftsmen.admin_forms import CraftsmanAdminForm
from craftsmen.admin_permissions import CraftsmenAdminPermissionPolicy
from craftsmen.models import Craftsman, Studio

# Before anything asks the registry, or Wagtail makes a fallback policy from Django's model
# permissions, which union staff do not have.
register_permission_policy(Craftsman, CraftsmenAdminPermissionPolicy(Craftsman))
register_permission_policy(Studio, CraftsmenAdminPermissionPolicy(Studio))


class StaffOnlyViewSetMixin:
    # The policy reads roles, not Django permissions: offer none in the group editor.
    add_to_reference_index = False
    search_backend_name = None
    list_per_page = 50

    def get_permissions_to_register(self):
        return Permission.objects.none()


class CraftsmanViewSet(StaffOnlyViewSetMixin, ModelViewSet):
    model = Craftsman
    url_prefix = "craftsmen"
    url_namespace = "craftsmen_admin"
    icon = "user"
    menu_label = _("Craftsman profiles")
    edit_handler = ObjectList(Craftsman.panels, base_form_class=CraftsmanAdminForm)
    inspect_view_enabled = True

    list_display = [
        "name",
        "name_en",
        "level",
        "employer",
        "trade",
        BooleanColumn(
            "is_published",
            label=capfirst(Craftsman._meta.get_field("is_published").verbose_name),
            sort_key="is_published",
        ),
    ]
    list_filter = [
        "level",
        "trade",
        "is_model_worker",
        "is_chief_technician",
        "is_skill_master",
        "is_published",
    ]
    search_fields = ["name", "name_en", "slug"]
    ordering = "name_en"

    def get_queryset(self, request):
        return Craftsman.objects.select_related("employer")


class StudioViewSet(StaffOnlyViewSetMixin, ModelViewSet):
    model = Studio
    url_prefix = "studios"
    url_namespace = "craftsman_studios_admin"
    icon = "home"
    menu_label = _("Innovation studios")

    list_display = ["name_zh", "name_en", "craftsman", "founded_year"]
    search_fields = ["name_zh", "name_en"]
    ordering = "name_zh"

    def get_queryset(self, request):
        return Studio.objects.select_related("craftsman")


class CraftsmenViewSetGroup(ModelViewSetGroup):
    menu_label = _("Craftsmen")
    menu_icon = "group"
    menu_order = 180
    items = (CraftsmanViewSet, StudioViewSet)


@hooks.register("register_admin_viewset")
def register_craftsmen_viewsets():
    return CraftsmenViewSetGroup()
