"""Craftsman profiles in the Wagtail admin: union staff curate them.

Unlike the platform's records with a lifecycle (innovations, lots, money), a profile is
editorial data with no rule beyond its constraints, so union staff may add, change and delete
it with the generic admin forms. Everyone else, workers and enterprise members included, gets
nothing (accounts.admin_permissions.UnionStaffPermissionPolicy).
"""

from accounts.admin_permissions import UnionStaffPermissionPolicy


class CraftsmenAdminPermissionPolicy(UnionStaffPermissionPolicy):
    staff_actions = frozenset({"view", "add", "change", "delete"})
