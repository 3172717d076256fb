"""My purchases: what an enterprise bought, what it still owes, and paying the balance.

Thin views over marketplace.services.settlement. Another enterprise's purchase is a 404, so
guessing ids tells nothing; union staff work in the Wagtail admin instead.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.test import RequestFactory
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.choices import CheckoutStatus
from marketplace.exceptions import MarketplaceError
from marketplace.models import BalanceCheckout, DepositRefund, Settlement
from marketplace.money import fen_to_yuan
from marketplace.services import payments
from marketplace.services.settlement import (
    balance_checkout_metadata,
    card_limit_fen,
    settlement_checkout_start,
    settlement_pays_online,
)
from marketplace.views.payments import WEBHOOK_PATH, stripe_webhook

logger = logging.getLogger(__name__)


def _see_other(url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(url, status=303)


def _own_settlement(request, pk: int) -> Settlement:
    if request.user.enterprise_id is None:
        raise Http404
    return get_object_or_404(
        Settlement.objects.select_related("lot__session", "buyer", "deposit"),
        pk=pk,
        buyer_id=request.user.enterprise_id,
    )


def _refunds_owed_to(enterprise_id: int) -> list[DepositRefund]:
    """Every refund owed to the enterprise, in one query: its deposits, and the balance payments
    (by bank or online) a settlement of its no longer takes. Each gets `lot` set for the page,
    the deposit's lot or the settlement's."""
    refunds = list(
        DepositRefund.objects.filter(
            Q(deposit__enterprise_id=enterprise_id)
            | Q(payment__settlement__buyer_id=enterprise_id)
            | Q(balance_checkout__settlement__buyer_id=enterprise_id)
        ).select_related(
            "deposit__lot", "payment__settlement__lot", "balance_checkout__settlement__lot"
        )
    )
    for refund in refunds:
        refund.lot = refund.deposit.lot if refund.deposit_id else refund.settlement.lot
    return refunds


@login_required
def my_purchases(request):
    """The settlements of the user's enterprise, newest first, with what is left to pay."""
    enterprise = request.user.enterprise
    purchases = []
    refunds = []
    if enterprise is not None:
        purchases = list(
            Settlement.objects.of_enterprise(enterprise.pk).select_related("lot__session")
        )
        refunds = _refunds_owed_to(enterprise.pk)
    return render(
        request,
        "marketplace/purchases/list.html",
        {"enterprise": enterprise, "purchases": purchases, "refunds": refunds},
    )


@login_required
def purchase_detail(request, pk: int):
    """One purchase: the amounts, the receipts so far, and how to pay the rest."""
    settlement = _own_settlement(request, pk)
    result = request.GET.get("result")
    if result == "paid":
        messages.info(
            request,
            _(
                "Thank you. The payment shows here as soon as the payment service confirms it, "
                "usually within a minute."
            ),
        )
    elif result == "cancelled":
        messages.info(request, _("You left the payment page; nothing was paid."))
    return render(
        request,
        "marketplace/purchases/detail.html",
        {
            "settlement": settlement,
            "receipts": list(settlement.receipts.all()),
            "pays_online": settlement_pays_online(settlement),
            "card_limit": fen_to_yuan(card_limit_fen()),
            "bank_account": settings.SETTLEMENT_BANK_ACCOUNT,
        },
    )


@login_required
@require_POST
def purchase_pay(request, pk: int):
    """Start (or continue) paying the balance online, then go to the payment page."""
    settlement = _own_settlement(request, pk)
    detail_url = reverse("marketplace:purchase_detail", args=(settlement.pk,))
    try:
        checkout = settlement_checkout_start(user=request.user, settlement=settlement)
    except MarketplaceError as error:
        messages.error(request, str(error))
        return _see_other(detail_url)
    return _see_other(checkout.url or detail_url)


@login_required
def simulated_balance_checkout(request, checkout_id: str):
    """Stand-in for Stripe's page while there is no STRIPE_SECRET_KEY: "Pay" and "Cancel" send
    signed events through the real webhook view, as for deposits."""
    if not payments.is_simulated() or request.user.enterprise_id is None:
        raise Http404
    checkout = get_object_or_404(
        BalanceCheckout.objects.select_related("settlement__lot__session", "settlement__buyer"),
        stripe_session_id=checkout_id,
        settlement__buyer_id=request.user.enterprise_id,
    )
    detail_url = reverse("marketplace:purchase_detail", args=(checkout.settlement_id,))
    if checkout.status != CheckoutStatus.OPEN:
        messages.info(request, _("This payment is already finished."))
        return _see_other(detail_url)
    if request.method != "POST":
        return render(
            request,
            "marketplace/purchases/simulated_checkout.html",
            {"checkout": checkout, "amount": fen_to_yuan(checkout.amount_fen)},
        )
    action = request.POST.get("action")
    if action not in ("pay", "cancel"):
        messages.error(request, _("Choose “Pay” or “Cancel”."))
        return _see_other(request.get_full_path())
    payload, signature = payments.simulated_checkout_event(
        event_type="checkout.session.completed" if action == "pay" else "checkout.session.expired",
        session_id=checkout.stripe_session_id,
        amount_fen=checkout.amount_fen,
        metadata=balance_checkout_metadata(checkout),
    )
    response = stripe_webhook(
        RequestFactory().post(
            WEBHOOK_PATH,
            data=payload,
            content_type="application/json",
            headers={"Stripe-Signature": signature},
        )
    )
    if response.status_code != 200:
        logger.error("The simulated webhook was refused: %s", response.content)
        messages.error(request, _("The simulated payment could not be recorded."))
    elif action == "pay":
        messages.success(request, _("Simulated payment received."))
    else:
        messages.info(request, _("Payment cancelled; nothing was paid."))
    return _see_other(detail_url)
