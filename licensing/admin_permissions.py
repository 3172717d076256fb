"""Agreements, income, sharing plans and payouts in the Wagtail admin: union staff only,
through licensing's services (no generic add/change/delete)."""

from accounts.admin_permissions import UnionStaffPermissionPolicy


class LicensingAdminPermissionPolicy(UnionStaffPermissionPolicy):
    staff_actions = frozenset({"view", "manage"})

    def __init__(self, model, **kwargs):
        super().__init__(model, **kwargs)
        # One answer for all licensing models (same people, same actions): the admin menu
        # asks for each of its items on every page, and each model's own cache costs a query.
        self.permission_cache_name = "_licensing_staff_permissions"
