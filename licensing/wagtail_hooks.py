"""The "Licensing" menu of the Wagtail admin: agreements (with income and sharing plans) and
payouts. Union staff only; every change goes through licensing's services, so no generic
add, edit or delete view is registered."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry, register_permission_policy

from accounts.admin_viewsets import ServiceOnlyViewSetMixin
from licensing.admin.agreements import (
    AGREEMENT_ICON,
    AgreementIndexView,
    AgreementInspectView,
    AgreementTermsEditView,
    AgreementTransitionView,
    IncomeCreateView,
    IncomeReverseView,
    NegotiatedDealCreateView,
    SharingPlanEditView,
)
from licensing.admin.payout_profiles import PayoutProfileEditView, PayoutProfilesView
from licensing.admin.payouts import (
    BATCH_CREATE_URL_NAME,
    BATCH_URL_NAME,
    BATCH_XLSX_URL_NAME,
    PAYOUT_URL_NAME,
    PAYOUTS_ICON,
    PAYOUTS_URL_NAME,
    PROFILE_URL_NAME,
    PROFILES_URL_NAME,
    PayoutBatchCreateView,
    PayoutBatchView,
    PayoutBatchXlsxView,
    PayoutRecordView,
    PayoutsView,
)
from licensing.admin.statements import (
    STATEMENTS_ICON,
    SharingEventFilterSet,
    SharingStatementIndexView,
)
from licensing.admin_permissions import LicensingAdminPermissionPolicy
from licensing.models import Agreement, Payout, SharingEvent

register_permission_policy(Agreement, LicensingAdminPermissionPolicy(Agreement))
register_permission_policy(Payout, LicensingAdminPermissionPolicy(Payout))
register_permission_policy(SharingEvent, LicensingAdminPermissionPolicy(SharingEvent))

AGREEMENTS_NAMESPACE = "licensing_agreements"


class AgreementViewSet(ModelViewSet):
    model = Agreement
    url_prefix = "licensing/agreements"
    url_namespace = AGREEMENTS_NAMESPACE
    icon = AGREEMENT_ICON
    menu_label = _("Agreements")
    menu_order = 170
    add_to_admin_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    index_view_class = AgreementIndexView
    inspect_view_class = AgreementInspectView
    inspect_template_name = "licensing/admin/agreement_inspect.html"
    search_fields = ["contract_number", "licensee__name"]
    search_backend_name = None
    list_filter = ["status", "origin"]
    list_per_page = 50
    inspect_view_fields = [
        "contract_number",
        "status",
        "origin",
        "licensors",
        "licensee",
        "innovations",
        "patents",
        "right_type",
        "is_service_invention",
        "scope",
        "territory",
        "term_start",
        "term_end",
        "deal_amount",
        "upfront_amount",
        "royalty_rate",
        "royalty_basis",
        "milestones",
        "cnipa_record_number",
        "cnipa_record_date",
        "confirmed_on",
    ]

    def get_permissions_to_register(self):
        return Permission.objects.none()

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            edit_url_name=None,
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
            **kwargs,
        )

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(add_url_name=self.get_url_name("add"), **kwargs)

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            transition_url_name=self.get_url_name("transition"),
            income_url_name=self.get_url_name("income"),
            plan_url_name=self.get_url_name("plan"),
            terms_url_name=self.get_url_name("terms"),
            reverse_income_url_name=self.get_url_name("reverse_income"),
            **kwargs,
        )

    def _object_view(self, view_class):
        return self.construct_view(
            view_class,
            index_url_name=self.get_url_name("index"),
            inspect_url_name=self.get_url_name("inspect"),
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path(
                "new/",
                self.construct_view(
                    NegotiatedDealCreateView, inspect_url_name=self.get_url_name("inspect")
                ),
                name="add",
            ),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path(
                "transition/<int:pk>/<str:target>/",
                self._object_view(AgreementTransitionView),
                name="transition",
            ),
            path("terms/<int:pk>/", self._object_view(AgreementTermsEditView), name="terms"),
            path("income/<int:pk>/", self._object_view(IncomeCreateView), name="income"),
            path(
                "income/<int:pk>/reverse/<int:income_pk>/",
                self._object_view(IncomeReverseView),
                name="reverse_income",
            ),
            path(
                "plan/<int:pk>/<int:innovation_pk>/",
                self._object_view(SharingPlanEditView),
                name="plan",
            ),
        ]


@hooks.register("register_admin_viewset")
def register_agreement_viewset():
    return AgreementViewSet()


class SharingStatementViewSet(ServiceOnlyViewSetMixin, ModelViewSet):
    """Read-only: statements are written by the sharing services, never by hand."""

    model = SharingEvent
    url_prefix = "licensing/statements"
    url_namespace = "licensing_statements"
    icon = STATEMENTS_ICON
    menu_label = _("Sharing statements")
    menu_order = 172
    add_to_admin_menu = True
    inspect_view_enabled = False
    index_view_class = SharingStatementIndexView
    filterset_class = SharingEventFilterSet
    search_fields = ["source_label"]


@hooks.register("register_admin_viewset")
def register_sharing_statement_viewset():
    return SharingStatementViewSet()


@hooks.register("register_admin_urls")
def register_payout_urls():
    return [
        path("licensing/payouts/", PayoutsView.as_view(), name=PAYOUTS_URL_NAME),
        path("licensing/payouts/pay/<int:pk>/", PayoutRecordView.as_view(), name=PAYOUT_URL_NAME),
        path(
            "licensing/payouts/bank-details/",
            PayoutProfilesView.as_view(),
            name=PROFILES_URL_NAME,
        ),
        path(
            "licensing/payouts/bank-details/<str:kind>/<int:pk>/",
            PayoutProfileEditView.as_view(),
            name=PROFILE_URL_NAME,
        ),
        path(
            "licensing/payouts/batches/new/",
            PayoutBatchCreateView.as_view(),
            name=BATCH_CREATE_URL_NAME,
        ),
        path("licensing/payouts/batches/<int:pk>/", PayoutBatchView.as_view(), name=BATCH_URL_NAME),
        path(
            "licensing/payouts/batches/<int:pk>/xlsx/",
            PayoutBatchXlsxView.as_view(),
            name=BATCH_XLSX_URL_NAME,
        ),
    ]


class PayoutsMenuItem(MenuItem):
    def is_shown(self, request):
        return policy_registry.get_by_type(Payout).user_has_permission(request.user, "manage")


@hooks.register("register_admin_menu_item")
def register_payouts_menu_item():
    return PayoutsMenuItem(
        _("Payouts"),
        reverse(PAYOUTS_URL_NAME),
        name="licensing-payouts",
        icon_name=PAYOUTS_ICON,
        order=171,
    )
