"""Tell the submitter about each review decision, by email, in Chinese with English below."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from innovations.models import ReviewEvent


def _message(event: ReviewEvent, language: str) -> tuple[str, str]:
    with translation.override(language):
        innovation = event.innovation
        subject = _("Your innovation “%(title)s”: %(decision)s") % {
            "title": innovation.title,
            "decision": event.get_action_display(),
        }
        lines = [
            subject,
            _("Status: %(status)s") % {"status": innovation.get_status_display()},
        ]
        if event.tier:
            lines.append(_("Incubation tier: %(tier)s") % {"tier": event.get_tier_display()})
        if event.comment:
            lines.append(_("Reviewer's comment: %(comment)s") % {"comment": event.comment})
        link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
            "innovations:detail", kwargs={"pk": innovation.pk}
        )
        lines.append(_("See it on the platform: %(link)s") % {"link": link})
        return subject, "\n".join(lines)


def review_decision_notify(*, event_id: int) -> None:
    event = ReviewEvent.objects.select_related("innovation__owner").get(pk=event_id)
    recipient = event.innovation.owner.email
    if not recipient:
        # Mobile-only workers see the decision on their "my innovations" page.
        return
    subject_zh, body_zh = _message(event, "zh-hans")
    _subject_en, body_en = _message(event, "en")
    send_mail(
        subject=subject_zh,
        message=f"{body_zh}\n\n———\n\n{body_en}",
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[recipient],
    )
