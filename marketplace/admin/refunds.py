"""Deposit refunds in the Wagtail admin — and refunds of what a defaulting buyer paid beyond
its deposit: every refund with its status, attempts and last error; a failed one can be
retried at once, and a bank-transfer one is confirmed here with the bank's reference once staff
have sent it. Through marketplace.services.refunds only."""

from django import forms
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from accounts.admin_viewsets import ServiceOnlyViewSetMixin
from innovations.templatetags.money import yuan
from marketplace.admin.base import (
    NOT_SET,
    AuctionActionView,
    ShanghaiTimeColumn,
    YuanColumn,
)
from marketplace.admin.service_views import (
    FormattedInspectView,
    ServiceFormView,
    SubjectMixin,
    field_label,
    radio_filterset,
)
from marketplace.choices import PaymentMethod
from marketplace.exceptions import MarketplaceError
from marketplace.models import DepositRefund
from marketplace.models.settlement import RefundStatus
from marketplace.services.refunds import refund_bank_transfer_confirm, refund_retry_now

REFUND_ICON = "undo"
REFUNDS_NAMESPACE = "deposit_refunds"
TIME_FIELDS = {"created_at", "sent_at", "succeeded_at", "next_attempt_at"}
# A refund gives back a deposit or a defaulted buyer's payment; either names its payer.
REFUNDED_RELATIONS = (
    "deposit__enterprise",
    "deposit__lot",
    "payment__settlement__buyer",
    "payment__settlement__lot",
    "balance_checkout__settlement__buyer",
    "balance_checkout__settlement__lot",
)


def _label(name: str) -> str:
    return field_label(DepositRefund, name)


DepositRefundFilterSet = radio_filterset(
    DepositRefund, status=RefundStatus.choices, method=PaymentMethod.choices
)


class LastErrorColumn(Column):
    def get_value(self, instance):
        return instance.last_error[:120] or NOT_SET


class DepositRefundIndexView(IndexView):
    inspect_url_name = None

    def get_base_queryset(self):
        return DepositRefund.objects.select_related(*REFUNDED_RELATIONS)

    @cached_property
    def columns(self):
        return [
            self._get_title_column_class(TitleColumn)(
                "refunded",
                label=gettext_lazy("Deposit or payment"),
                get_url=self.get_inspect_url,
            ),
            YuanColumn("amount", label=_label("amount")),
            self._get_custom_column("method"),
            self._get_custom_column("status"),
            self._get_custom_column("attempts"),
            LastErrorColumn("last_error", label=_label("last_error")),
            ShanghaiTimeColumn(
                "next_attempt_at", label=_label("next_attempt_at"), sort_key="next_attempt_at"
            ),
            ShanghaiTimeColumn("created_at", label=_label("created_at"), sort_key="created_at"),
        ]


class DepositRefundInspectView(FormattedInspectView):
    confirm_url_name = None
    retry_url_name = None
    money_fields = frozenset({"amount"})
    time_fields = TIME_FIELDS

    def get_object(self, queryset=None):
        return get_object_or_404(
            DepositRefund.objects.select_related(*REFUNDED_RELATIONS),
            pk=self.pk,
        )

    @cached_property
    def header_buttons(self):
        if not self.can_manage:
            return []
        if self.object.status == RefundStatus.BANK_TRANSFER_DUE:
            return [
                HeaderButton(
                    _("Confirm the refund transfer"),
                    url=reverse(self.confirm_url_name, args=(self.object.pk,)),
                    icon_name="form",
                )
            ]
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            can_retry=self.can_manage and self.object.status == RefundStatus.FAILED,
            retry_url=reverse(self.retry_url_name, args=(self.object.pk,)),
        )
        return context


class RefundConfirmForm(forms.Form):
    bank_reference = forms.CharField(label=gettext_lazy("Bank reference"), max_length=100)


class DepositRefundConfirmView(SubjectMixin, ServiceFormView):
    model = DepositRefund
    subject_queryset = DepositRefund.objects.select_related(*REFUNDED_RELATIONS)
    form_class = RefundConfirmForm
    page_title = gettext_lazy("Confirm the refund transfer")
    header_icon = "form"
    error_message = gettext_lazy("The refund was not confirmed.")
    submit_button_label = gettext_lazy("Confirm")
    submit_button_active_label = gettext_lazy("Confirming…")

    @property
    def refund(self) -> DepositRefund:
        return self.subject

    def get_page_subtitle(self):
        return ""  # the intro names the refund

    def get_intro(self, form) -> str:
        named = {"amount": yuan(self.refund.amount), "enterprise": self.refund.enterprise}
        if self.refund.payment_id is not None:
            return (
                _(
                    "The buyer defaulted; this payment was made by bank transfer. Transfer "
                    "%(amount)s back to %(enterprise)s, then record the bank's reference here."
                )
                % named
            )
        return (
            _(
                "This deposit was paid by bank transfer, so Stripe cannot return it. Transfer "
                "%(amount)s back to %(enterprise)s, then record the bank's reference here."
            )
            % named
        )

    def perform(self, form):
        return refund_bank_transfer_confirm(
            staff_user=self.request.user,
            refund=self.refund,
            bank_reference=form.cleaned_data["bank_reference"],
        )

    def success_message(self, result) -> str:
        return _("Refund recorded.")


class DepositRefundRetryView(AuctionActionView):
    model = DepositRefund

    def perform(self) -> str:
        status = refund_retry_now(staff_user=self.request.user, refund=self.object)
        self.object.refresh_from_db()
        if status == RefundStatus.FAILED:
            raise MarketplaceError(
                _("Stripe refused again: %(error)s"), error=self.object.last_error
            )
        return _("Refund sent to Stripe.")


class DepositRefundViewSet(ServiceOnlyViewSetMixin, ModelViewSet):
    model = DepositRefund
    url_prefix = "settlement/refunds"
    url_namespace = REFUNDS_NAMESPACE
    icon = REFUND_ICON
    menu_label = gettext_lazy("Deposit refunds")

    index_view_class = DepositRefundIndexView
    inspect_view_class = DepositRefundInspectView
    inspect_template_name = "marketplace/admin/refund_inspect.html"
    filterset_class = DepositRefundFilterSet
    search_fields = [
        "deposit__enterprise__name",
        "deposit__lot__title",
        "payment__settlement__buyer__name",
        "payment__settlement__lot__title",
        "stripe_refund_id",
    ]
    inspect_view_fields = [
        "deposit",
        "payment",
        "amount",
        "method",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "stripe_refund_id",
        "bank_reference",
        "confirmed_by",
        "created_at",
        "sent_at",
        "succeeded_at",
    ]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            confirm_url_name=self.get_url_name("confirm"),
            retry_url_name=self.get_url_name("retry"),
            **kwargs,
        )

    def get_service_urlpatterns(self):
        return [
            path(
                "confirm/<int:pk>/", self.construct_view(DepositRefundConfirmView), name="confirm"
            ),
            path("retry/<int:pk>/", self.construct_view(DepositRefundRetryView), name="retry"),
        ]
