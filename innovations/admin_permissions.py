"""Who may use the innovations screens of the Wagtail admin.

Reviewers (innovations.permissions.is_reviewer: union staff and superusers) may list, inspect
and review innovations. Nobody may add, change or delete one through the admin's generic views,
superusers included: the worker owns the content, and every status change goes through
innovations.services.review. Django's model permissions play no part, so no migration has to
grant union staff anything.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies import BasePermissionPolicy

from accounts.choices import ROLE_GROUP_NAMES, Role
from innovations.choices import Status
from innovations.permissions import is_reviewer

REVIEWER_ACTIONS = frozenset({"view", "review"})


class InnovationAdminPermissionPolicy(BasePermissionPolicy):
    # Wagtail asks once per button and per listing row; is_reviewer costs a query each time.
    permission_cache_name = "_innovation_admin_permissions"

    def get_all_permissions_for_user(self, user) -> frozenset[str]:
        if user.is_active and is_reviewer(user):
            return REVIEWER_ACTIONS
        return frozenset()

    def user_has_permission(self, user, action) -> bool:
        return action in self.get_cached_permissions_for_user(user)

    def user_has_any_permission(self, user, actions) -> bool:
        return bool(self.get_cached_permissions_for_user(user) & set(actions))

    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        # A draft is its submitter's own until it is submitted (innovations.permissions.can_view).
        return self.user_has_permission(user, action) and instance.status != Status.DRAFT

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return self.model._default_manager.exclude(status=Status.DRAFT)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects
        if not REVIEWER_ACTIONS & set(actions):
            return users.none()
        return users.filter(
            Q(is_superuser=True) | Q(groups__name=ROLE_GROUP_NAMES[Role.UNION_STAFF]),
            is_active=True,
        ).distinct()

    def users_with_any_permission_for_instance(self, actions, instance):
        if instance.status == Status.DRAFT:
            return get_user_model().objects.none()
        return self.users_with_any_permission(actions)
