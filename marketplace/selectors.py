"""Reads of marketplace data that span several tables, for pages and the API."""

from django.db.models import QuerySet

from accounts.models import Enterprise
from marketplace.choices import CheckoutStatus
from marketplace.models import CheckoutSession, Deposit


def deposits_of_enterprise(enterprise: Enterprise) -> QuerySet[Deposit]:
    """An enterprise's own deposits, newest first, with what the "my deposits" page shows."""
    return (
        Deposit.objects.filter(enterprise=enterprise)
        .select_related("lot__session")
        .order_by("-created_at", "-pk")
    )


def checkouts_awaiting_payment(enterprise: Enterprise) -> QuerySet[CheckoutSession]:
    """Online payments the enterprise started and has not finished (created or open)."""
    return CheckoutSession.objects.filter(
        enterprise=enterprise, status__in=[CheckoutStatus.CREATED, CheckoutStatus.OPEN]
    ).order_by("-created_at", "-pk")
