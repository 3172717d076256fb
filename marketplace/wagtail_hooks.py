"""The "Auctions" menu of the Wagtail admin: auction sessions and their lots.

Union staff build sessions and lots here, and every change goes through
marketplace.services.auctions (and lot_documents). The viewsets therefore register none of
Wagtail's generic add, edit, copy, delete, history or usage views: their own create and edit
URLs lead to views that call the services, and the permission policy
(marketplace.admin_permissions) grants no generic "add", "change" or "delete" anyway.
"""

from django.contrib.auth.models import Permission
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import policy_registry, register_permission_policy

from marketplace.admin.goal_edit import GOAL_EDIT_URL_NAME, GoalEditView, goal_menu_item
from marketplace.admin.lots import (
    LOT_ICON,
    LotBankTransferDepositView,
    LotCreateView,
    LotDocumentCreateView,
    LotDocumentDownloadView,
    LotEditView,
    LotFilterSet,
    LotIndexView,
    LotInspectView,
    LotPublishView,
    LotWithdrawView,
)
from marketplace.admin.sessions import (
    SESSION_ICON,
    AuctionSessionCreateView,
    AuctionSessionEditView,
    AuctionSessionIndexView,
    AuctionSessionInspectView,
    AuctionSessionOpenView,
    AuctionSessionPublishView,
)
from marketplace.admin.settlements import SettlementViewSetGroup, settlement_permission_policy
from marketplace.admin_permissions import AuctionAdminPermissionPolicy
from marketplace.models import AuctionSession, DepositRefund, Goal, Lot, Settlement
from marketplace.views.live_monitor import (
    FIGURES_URL_NAME,
    MONITOR_URL_NAME,
    LiveMonitorFiguresView,
    LiveMonitorView,
    live_monitor_menu_item,
)

# Before anything asks the registry, or Wagtail makes fallback policies from Django's model
# permissions, which union staff do not have.
register_permission_policy(AuctionSession, AuctionAdminPermissionPolicy(AuctionSession))
register_permission_policy(Lot, AuctionAdminPermissionPolicy(Lot))
register_permission_policy(Settlement, settlement_permission_policy(Settlement))
register_permission_policy(DepositRefund, settlement_permission_policy(DepositRefund))
# The goal screen: union staff view and change the one Goal row (through goal_update only).
register_permission_policy(Goal, AuctionAdminPermissionPolicy(Goal))

SESSIONS_NAMESPACE = "auction_sessions"
LOTS_NAMESPACE = "auction_lots"


class InspectURLFinder(ModelAdminURLFinder):
    """Links from elsewhere in the admin open the inspect page, the hub of each object."""

    def get_edit_url(self, instance):
        policy = policy_registry.get_by_type(type(instance))
        if self.user and not policy.user_has_permission_for_instance(self.user, "view", instance):
            return None
        return self.construct_edit_url(instance)


class AuctionViewSetMixin:
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False

    def get_permissions_to_register(self):
        # The policy does not read Django permissions; offering them on the group editing
        # screen would suggest they do something.
        return Permission.objects.none()

    @property
    def url_finder_class(self):
        return type(
            f"{self.model.__name__}URLFinder",
            (InspectURLFinder,),
            {"edit_url_name": self.get_url_name("inspect")},
        )


class AuctionSessionViewSet(AuctionViewSetMixin, ModelViewSet):
    model = AuctionSession
    url_prefix = "auctions/sessions"
    url_namespace = SESSIONS_NAMESPACE
    icon = SESSION_ICON

    index_view_class = AuctionSessionIndexView
    inspect_view_class = AuctionSessionInspectView
    inspect_template_name = "marketplace/admin/session_inspect.html"
    search_fields = ["name"]
    search_backend_name = None
    list_per_page = 50

    inspect_view_fields = [
        "name",
        "year",
        "season",
        "status",
        "description",
        "preview_start",
        "bidding_start",
        "first_lot_closes_at",
        "closing_interval",
        "soft_close_window",
        "deposit_rate",
        "deposit_minimum",
        "buyers_premium_rate",
    ]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            edit_url_name=self.get_url_name("edit"),
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
            publish_url_name=self.get_url_name("publish"),
            open_url_name=self.get_url_name("open"),
            add_lot_url_name=f"{LOTS_NAMESPACE}:add",
            lot_inspect_url_name=f"{LOTS_NAMESPACE}:inspect",
            **kwargs,
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("new/", self.construct_view(AuctionSessionCreateView), name="add"),
            path("edit/<int:pk>/", self.construct_view(AuctionSessionEditView), name="edit"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path(
                "publish/<int:pk>/", self.construct_view(AuctionSessionPublishView), name="publish"
            ),
            path("open/<int:pk>/", self.construct_view(AuctionSessionOpenView), name="open"),
        ]


class LotViewSet(AuctionViewSetMixin, ModelViewSet):
    model = Lot
    url_prefix = "auctions/lots"
    url_namespace = LOTS_NAMESPACE
    icon = LOT_ICON

    index_view_class = LotIndexView
    inspect_view_class = LotInspectView
    inspect_template_name = "marketplace/admin/lot_inspect.html"
    filterset_class = LotFilterSet
    search_fields = ["title"]
    # icontains in the database: Lot is not in a Wagtail search index, and icontains finds
    # Chinese words, which have no spaces between them.
    search_backend_name = None
    list_per_page = 50

    inspect_view_fields = [
        "session",
        "number",
        "title",
        "status",
        "withdrawn_reason",
        "right_type",
        "licence_term_years",
        "territory",
        "starting_price",
        "reserve_price",
        "deposit_amount",
        "scheduled_close_at",
        "closes_at",
        "patents_legal_status",
        "is_service_invention",
        "employer_consent",
        "co_owners_consent",
        "known_limitations",
        "confidentiality_terms",
    ]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            # Lots are added from their session's page, which knows the session.
            add_url_name=None,
            edit_url_name=self.get_url_name("edit"),
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
            publish_url_name=self.get_url_name("publish"),
            withdraw_url_name=self.get_url_name("withdraw"),
            add_document_url_name=self.get_url_name("add_document"),
            bank_transfer_url_name=self.get_url_name("bank_transfer"),
            download_url_name=self.get_url_name("document"),
            session_index_url_name=f"{SESSIONS_NAMESPACE}:index",
            session_inspect_url_name=f"{SESSIONS_NAMESPACE}:inspect",
            **kwargs,
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("new/<int:session_pk>/", self.construct_view(LotCreateView), name="add"),
            path("edit/<int:pk>/", self.construct_view(LotEditView), name="edit"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("publish/<int:pk>/", self.construct_view(LotPublishView), name="publish"),
            path("withdraw/<int:pk>/", self.construct_view(LotWithdrawView), name="withdraw"),
            path(
                "deposit/<int:pk>/",
                self.construct_view(LotBankTransferDepositView),
                name="bank_transfer",
            ),
            path(
                "documents/<int:pk>/new/",
                self.construct_view(LotDocumentCreateView),
                name="add_document",
            ),
            path(
                "documents/<int:pk>/<int:document_pk>/",
                self.construct_view(LotDocumentDownloadView),
                name="document",
            ),
        ]


class AuctionViewSetGroup(ModelViewSetGroup):
    menu_label = _("Auctions")
    menu_icon = "pick"
    menu_order = 160
    items = (AuctionSessionViewSet, LotViewSet)


@hooks.register("register_admin_viewset")
def register_auction_viewsets():
    return AuctionViewSetGroup()


@hooks.register("register_admin_urls")
def register_live_monitor_urls():
    return [
        path("auctions/live/", LiveMonitorView.as_view(), name=MONITOR_URL_NAME),
        path(
            "auctions/live/<int:session_pk>/figures/",
            LiveMonitorFiguresView.as_view(),
            name=FIGURES_URL_NAME,
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_live_monitor_menu_item():
    return live_monitor_menu_item()


@hooks.register("register_admin_viewset")
def register_settlement_viewsets():
    return SettlementViewSetGroup()


@hooks.register("register_admin_urls")
def register_goal_edit_url():
    return [path("goal/edit/", GoalEditView.as_view(), name=GOAL_EDIT_URL_NAME)]


@hooks.register("register_admin_menu_item")
def register_goal_menu_item():
    return goal_menu_item()


# The goal report and its dashboard panel register their own hooks.
import marketplace.admin.goal_hooks  # noqa: E402, F401
