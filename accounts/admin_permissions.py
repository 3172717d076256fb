"""Who may use the platform's screens in the Wagtail admin: union staff, through services only.

Each app's admin grants reviewers (union staff and superusers, see
accounts.services.roles.is_union_staff) a small set of actions of its own ("view" plus e.g.
"verify", "review", "manage"). No policy over data with a lifecycle (innovations, enterprises,
lots, money) grants Wagtail's generic "add", "change" or "delete", so none of the generic model
views can save such a row behind the services' back, superusers included. Editorial data with
no rule beyond its constraints (craftsman profiles) is the exception: union staff edit it with
the generic forms (craftsmen.admin_permissions). Django's model permissions play no part, so
no migration has to grant union staff anything.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from wagtail.permission_policies import BasePermissionPolicy

from accounts.choices import ROLE_GROUP_NAMES, Role
from accounts.services.roles import is_union_staff


class UnionStaffPermissionPolicy(BasePermissionPolicy):
    """Base policy: union staff get `staff_actions` on the instances `visible_instances` allows."""

    staff_actions: frozenset[str] = frozenset({"view"})

    def __init__(self, model, *, staff_actions: frozenset[str] | None = None):
        super().__init__(model)
        if staff_actions is not None:
            self.staff_actions = staff_actions
        # Wagtail asks once per button and per listing row; looking the role up costs a query.
        self.permission_cache_name = f"_{model._meta.label_lower}_staff_permissions"

    def visible_instances(self) -> QuerySet:
        return self.model._default_manager.all()

    def instance_is_visible(self, instance) -> bool:
        return True

    def get_all_permissions_for_user(self, user) -> frozenset[str]:
        if user.is_active and is_union_staff(user):
            return self.staff_actions
        return frozenset()

    def user_has_permission(self, user, action) -> bool:
        return action in self.get_cached_permissions_for_user(user)

    def user_has_any_permission(self, user, actions) -> bool:
        return bool(self.get_cached_permissions_for_user(user) & set(actions))

    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        return self.user_has_permission(user, action) and self.instance_is_visible(instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return self.visible_instances()

    def users_with_any_permission(self, actions):
        users = get_user_model().objects
        if not self.staff_actions & set(actions):
            return users.none()
        return users.filter(
            Q(is_superuser=True) | Q(groups__name=ROLE_GROUP_NAMES[Role.UNION_STAFF]),
            is_active=True,
        ).distinct()

    def users_with_any_permission_for_instance(self, actions, instance):
        if not self.instance_is_visible(instance):
            return get_user_model().objects.none()
        return self.users_with_any_permission(actions)


class EnterpriseAdminPermissionPolicy(UnionStaffPermissionPolicy):
    """Staff list, inspect and verify enterprises; an enterprise's details are its members'
    statement, which staff check rather than rewrite (accounts.services.enterprises)."""

    staff_actions = frozenset({"view", "verify"})
