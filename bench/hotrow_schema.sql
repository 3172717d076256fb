-- The database's own ceiling for a bid: two tables of the bench's own, shaped like the live
-- bidding columns of marketplace_lot and the row marketplace_bid appends, with the same
-- constraints that a bid's INSERT has to check. Loaded by bench/hotrow.py into the bench
-- database before pgbench runs bench/hotrow_bid.sql.
DROP TABLE IF EXISTS hotrow_bid;
DROP TABLE IF EXISTS hotrow_lot;

CREATE TABLE hotrow_lot (
    id            bigint PRIMARY KEY,
    current_price numeric(14, 2),
    leader_id     bigint,
    leader_max    numeric(14, 2),
    runner_up_max numeric(14, 2),
    bid_count     integer NOT NULL DEFAULT 0 CHECK (bid_count >= 0),
    version       integer NOT NULL DEFAULT 0 CHECK (version >= 0),
    closes_at     timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);

CREATE TABLE hotrow_bid (
    id              bigserial PRIMARY KEY,
    lot_id          bigint NOT NULL REFERENCES hotrow_lot (id) DEFERRABLE INITIALLY DEFERRED,
    sequence        integer NOT NULL CHECK (sequence >= 0),
    registration_id bigint NOT NULL,
    user_id         bigint NOT NULL,
    max_amount      numeric(14, 2) NOT NULL CHECK (max_amount > 0),
    price_after     numeric(14, 2) NOT NULL,
    leading_after   boolean NOT NULL,
    created_at      timestamptz NOT NULL,
    CONSTRAINT hotrow_bid_sequence_per_lot UNIQUE (lot_id, sequence)
);
CREATE INDEX hotrow_bid_lot ON hotrow_bid (lot_id);

-- Lot 1 is the hot lot; the spread cases bid on lots 1..:lots (at most 1,000).
INSERT INTO hotrow_lot (id, current_price, closes_at, updated_at)
SELECT n, 100000.00, now() + interval '1 day', now() FROM generate_series(1, 1000) AS n;
