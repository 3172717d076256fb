"""A ModelViewSet base shared by every app's admin: lists and inspect pages only, because
every change goes through a service (see accounts.admin_permissions)."""

from django.contrib.auth.models import Permission
from django.urls import path


class ServiceOnlyViewSetMixin:
    """A ModelViewSet whose changes all go through services: no generic add, edit, delete,
    history or usage view, and no Django permissions offered (the policy does not read them,
    see marketplace.admin_permissions)."""

    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    search_backend_name = None
    list_per_page = 50

    def get_permissions_to_register(self):
        return Permission.objects.none()

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            add_url_name=None,
            edit_url_name=None,
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
            **kwargs,
        )

    def get_urlpatterns(self):
        """The listing and the inspect page, then the screens that call services."""
        patterns = [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]
        if self.inspect_view_enabled:
            patterns.append(path("inspect/<int:pk>/", self.inspect_view, name="inspect"))
        return [*patterns, *self.get_service_urlpatterns()]

    def get_service_urlpatterns(self) -> list:
        return []
