-- One accepted bid, and nothing else: lock the lot row, update its live bidding columns
-- (soft close in the same UPDATE), append the bid, commit. This is the least any correct bid
-- path must do while holding the row lock; pgbench runs it to measure what PostgreSQL alone
-- allows on this machine. Variables: -D lots=1 (one hot lot) or -D lots=100 (spread).
\set lot random(1, :lots)
\set bidder random(1, 64)
BEGIN;
SELECT current_price + 2000.00 AS price, bid_count + 1 AS sequence
  FROM hotrow_lot WHERE id = :lot FOR UPDATE \gset
UPDATE hotrow_lot
   SET current_price = :price,
       leader_id = :bidder,
       leader_max = :price,
       runner_up_max = :price - 2000.00,
       bid_count = :sequence,
       version = version + 1,
       closes_at = GREATEST(closes_at, now() + interval '5 minutes'),
       updated_at = now()
 WHERE id = :lot;
INSERT INTO hotrow_bid
       (lot_id, sequence, registration_id, user_id, max_amount, price_after, leading_after,
        created_at)
VALUES (:lot, :sequence, :bidder, :bidder, :price, :price, true, now());
COMMIT;
