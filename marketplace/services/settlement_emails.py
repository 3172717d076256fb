"""Emails to a buyer about its settlement, sent after the change commits.

An auction winner hears from closing (marketplace.services.closing, which links to
purchases_link()); these cover what comes after: a settlement opened by staff (runner-up
offer, negotiated deal) with what is due and by when, a reminder before the balance falls due
(services.settlement_reminders), and a default. One email to the buyer's members, Chinese
with English below.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from innovations.templatetags.money import yuan
from marketplace.models import Settlement
from marketplace.models.settlement import SettlementStatus
from marketplace.services.lot_emails import LANGUAGES, enterprise_emails, lot_named


def purchases_link() -> str:
    """The buyer's "My purchases" page, at the default language's address."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("marketplace:my_purchases")
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _purchase_link(settlement: Settlement) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("marketplace:purchase_detail", args=(settlement.pk,))
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _message(settlement: Settlement) -> tuple[str, list[str]]:
    named = lot_named(settlement.lot)
    if settlement.status == SettlementStatus.DEFAULTED:
        return _("Purchase of lot %(number)s (%(title)s) cancelled") % named, [
            _(
                "The balance for lot %(number)s (%(title)s) was not paid by the due date. The "
                "purchase is cancelled and the deposit applied to it is forfeited."
            )
            % named
        ]
    return _("Lot %(number)s (%(title)s): %(amount)s to pay") % {
        **named,
        "amount": yuan(settlement.amount_due),
    }, [
        _(
            "%(enterprise)s buys lot %(number)s (%(title)s) for %(amount)s, including the "
            "buyer's premium. Please pay by %(due)s (Shanghai time)."
        )
        % {
            **named,
            "enterprise": settlement.buyer.name,
            "amount": yuan(settlement.amount_due),
            "due": timezone.localtime(settlement.due_at).strftime("%Y-%m-%d %H:%M"),
        }
    ]


def _reminder_message(settlement: Settlement, days_before: int) -> tuple[str, list[str]]:
    named = lot_named(settlement.lot)
    due = timezone.localtime(settlement.due_at).strftime("%Y-%m-%d %H:%M")
    return _("Lot %(number)s (%(title)s): %(balance)s to pay by %(due)s") % {
        **named,
        "balance": yuan(settlement.balance),
        "due": due,
    }, [
        ngettext(
            "The balance for lot %(number)s (%(title)s) falls due in %(days)s day.",
            "The balance for lot %(number)s (%(title)s) falls due in %(days)s days.",
            days_before,
        )
        % {**named, "days": days_before},
        _(
            "Of %(amount)s due, including the buyer's premium, %(balance)s remains to pay. "
            "Please pay by %(due)s (Shanghai time); after that the purchase is cancelled and "
            "the deposit applied to it is forfeited."
        )
        % {"amount": yuan(settlement.amount_due), "balance": yuan(settlement.balance), "due": due},
    ]


def settlement_notify(*, settlement_id: int) -> int:
    """Email the buyer's members about the settlement as it now stands; the number sent."""
    settlement = Settlement.objects.select_related("lot__session", "buyer").get(pk=settlement_id)
    return _send(settlement, _message)


def settlement_reminder_notify(*, settlement_id: int, days_before: int) -> int:
    """Remind the buyer's members that the balance falls due in `days_before` days."""
    settlement = Settlement.objects.select_related("lot__session", "buyer").get(pk=settlement_id)
    return _send(settlement, lambda s: _reminder_message(s, days_before))


def _send(settlement: Settlement, build) -> int:
    """One email to the buyer's members, Chinese first, English below; the number sent."""
    recipients = enterprise_emails([settlement.buyer_id])[settlement.buyer_id]
    if not recipients:
        return 0
    bodies, subject = [], ""
    for language in LANGUAGES:
        with translation.override(language):
            built_subject, lines = build(settlement)
            link = _("See it on the platform: %(link)s") % {"link": _purchase_link(settlement)}
            bodies.append("\n".join([built_subject, *lines, link]))
            subject = subject or built_subject
    EmailMessage(
        subject, "\n\n———\n\n".join(bodies), settings.DEFAULT_FROM_EMAIL, recipients
    ).send()
    return 1
