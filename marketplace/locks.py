"""Row locks for the marketplace, in one place so every service takes them in the same order:
session before lot before deposit before ledger account (several rows: by primary key).

On SQLite select_for_update() is a no-op; the IMMEDIATE transaction mode set in
config/settings/environment.py serialises writers instead.
"""

from marketplace.models import AuctionSession, Lot


def lock_session(session: AuctionSession) -> AuctionSession:
    return AuctionSession.objects.select_for_update().get(pk=session.pk)


def lock_lot(lot: Lot) -> Lot:
    """The lot row, locked, with its session loaded (not locked)."""
    return Lot.objects.select_related("session").select_for_update(of=("self",)).get(pk=lot.pk)


def lock_lot_id(lot_id: int, *, skip_locked: bool = False) -> Lot | None:
    """Like lock_lot, by id; None if absent or, with `skip_locked`, held by another
    transaction (a second closing worker passes over lots the first is closing)."""
    return (
        Lot.objects.select_related("session")
        .select_for_update(of=("self",), skip_locked=skip_locked)
        .filter(pk=lot_id)
        .first()
    )
