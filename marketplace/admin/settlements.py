"""Settlements in the Wagtail admin: what each buyer owes and paid, bank transfers staff
confirm, and the choice after a default (runner-up or re-list); negotiated deals of passed
lots. Every change goes through marketplace.services.settlement / .defaults /
.negotiated_sales; no generic add, edit or delete view is registered."""

from django import forms
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton

from accounts.admin_viewsets import ServiceOnlyViewSetMixin
from innovations.templatetags.money import yuan
from marketplace.admin.base import (
    MANAGE,
    AuctionActionView,
    ShanghaiTimeColumn,
    YuanColumn,
    shanghai_time,
)
from marketplace.admin.refunds import DepositRefundViewSet
from marketplace.admin.service_views import (
    FormattedInspectView,
    ServiceFormView,
    StoredFileDownloadView,
    SubjectMixin,
    field_label,
    radio_filterset,
)
from marketplace.admin_permissions import AuctionAdminPermissionPolicy
from marketplace.choices import LotStatus, SessionStatus
from marketplace.models import AuctionSession, Lot, Sale, Settlement, SettlementReceipt
from marketplace.models.settlement import SettlementKind, SettlementStatus
from marketplace.services.defaults import (
    runner_up_bid,
    settlement_offer_to_runner_up,
    settlement_relist,
)
from marketplace.services.negotiated_sales import lot_negotiated_sale_record
from marketplace.services.settlement import settlement_bank_payment_confirm

SETTLEMENT_ICON = "tasks"
SETTLEMENTS_NAMESPACE = "settlements"
MONEY_FIELDS = {"price", "premium", "amount_due", "deposit_applied", "amount_received"}
TIME_FIELDS = {"due_at", "paid_at", "defaulted_at", "resolved_at", "created_at"}


def _label(name: str) -> str:
    return field_label(Settlement, name)


def settlement_permission_policy(model) -> AuctionAdminPermissionPolicy:
    """The auctions' policy (the same people settle what they sell), sharing the lots' cache
    of the user's permissions: both compute the same set, and the admin menu then looks the
    role up once rather than once more per model on every page."""
    policy = AuctionAdminPermissionPolicy(model)
    policy.permission_cache_name = f"_{Lot._meta.label_lower}_staff_permissions"
    return policy


SettlementFilterSet = radio_filterset(
    Settlement, status=SettlementStatus.choices, kind=SettlementKind.choices
)


class SettlementIndexView(IndexView):
    inspect_url_name = None
    negotiated_url_name = None

    def get_base_queryset(self):
        return Settlement.objects.select_related("lot__session", "buyer")

    @cached_property
    def columns(self):
        return [
            self._get_title_column("lot"),
            self._get_custom_column("buyer"),
            self._get_custom_column("kind"),
            YuanColumn("amount_due", label=_label("amount_due"), sort_key="amount_due"),
            YuanColumn("amount_received", label=_label("amount_received")),
            ShanghaiTimeColumn("due_at", label=_label("due_at"), sort_key="due_at"),
            self._get_custom_column("status"),
        ]

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.permission_policy.user_has_permission(self.request.user, MANAGE):
            buttons = [
                *buttons,
                HeaderButton(
                    _("Record a negotiated deal"),
                    url=reverse(self.negotiated_url_name),
                    icon_name="plus",
                ),
            ]
        return buttons


class SettlementInspectView(FormattedInspectView):
    """The amounts, the receipts, and the actions the settlement's state allows."""

    bank_payment_url_name = None
    runner_up_url_name = None
    relist_url_name = None
    receipt_url_name = None
    money_fields = MONEY_FIELDS
    time_fields = TIME_FIELDS

    def get_object(self, queryset=None):
        return get_object_or_404(
            Settlement.objects.select_related("lot__session", "buyer", "sale", "relisted_as"),
            pk=self.pk,
        )

    @cached_property
    def header_buttons(self):
        settlement = self.object
        if not self.can_manage:
            return []
        if settlement.status == SettlementStatus.AWAITING_PAYMENT:
            return [
                HeaderButton(
                    _("Record a bank transfer"),
                    url=reverse(self.bank_payment_url_name, args=(settlement.pk,)),
                    icon_name="form",
                )
            ]
        if settlement.status == SettlementStatus.DEFAULTED and not settlement.resolution:
            return [
                HeaderButton(
                    _("Re-list in a later session"),
                    url=reverse(self.relist_url_name, args=(settlement.pk,)),
                    icon_name="redirect",
                )
            ]
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        settlement = self.object
        can_offer = (
            self.can_manage
            and settlement.status == SettlementStatus.DEFAULTED
            and not settlement.resolution
        )
        runner_up = runner_up_bid(settlement.lot) if can_offer else None
        context.update(
            receipts=[
                (receipt, reverse(self.receipt_url_name, args=(settlement.pk, receipt.pk)))
                for receipt in settlement.receipts.select_related("recorded_by")
            ],
            runner_up=runner_up,
            runner_up_url=reverse(self.runner_up_url_name, args=(settlement.pk,)),
            other_settlements=Settlement.objects.filter(lot=settlement.lot)
            .exclude(pk=settlement.pk)
            .select_related("buyer"),
        )
        return context


class SettlementReceiptDownloadView(StoredFileDownloadView):
    """A bank receipt of the settlement."""

    model = Settlement

    def stored_file(self, *, pk: int, receipt_pk: int):
        receipt = get_object_or_404(SettlementReceipt, pk=receipt_pk, settlement_id=pk)
        return receipt.receipt, {}


class SettlementObjectMixin(SubjectMixin):
    model = Settlement
    subject_queryset = Settlement.objects.select_related("lot__session", "buyer")

    @property
    def settlement(self) -> Settlement:
        return self.subject


class BankPaymentForm(forms.Form):
    amount = forms.DecimalField(
        label=gettext_lazy("Amount received (yuan)"),
        max_digits=14,
        decimal_places=2,
        min_value=0.01,
    )
    bank_reference = forms.CharField(label=gettext_lazy("Bank reference"), max_length=100)
    receipt = forms.FileField(
        label=gettext_lazy("Bank receipt"),
        required=False,
        help_text=gettext_lazy("A PDF or an image of the bank's receipt."),
    )


class SettlementBankPaymentView(SettlementObjectMixin, ServiceFormView):
    form_class = BankPaymentForm
    page_title = gettext_lazy("Record a bank transfer")
    header_icon = "form"
    error_message = gettext_lazy("The transfer was not recorded.")
    submit_button_label = gettext_lazy("Record the transfer")
    submit_button_active_label = gettext_lazy("Recording…")

    def get_intro(self, form) -> str:
        return _(
            "Record a transfer only once it has arrived. Partial transfers are fine; the "
            "balance still due is %(balance)s."
        ) % {"balance": yuan(self.settlement.balance)}

    def get_initial(self):
        return {"amount": self.settlement.balance}

    def perform(self, form):
        data = form.cleaned_data
        return settlement_bank_payment_confirm(
            staff_user=self.request.user,
            settlement=self.settlement,
            amount=data["amount"],
            bank_reference=data["bank_reference"],
            receipt_file=data["receipt"],
        )

    def success_message(self, receipt) -> str:
        return _("Transfer of %(amount)s recorded.") % {"amount": yuan(receipt.amount)}


class SettlementRunnerUpView(AuctionActionView):
    model = Settlement

    def perform(self) -> str:
        offer = settlement_offer_to_runner_up(staff_user=self.request.user, settlement=self.object)
        return _("The lot is offered to %(buyer)s at %(price)s, due by %(due)s.") % {
            "buyer": offer.buyer,
            "price": yuan(offer.price),
            "due": shanghai_time(offer.due_at),
        }


class RelistForm(forms.Form):
    session = forms.ModelChoiceField(
        label=gettext_lazy("Auction session"),
        queryset=AuctionSession.objects.none(),
        help_text=gettext_lazy("A session whose bidding has not opened yet."),
    )

    def __init__(self, *args, exclude_session_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = AuctionSession.objects.filter(
            status__in=[SessionStatus.DRAFT, SessionStatus.PUBLISHED],
            bidding_start__gt=timezone.now(),
        ).exclude(pk=exclude_session_id)


class SettlementRelistView(SettlementObjectMixin, ServiceFormView):
    form_class = RelistForm
    page_title = gettext_lazy("Re-list in a later session")
    header_icon = "redirect"
    error_message = gettext_lazy("The lot was not re-listed.")
    submit_button_label = gettext_lazy("Re-list")
    submit_button_active_label = gettext_lazy("Re-listing…")
    intro = gettext_lazy(
        "The lot becomes passed and a draft copy with the same terms, disclosure and "
        "confidential documents is added to the session chosen; publish it there."
    )
    lot_inspect_url_name = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "exclude_session_id": self.settlement.lot.session_id}

    def perform(self, form):
        data = form.cleaned_data
        return settlement_relist(
            staff_user=self.request.user, settlement=self.settlement, session=data["session"]
        )

    def success_message(self, lot) -> str:
        return _("Re-listed as lot %(number)s in %(session)s.") % {
            "number": lot.number,
            "session": lot.session,
        }

    def success_url(self, lot) -> str:
        return reverse(self.lot_inspect_url_name, args=(lot.pk,))


class NegotiatedDealForm(forms.Form):
    lot = forms.ModelChoiceField(
        label=gettext_lazy("Passed lot"),
        queryset=Lot.objects.filter(status=LotStatus.PASSED, leader__isnull=False)
        .exclude(Exists(Sale.objects.filter(lot=OuterRef("pk"))))
        .select_related("session"),
        help_text=gettext_lazy("Lots that passed below their reserve with at least one bid."),
    )
    price = forms.DecimalField(
        label=gettext_lazy("Agreed price (yuan)"), max_digits=14, decimal_places=2
    )


class NegotiatedDealView(ServiceFormView):
    model = Settlement
    form_class = NegotiatedDealForm
    page_title = gettext_lazy("Record a negotiated deal")
    header_icon = "plus"
    error_message = gettext_lazy("The deal was not recorded.")
    submit_button_label = gettext_lazy("Record the deal")
    submit_button_active_label = gettext_lazy("Recording…")
    intro = gettext_lazy(
        "A lot that passed below its reserve, sold afterwards to its highest bidder at the "
        "price both sides agreed (协议成交). The buyer pays it like an auction price."
    )
    inspect_url_name = None

    def perform(self, form):
        data = form.cleaned_data
        return lot_negotiated_sale_record(
            staff_user=self.request.user, lot=data["lot"], price=data["price"]
        )

    def success_message(self, settlement) -> str:
        return _("Negotiated deal recorded: %(amount)s due from %(buyer)s.") % {
            "amount": yuan(settlement.amount_due),
            "buyer": settlement.buyer,
        }

    def success_url(self, settlement) -> str:
        return reverse(self.inspect_url_name, args=(settlement.pk,))


class SettlementViewSet(ServiceOnlyViewSetMixin, ModelViewSet):
    model = Settlement
    url_prefix = "settlement/purchases"
    url_namespace = SETTLEMENTS_NAMESPACE
    icon = SETTLEMENT_ICON
    menu_label = gettext_lazy("Settlements")

    index_view_class = SettlementIndexView
    inspect_view_class = SettlementInspectView
    inspect_template_name = "marketplace/admin/settlement_inspect.html"
    filterset_class = SettlementFilterSet
    search_fields = ["lot__title", "buyer__name"]

    inspect_view_fields = [
        "lot",
        "buyer",
        "kind",
        "sale",
        "price",
        "premium_rate",
        "premium",
        "amount_due",
        "deposit_applied",
        "amount_received",
        "due_at",
        "status",
        "paid_at",
        "defaulted_at",
        "resolution",
        "relisted_as",
        "resolved_at",
    ]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            negotiated_url_name=self.get_url_name("negotiated"),
            bank_payment_url_name=self.get_url_name("bank_payment"),
            runner_up_url_name=self.get_url_name("runner_up"),
            relist_url_name=self.get_url_name("relist"),
            receipt_url_name=self.get_url_name("receipt"),
            lot_inspect_url_name="auction_lots:inspect",
            **kwargs,
        )

    def get_service_urlpatterns(self):
        return [
            path(
                "bank-transfer/<int:pk>/",
                self.construct_view(SettlementBankPaymentView),
                name="bank_payment",
            ),
            path(
                "runner-up/<int:pk>/",
                self.construct_view(SettlementRunnerUpView),
                name="runner_up",
            ),
            path("relist/<int:pk>/", self.construct_view(SettlementRelistView), name="relist"),
            path("negotiated/", self.construct_view(NegotiatedDealView), name="negotiated"),
            path(
                "receipts/<int:pk>/<int:receipt_pk>/",
                self.construct_view(SettlementReceiptDownloadView),
                name="receipt",
            ),
        ]


class SettlementViewSetGroup(ModelViewSetGroup):
    """The "Settlement" menu: purchases and deposit refunds."""

    menu_label = gettext_lazy("Settlement")
    menu_icon = SETTLEMENT_ICON
    menu_order = 170
    items = (SettlementViewSet, DepositRefundViewSet)
