"""Agreements, income, sharing plans and payouts in the Wagtail admin: union staff only,
through licensing's services (no generic add/change/delete)."""

from accounts.admin_permissions import UnionStaffPermissionPolicy


class LicensingAdminPermissionPolicy(UnionStaffPermissionPolicy):
    staff_actions = frozenset({"view", "manage"})
