"""Auction sessions and lots in the Wagtail admin: union staff view them and "manage" them
through the admin views that call marketplace.services.auctions."""

from accounts.admin_permissions import UnionStaffPermissionPolicy


class AuctionAdminPermissionPolicy(UnionStaffPermissionPolicy):
    """One policy for AuctionSession and Lot: the same people build both."""

    staff_actions = frozenset({"view", "manage"})
