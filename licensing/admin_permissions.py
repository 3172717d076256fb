"""Agreements, income, sharing plans and payouts in the Wagtail admin: union staff only,
through licensing's services (no generic add/change/delete)."""

from marketplace.admin_permissions import AuctionAdminPermissionPolicy
from marketplace.models import Lot


class LicensingAdminPermissionPolicy(AuctionAdminPermissionPolicy):
    """The auctions' policy: the union staff who sell lots also record what the deals earn.

    It shares the lots' cache of the user's permissions (both compute the same set), so the
    admin menu looks the role up once per request rather than once more for licensing.
    """

    def __init__(self, model, **kwargs):
        super().__init__(model, **kwargs)
        self.permission_cache_name = f"_{Lot._meta.label_lower}_staff_permissions"
