"""The live part of a lot's page for one viewer: the shared public part from the cache, the
viewer's own status beside it, and the ETag that names both.

Cache entries, all in Django's default cache:
- the head, by lot (marketplace.live.head);
- the public HTML, by lot, head fingerprint, phase and language. It is the same for everyone,
  so it holds nothing personal;
- the viewer's own maximum, by lot, head fingerprint and enterprise. It is only ever read back
  for a member of that enterprise.
A watcher whose ETag is still current gets a 304 from the head and the own entry alone; a new
head costs the first watcher to ask two queries for the public part (and one per enterprise
for its own maximum); everyone after them reads the cache.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from marketplace import live_queries
from marketplace.live.head import NOT_SHOWN, LotHead, cached_head, head_from_row, head_remember
from marketplace.live.phase import BIDDING_PHASES, FINAL_PHASES, LivePhase

# Entries are keyed by the head's fingerprint, so a new bid never reads an old entry; the
# timeout only frees the memory of states nobody asks for any more.
ENTRY_TIMEOUT = 300
PUBLIC_KEY = "lot-live:public:v1:{lot_id}:{fingerprint}:{phase}:{language}"
OWN_KEY = "lot-live:own:v1:{lot_id}:{fingerprint}:{enterprise_id}"
NO_BID = "none"
PUBLIC_TEMPLATE = "marketplace/live/lot_public.html"


def lot_head(lot_id: int, *, fresh: bool = False) -> LotHead | None:
    """The lot's head from the cache, or one query on a miss; None if the lot is not shown.

    `fresh` reads the database whatever the cache holds: the full page does, since it costs
    queries anyway and a first look should be exact.
    """
    if not fresh:
        cached = cached_head(lot_id)
        if cached == NOT_SHOWN:
            return None
        if cached is not None:
            return cached
    row = live_queries.lot_head_row(lot_id)
    head = None if row is None else head_from_row(lot_id, row)
    head_remember(lot_id, head)
    return head


@dataclass(frozen=True)
class OwnStatus:
    """Shown to the members of an enterprise that has bid on the lot, and to nobody else."""

    leading: bool
    maximum: Decimal


def own_status(head: LotHead, user) -> OwnStatus | None:
    enterprise_id = user.enterprise_id if user.is_authenticated else None
    if enterprise_id is None:
        return None
    key = OWN_KEY.format(
        lot_id=head.lot_id, fingerprint=head.fingerprint, enterprise_id=enterprise_id
    )
    stored = cache.get(key)
    if stored is None:
        maximum = live_queries.enterprise_maximum(lot_id=head.lot_id, enterprise_id=enterprise_id)
        stored = NO_BID if maximum is None else f"{maximum:.2f}"
        cache.set(key, stored, ENTRY_TIMEOUT)
    if stored == NO_BID:
        return None
    return OwnStatus(leading=head.leader_id == enterprise_id, maximum=Decimal(stored))


def public_html(head: LotHead, phase: LivePhase) -> SafeString:
    """The public live part in the active language, rendered at most once per key."""
    key = PUBLIC_KEY.format(
        lot_id=head.lot_id,
        fingerprint=head.fingerprint,
        phase=phase.value,
        language=translation.get_language(),
    )
    html = cache.get(key)
    if html is None:
        facts = live_queries.lot_live_facts(head.lot_id)
        html = render_to_string(
            PUBLIC_TEMPLATE,
            {
                "facts": facts,
                "phase": phase,
                "bidding": phase in BIDDING_PHASES,
                "final": phase in FINAL_PHASES,
            },
        )
        cache.set(key, str(html), ENTRY_TIMEOUT)
    # Our own template's output, stored as text.
    return mark_safe(html)  # noqa: S308


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


@dataclass(frozen=True)
class LiveLot:
    """One viewer's live part of one lot at one moment."""

    head: LotHead
    phase: LivePhase
    own: OwnStatus | None

    @property
    def etag(self) -> str:
        """Weak: the countdown's words ("closes in 3 minutes") age without a new ETag, and the
        page's script redraws them every second anyway. The own part is a digest, so the
        header never spells out a maximum."""
        own = "-" if self.own is None else _digest(f"{self.own.leading}:{self.own.maximum:.2f}")
        return (
            f'W/"{self.head.lot_id}-{self.head.fingerprint}-{self.phase.value}'
            f'-{translation.get_language()}-{own}"'
        )

    @property
    def polling(self) -> bool:
        return self.phase not in FINAL_PHASES

    @property
    def bidding(self) -> bool:
        return self.phase in BIDDING_PHASES

    def context(self) -> dict:
        """For marketplace/live/lot_live.html; renders (or reads) the public part."""
        return {"live": self, "public_html": public_html(self.head, self.phase)}


def live_lot(
    lot_id: int, *, user, now: datetime | None = None, fresh: bool = False
) -> LiveLot | None:
    """None if the lot is not shown to the public."""
    head = lot_head(lot_id, fresh=fresh)
    if head is None:
        return None
    return LiveLot(head=head, phase=head.phase(now or timezone.now()), own=own_status(head, user))
