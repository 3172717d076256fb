"""What every email about a lot shares: its link, its name, both languages, its recipients.

Bidders are written to one enterprise at a time, so that no bidder learns another's name or
address. Mobile-only and inactive users get no email; they see everything on the platform.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from marketplace.models import Lot

# Chinese first, English below it.
LANGUAGES = ("zh-hans", "en")


def lot_link(lot: Lot) -> str:
    path = reverse("marketplace:lot_detail", kwargs={"pk": lot.pk})
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def lot_named(lot: Lot) -> dict[str, object]:
    return {"number": lot.number, "title": lot.title, "session": lot.session.name}


def bilingual(build: Callable[..., tuple[str, list[str]]], lot: Lot, *args) -> tuple[str, str]:
    """Subject in Chinese; the body in Chinese with the English below it."""
    bodies, subject = [], ""
    for language in LANGUAGES:
        with translation.override(language):
            built_subject, lines = build(lot, *args)
            lines = [*lines, _("See it on the platform: %(link)s") % {"link": lot_link(lot)}]
            bodies.append("\n".join([built_subject, *lines]))
            subject = subject or built_subject
    return subject, "\n\n———\n\n".join(bodies)


def reachable_users() -> QuerySet[User]:
    return User.objects.filter(is_active=True).exclude(email="").order_by("pk")


def enterprise_emails(enterprise_ids: Iterable[int]) -> dict[int, list[str]]:
    """The email addresses of each enterprise's active members, in one query."""
    emails: dict[int, list[str]] = defaultdict(list)
    for enterprise_id, email in (
        reachable_users()
        .filter(enterprise_id__in=list(enterprise_ids))
        .values_list("enterprise_id", "email")
    ):
        emails[enterprise_id].append(email)
    return emails
