"""Payouts in the Wagtail admin: who is owed, single payouts, bank batches (XLSX) and
marking a batch paid. Every change calls licensing.services.payouts."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from accounts.exceptions import DomainError
from innovations.templatetags.money import yuan
from licensing.admin_forms import BatchPaidForm, PayoutForm
from licensing.models import Payout, PayoutBatch
from licensing.payable_accounts import is_payable_account
from licensing.services.payout_profiles import payout_profiles_by_account
from licensing.services.payouts import (
    payables_owed,
    payee_name,
    payout_batch_create,
    payout_batch_mark_paid,
    payout_batch_xlsx,
    payout_record,
)
from marketplace.admin.base import MANAGE, AuctionFormView
from marketplace.models import LedgerAccount

PAYOUTS_URL_NAME = "licensing_payouts"
PAYOUT_URL_NAME = "licensing_payout_single"
BATCH_CREATE_URL_NAME = "licensing_payout_batch_create"
BATCH_URL_NAME = "licensing_payout_batch"
BATCH_XLSX_URL_NAME = "licensing_payout_batch_xlsx"
PROFILES_URL_NAME = "licensing_payout_profiles"
PROFILE_URL_NAME = "licensing_payout_profile"
PAYOUTS_ICON = "resubmit"


class PayoutPermissionMixin(PermissionCheckedMixin):
    model = Payout
    permission_required = MANAGE


class PayoutsView(PayoutPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "licensing/admin/payouts.html"
    page_title = gettext_lazy("Payouts")
    header_icon = PAYOUTS_ICON

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        owed_now = payables_owed()
        profiles = payout_profiles_by_account([account for account, _amount in owed_now])
        context.update(
            owed=[
                {
                    "account": account,
                    "payee": payee_name(account),
                    "amount": amount,
                    "profile": profiles.get(account.pk),
                    # An inventor without a platform account has no profile: paid by hand.
                    "has_payee": bool(account.user_id or account.enterprise_id),
                }
                for account, amount in owed_now
            ],
            any_without_profile=any(account.pk not in profiles for account, _ in owed_now),
            batches=PayoutBatch.objects.all()[:50],
            payout_url_name=PAYOUT_URL_NAME,
            batch_url_name=BATCH_URL_NAME,
            batch_create_url=reverse(BATCH_CREATE_URL_NAME),
            profiles_url=reverse(PROFILES_URL_NAME),
            profile_url_name=PROFILE_URL_NAME,
        )
        return context


class PayoutRecordView(AuctionFormView):
    """Calls payout_record: one transfer staff made by hand, recorded as paid."""

    model = Payout
    form_class = PayoutForm
    page_title = gettext_lazy("Record a payout")
    header_icon = PAYOUTS_ICON
    error_message = gettext_lazy("The payout was not recorded.")
    submit_button_label = gettext_lazy("Record the payout")

    @cached_property
    def account(self) -> LedgerAccount:
        account = get_object_or_404(
            LedgerAccount.objects.select_related("user", "enterprise"), pk=self.kwargs["pk"]
        )
        if not is_payable_account(account):
            raise Http404
        return account

    def get_page_subtitle(self):
        return payee_name(self.account)

    def form_valid(self, form):
        try:
            payout = payout_record(
                account=self.account, recorded_by=self.request.user, **form.cleaned_data
            )
        except DomainError as error:
            return self.refuse(form, error)
        messages.success(
            self.request,
            _("Payout of %(amount)s to %(payee)s recorded.")
            % {"amount": yuan(payout.amount), "payee": payout.payee_name},
        )
        return redirect(PAYOUTS_URL_NAME)


class PayoutBatchCreateView(PayoutPermissionMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        try:
            batch = payout_batch_create(created_by=request.user)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect(PAYOUTS_URL_NAME)
        messages.success(request, _("Batch created: download it for the bank."))
        return redirect(BATCH_URL_NAME, batch.pk)


class PayoutBatchView(AuctionFormView):
    """A batch's lines, its spreadsheet, and marking it paid (payout_batch_mark_paid)."""

    model = Payout
    form_class = BatchPaidForm
    template_name = "licensing/admin/batch.html"
    page_title = gettext_lazy("Payout batch")
    header_icon = PAYOUTS_ICON
    error_message = gettext_lazy("The batch was not marked as paid.")
    submit_button_label = gettext_lazy("The bank has paid this batch")

    @cached_property
    def batch(self) -> PayoutBatch:
        return get_object_or_404(PayoutBatch, pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.batch)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            batch=self.batch,
            payouts=self.batch.payouts.order_by("pk"),
            xlsx_url=reverse(BATCH_XLSX_URL_NAME, args=(self.batch.pk,)),
        )
        return context

    def form_valid(self, form):
        try:
            payout_batch_mark_paid(
                batch=self.batch,
                bank_reference=form.cleaned_data["bank_reference"],
                paid_on=form.cleaned_data["paid_on"],
                actor=self.request.user,
            )
        except DomainError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("Batch marked as paid; the payables are settled."))
        return redirect(BATCH_URL_NAME, self.batch.pk)


class PayoutBatchXlsxView(PayoutPermissionMixin, View):
    http_method_names = ["get"]

    def get(self, request, pk: int):
        batch = get_object_or_404(PayoutBatch, pk=pk)
        response = HttpResponse(
            payout_batch_xlsx(batch=batch),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="payout-batch-{batch.pk}.xlsx"'
        return response
