"""The pgbench part of the bidding benchmark: its command, its output, and (on PostgreSQL) that
the project's hot-row script does what a bid must, so its figure is a fair ceiling."""

import subprocess

import pytest
from django.db import connection

from bench.hotrow import hotrow_tps, parse_pgbench_output, pgbench_command

WHERE = {"host": "127.0.0.1", "port": 5432, "user": "root", "database": "wie_bench"}

PGBENCH_OUTPUT = """\
transaction type: bench/hotrow_bid.sql
scaling factor: 1
query mode: simple
number of clients: 32
number of threads: 2
maximum number of tries: 1
duration: 10 s
number of transactions actually processed: 9712
number of failed transactions: 0 (0.000%)
latency average = 32.958 ms
initial connection time = 21.012 ms
tps = 970.931422 (without initial connection time)
"""


def test_pgbench_output_gives_tps_and_mean_latency():
    result = parse_pgbench_output(PGBENCH_OUTPUT, clients=32, lots=1)

    assert (result.tps, result.latency_ms) == (970.931422, 32.958)


def test_pgbench_output_without_a_tps_line_is_an_error():
    with pytest.raises(ValueError, match="no tps"):
        parse_pgbench_output("pgbench: error: connection refused", clients=1, lots=1)


def test_pgbench_gets_the_script_the_lot_count_and_at_most_as_many_threads_as_clients():
    one = pgbench_command(clients=1, lots=1, seconds=10, **WHERE)
    many = pgbench_command(clients=64, lots=100, seconds=5, **WHERE)

    assert one[one.index("-j") + 1] == "1"
    assert many[many.index("-j") + 1] == "2"
    assert many[many.index("-D") + 1] == "lots=100"
    assert many[many.index("-c") + 1] == "64"
    assert many[many.index("-T") + 1] == "5"
    assert many[-1] == "wie_bench"


def test_more_lots_than_the_schema_makes_are_refused():
    with pytest.raises(ValueError):
        pgbench_command(clients=1, lots=1001, seconds=1, **WHERE)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pgbench measures PostgreSQL; run with DATABASE_URL=postgres://… to test its script.",
)
@pytest.mark.django_db
def test_the_hot_row_script_numbers_concurrent_bids_without_gaps_or_lost_updates():
    settings = connection.settings_dict
    where = {
        "host": settings["HOST"],
        "port": int(settings["PORT"] or 5432),
        "user": settings["USER"],
        "database": settings["NAME"],
    }
    psql = ["psql", "-h", where["host"], "-p", str(where["port"]), "-U", where["user"]]
    try:
        result = hotrow_tps(clients=4, lots=1, seconds=1, **where)
        counts = subprocess.run(  # noqa: S603 - fixed program
            [
                *psql,
                "-Atc",
                "SELECT l.bid_count, count(b.id), min(b.sequence), max(b.sequence), "
                "count(DISTINCT b.sequence), l.current_price = max(b.price_after) "
                "FROM hotrow_lot l JOIN hotrow_bid b ON b.lot_id = l.id "
                "WHERE l.id = 1 GROUP BY l.id",
                where["database"],
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    finally:
        subprocess.run(  # noqa: S603 - fixed program
            [*psql, "-qc", "DROP TABLE IF EXISTS hotrow_bid, hotrow_lot", where["database"]],
            check=True,
            capture_output=True,
        )

    bid_count, stored, first, last, distinct, price_matches = counts.split("|")
    assert result.tps > 0
    assert int(bid_count) == int(stored) == int(last) == int(distinct) > 0
    assert (first, price_matches) == ("1", "t")
