"""An agreement's status history: one row per status change, never edited or deleted.

Written only by licensing.services.agreements.agreement_transition, in the transaction that
changes the status, so the history and the status cannot disagree. `actor` is empty when the
platform made the change itself (an agreement whose term ran out).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from licensing.choices import AgreementStatus


class AgreementEvent(models.Model):
    agreement = models.ForeignKey(
        "licensing.Agreement",
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    from_status = models.CharField(_("from status"), max_length=20, choices=AgreementStatus.choices)
    to_status = models.CharField(_("to status"), max_length=20, choices=AgreementStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("agreement status change")
        verbose_name_plural = _("agreement status changes")
        indexes = [models.Index(fields=["agreement", "at"], name="agreement_event_at")]

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.from_status} → {self.to_status}"

    def save(self, *args, **kwargs):
        # History is appended, never rewritten.
        if not self._state.adding:
            raise ValueError("An agreement status change is never edited.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("An agreement status change is never deleted.")

    @property
    def reason_shown(self) -> str:
        """The reason staff gave, or, for the platform's own expiry, that the term ended, in
        the reader's language."""
        if self.reason:
            return self.reason
        if self.actor_id is None and self.to_status == AgreementStatus.EXPIRED:
            return gettext("The term ended.")
        return ""
