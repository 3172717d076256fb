"""Payees' bank details in the Wagtail admin: staff see everyone's and enter or correct them
for a worker or an employer, through payout_profile_save."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.models import Enterprise, User
from licensing.admin.payouts import (
    PAYOUTS_ICON,
    PAYOUTS_URL_NAME,
    PROFILE_URL_NAME,
    PROFILES_URL_NAME,
    PayoutPermissionMixin,
)
from licensing.exceptions import PayoutAccountNumberInvalidError, PayoutProfileInvalidError
from licensing.forms import PayoutDetailsForm
from licensing.models import Payout, PayoutProfile
from licensing.services.payout_profiles import payout_profile_save
from marketplace.admin.base import AuctionFormView

PAYEE_KINDS = {"user": User, "enterprise": Enterprise}


def payout_profile_url(*, user_id: int | None = None, enterprise_id: int | None = None) -> str:
    if user_id:
        return reverse(PROFILE_URL_NAME, args=("user", user_id))
    return reverse(PROFILE_URL_NAME, args=("enterprise", enterprise_id))


class PayoutProfilesView(PayoutPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "licensing/admin/payout_profiles.html"
    page_title = gettext_lazy("Bank details")
    header_icon = PAYOUTS_ICON

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(PAYOUTS_URL_NAME), "label": _("Payouts")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        profiles = PayoutProfile.objects.select_related("user", "enterprise").order_by("pk")
        context["rows"] = [
            {
                "profile": profile,
                "payee": profile.user or profile.enterprise.name,
                "url": payout_profile_url(
                    user_id=profile.user_id, enterprise_id=profile.enterprise_id
                ),
            }
            for profile in profiles
        ]
        return context


class PayoutProfileEditView(AuctionFormView):
    """Calls payout_profile_save for the worker or the employer in the URL."""

    model = Payout
    form_class = PayoutDetailsForm
    page_title = gettext_lazy("Bank details")
    header_icon = PAYOUTS_ICON
    error_message = gettext_lazy("The bank details were not saved.")
    submit_button_label = gettext_lazy("Save the bank details")
    intro = gettext_lazy(
        "Bank batches made from now on use these details; lines already in a batch keep theirs."
    )

    @cached_property
    def payee(self) -> User | Enterprise:
        model = PAYEE_KINDS.get(self.kwargs["kind"])
        if model is None:
            raise Http404
        return get_object_or_404(model, pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return self.payee.name if isinstance(self.payee, Enterprise) else str(self.payee)

    def get_initial(self):
        profile = PayoutProfile.objects.filter(**{self.kwargs["kind"]: self.payee}).first()
        if profile is None:
            return {}
        return {
            "bank_account_name": profile.bank_account_name,
            "bank": profile.bank,
            "bank_account_number": profile.bank_account_number,
        }

    def form_valid(self, form):
        try:
            payout_profile_save(**{self.kwargs["kind"]: self.payee}, **form.cleaned_data)
        except PayoutAccountNumberInvalidError as error:
            return self.refuse(form, error, field="bank_account_number")
        except PayoutProfileInvalidError as error:
            return self.refuse(form, error)
        messages.success(
            self.request,
            _("Bank details of %(payee)s saved.") % {"payee": self.get_page_subtitle()},
        )
        return redirect(PROFILES_URL_NAME)
