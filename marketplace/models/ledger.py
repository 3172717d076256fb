"""Append-only double-entry ledger in fen. Written only by marketplace.services.ledger.

Posted transactions and entries are never updated or deleted; a mistake is corrected by a
reversing transaction. The ORM refuses changes here on every database: entries are never
saved one by one (ledger_post bulk-creates them with their transaction), a transaction is
saved only when new, neither is deleted, and their QuerySets refuse update/bulk_update/delete.
On PostgreSQL, triggers from migration 0002_ledger_append_only also refuse raw SQL changes and
check at commit that each transaction has entries summing to zero.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.exceptions import MarketplaceError
from marketplace.models.append_only import AppendOnlyQuerySet


class LedgerImmutableError(MarketplaceError):
    code = "ledger_immutable"
    default_message = _(
        "Posted ledger entries cannot be changed or deleted; post a reversing transaction instead."
    )


class LedgerQuerySet(AppendOnlyQuerySet):
    immutable_error = LedgerImmutableError


class LedgerAccount(models.Model):
    """An account such as "deposits held for enterprise 12" or "union transformation fund"."""

    code = models.CharField(_("code"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)
    enterprise = models.ForeignKey(
        "accounts.Enterprise", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")

    def __str__(self) -> str:
        return self.code


class LedgerTransaction(models.Model):
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    description = models.CharField(_("description"), max_length=300)
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True, db_index=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("ledger transaction")
        verbose_name_plural = _("ledger transactions")

    def __str__(self) -> str:
        return self.idempotency_key

    def save(self, **kwargs):
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise LedgerImmutableError()
        # A new instance given an existing primary key would otherwise UPDATE that row.
        kwargs["force_insert"] = True
        super().save(**kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerImmutableError()


class LedgerEntry(models.Model):
    """One posting: a positive amount debits the account, a negative one credits it."""

    transaction = models.ForeignKey(
        LedgerTransaction, on_delete=models.PROTECT, related_name="entries"
    )
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="entries")
    amount_fen = models.BigIntegerField()

    objects = LedgerQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount_fen=0), name="ledger_entry_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.amount_fen:+d} fen"

    def save(self, **kwargs):
        # Entries are written only by ledger_post, in bulk and together with their transaction,
        # after it has checked that they balance.
        raise LedgerImmutableError()

    def delete(self, *args, **kwargs):
        raise LedgerImmutableError()
