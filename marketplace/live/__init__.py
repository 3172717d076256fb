"""The live part of a lot's page (price, leader's paddle, history, countdown, the bidder's own
status), served to many watchers at little cost.

- `head`: the lot's head (version and the few fields that decide what the live part shows),
  kept in the shared cache. Bidding and closing announce a new head after they commit; a miss
  costs one query.
- `phase`: open, closed, sold… from the head and the clock, so "open" turns into "closed" when
  the closing time passes even though nothing was written.
- `fragment`: the public part, rendered once per (lot, head, phase, language) and cached; the
  bidder's own status, looked up per enterprise and never stored in the shared entry; the ETag.

This package imports no service at import time: bidding and closing import `head`.
"""
