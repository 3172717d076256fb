from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from innovations.choices import ReviewAction, Status, Tier


class ReviewEvent(models.Model):
    """One entry in an innovation's review history: who did what, when, and why.

    Append-only: created by innovations.services.review and never changed or deleted.
    """

    innovation = models.ForeignKey(
        "innovations.Innovation",
        verbose_name=_("innovation"),
        on_delete=models.CASCADE,
        related_name="review_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=ReviewAction.choices)
    from_status = models.CharField(_("from status"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("to status"), max_length=20, choices=Status.choices)
    comment = models.TextField(_("comment"), blank=True)
    tier = models.CharField(_("incubation tier"), max_length=20, choices=Tier.choices, blank=True)
    is_excellent = models.BooleanField(_("excellent project"), default=False)
    is_high_value_patent = models.BooleanField(_("high-value patent"), default=False)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("review event")
        verbose_name_plural = _("review history")

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.innovation}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Review history is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Review history is append-only.")
