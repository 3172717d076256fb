"""Paying deposits: start a checkout, Stripe's webhook, the simulated checkout, my deposits.

Thin views: parse the input, call one service in marketplace.services.deposits, turn a domain
error into a message. Deposits and checkouts of another enterprise are a 404, so guessing ids
tells nothing.
"""

import logging

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.test import RequestFactory
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.services.roles import is_union_staff
from innovations.forms import IdMultipleChoiceField
from marketplace.choices import CheckoutStatus
from marketplace.exceptions import MarketplaceError
from marketplace.models import CheckoutSession, Deposit, Lot
from marketplace.money import fen_to_yuan
from marketplace.selectors import checkouts_awaiting_payment, deposits_of_enterprise
from marketplace.services import deposits, payments

logger = logging.getLogger(__name__)

# Where the simulated checkout's requests to the webhook view say they came to.
WEBHOOK_PATH = "/stripe/webhook/"


class DepositCheckoutForm(forms.Form):
    """Either lots to pay deposits for, or an unfinished checkout of ours to continue."""

    lot = IdMultipleChoiceField(queryset=Lot.objects.all(), required=False)
    checkout = forms.IntegerField(required=False, min_value=1)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("lot") and not cleaned.get("checkout") and not self.errors:
            raise forms.ValidationError(_("Choose at least one lot."))
        return cleaned


def _see_other(url: str) -> HttpResponseRedirect:
    # 303: the browser follows a POST's redirect with a GET.
    return HttpResponseRedirect(url, status=303)


def _back(request) -> str:
    """The local page the form came from (its `next`), else my deposits."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("marketplace:my_deposits")


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe's signed events. A request we cannot verify is a 400 with a code, never a 500;
    a verified event is applied once (redeliveries are no-ops) and answered 200."""
    try:
        event = payments.webhook_event_construct(
            request.body, request.headers.get("Stripe-Signature", "")
        )
    except payments.WebhookInvalidError as error:
        logger.warning("Stripe webhook refused: %s", error.code)
        return JsonResponse({"code": error.code, "message": str(error)}, status=400)
    deposits.stripe_event_handle(event)
    return JsonResponse({"received": True})


@login_required
@require_POST
def deposit_checkout(request):
    """Start paying the deposits of the posted lots (or continue a checkout), then go to Stripe."""
    form = DepositCheckoutForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _see_other(_back(request))
    try:
        if form.cleaned_data["checkout"]:
            checkout = get_object_or_404(
                CheckoutSession,
                pk=form.cleaned_data["checkout"],
                enterprise_id=request.user.enterprise_id,
            )
            checkout = deposits.deposit_checkout_resume(checkout)
        else:
            checkout = deposits.deposit_checkout_start(
                user=request.user, lots=form.cleaned_data["lot"]
            )
    except MarketplaceError as error:
        messages.error(request, str(error))
        return _see_other(_back(request))
    # No URL only if the payment's confirmation overtook it (a retry after a crash).
    return _see_other(checkout.url or reverse("marketplace:my_deposits"))


@login_required
def simulated_checkout(request, checkout_id: str):
    """Stand-in for Stripe's payment page while there is no STRIPE_SECRET_KEY (development
    and the demo). "Pay" and "Cancel" send a signed checkout.session.completed or .expired
    event through the real webhook view, so the deposit is paid by the same code and the
    same signature check as with Stripe."""
    if not payments.is_simulated():
        raise Http404
    checkout = get_object_or_404(
        CheckoutSession.objects.select_related("enterprise"),
        stripe_session_id=checkout_id,
        enterprise_id=request.user.enterprise_id,
    )
    if checkout.status != CheckoutStatus.OPEN:
        messages.info(request, _("This payment is already finished."))
        return _see_other(reverse("marketplace:my_deposits"))
    if request.method == "POST":
        return _simulated_checkout_answer(request, checkout)
    return render(
        request,
        "marketplace/simulated_checkout.html",
        {
            "checkout": checkout,
            "amount": fen_to_yuan(checkout.amount_fen),
            "deposits": checkout.deposits.select_related("lot__session").order_by("pk"),
        },
    )


def _simulated_checkout_answer(request, checkout: CheckoutSession):
    action = request.POST.get("action")
    if action not in ("pay", "cancel"):
        messages.error(request, _("Choose “Pay” or “Cancel”."))
        return _see_other(request.get_full_path())
    event_type = "checkout.session.completed" if action == "pay" else "checkout.session.expired"
    payload, signature = payments.simulated_checkout_event(
        event_type=event_type,
        session_id=checkout.stripe_session_id,
        amount_fen=checkout.amount_fen,
        metadata=deposits.checkout_metadata(checkout),
    )
    webhook_request = RequestFactory().post(
        WEBHOOK_PATH,
        data=payload,
        content_type="application/json",
        headers={"Stripe-Signature": signature},
    )
    response = stripe_webhook(webhook_request)
    if response.status_code != 200:
        logger.error("The simulated webhook was refused: %s", response.content)
        messages.error(request, _("The simulated payment could not be recorded."))
    elif action == "pay":
        messages.success(request, _("Simulated payment received: your deposits are paid."))
    else:
        messages.info(
            request, _("Payment cancelled. The deposits were not paid; you can start again.")
        )
    return _see_other(reverse("marketplace:my_deposits"))


@login_required
def my_deposits(request):
    """The deposits of the enterprise the user acts for, and its unfinished payments."""
    enterprise = request.user.enterprise
    context = {"enterprise": enterprise, "deposits": [], "checkouts": []}
    if enterprise is not None:
        context["deposits"] = deposits_of_enterprise(enterprise)
        context["checkouts"] = [
            {
                "checkout": checkout,
                "amount": fen_to_yuan(checkout.amount_fen),
                "deposits": list(checkout.deposits.all()),
            }
            for checkout in checkouts_awaiting_payment(enterprise).prefetch_related("deposits__lot")
        ]
        result = request.GET.get("result")
        if result == "paid":
            messages.info(
                request,
                _(
                    "Thank you. Your deposits show as paid as soon as the payment service "
                    "confirms the payment, usually within a minute."
                ),
            )
        elif result == "cancelled":
            messages.info(
                request,
                _("You left the payment page. You can continue paying below until it expires."),
            )
    return render(request, "marketplace/my_deposits.html", context)


@login_required
def deposit_receipt(request, pk: int):
    """A bank-transfer receipt, for the enterprise that paid and for union staff only."""
    deposit = get_object_or_404(Deposit, pk=pk)
    allowed = is_union_staff(request.user) or (
        request.user.enterprise_id is not None
        and deposit.enterprise_id == request.user.enterprise_id
    )
    if not allowed or not deposit.receipt:
        raise Http404
    return FileResponse(deposit.receipt.open("rb"), as_attachment=True)
