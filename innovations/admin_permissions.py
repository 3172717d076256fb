"""Innovations in the Wagtail admin: union staff view and review them; drafts stay hidden."""

from accounts.admin_permissions import UnionStaffPermissionPolicy
from innovations.choices import Status


class InnovationAdminPermissionPolicy(UnionStaffPermissionPolicy):
    staff_actions = frozenset({"view", "review"})

    # A draft is its submitter's own until it is submitted (innovations.permissions.can_view).
    def visible_instances(self):
        return self.model._default_manager.exclude(status=Status.DRAFT)

    def instance_is_visible(self, instance) -> bool:
        return instance.status != Status.DRAFT
