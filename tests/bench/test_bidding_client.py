"""The benchmark's load generator against a stub of the bid API: it counts what the server
answered, re-reads the minimum when refused, rotates its members' tokens, and records a bid
whose answer never came as an unknown outcome."""

import json
import random
import threading
from collections import Counter
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.bidding_client import (
    RISING_JUMP_INCREMENTS,
    RisingAmounts,
    SimulatedBidder,
    Target,
    bid_until,
    minimum_from_answer,
    next_amount,
    percentile,
    run_case,
)

LOT = 7
START = Decimal("100000.00")
STEP = Decimal("2000.00")


def flat_increment(price: Decimal) -> Decimal:
    return STEP


class StubAuction:
    """One lot: a bid at or above the minimum is accepted and moves the minimum up by two
    steps (as if a rival bid in between); every fifth bid is rate limited."""

    def __init__(self, *, minimum_in_message=True, stop_after=40, drop_request=None):
        self.minimum = START
        self.minimum_in_message = minimum_in_message
        self.stop_after = stop_after
        self.drop_request = drop_request
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.bids = 0
        self.accepted: list[tuple[str, Decimal]] = []
        self.refused = Counter()
        self.minimum_reads = 0
        self.tokens_seen = Counter()
        self.below_minimum_bids = []
        self.amounts_received: list[Decimal] = []

    def answer_bid(self, token: str, amount: Decimal) -> tuple[int, dict]:
        with self.lock:
            self.amounts_received.append(amount)
            self.bids += 1
            self.tokens_seen[token] += 1
            if self.bids >= self.stop_after:
                self.stop.set()
            if self.bids % 5 == 0:
                self.refused["rate_limited"] += 1
                return 429, {"code": "rate_limited", "message": "Too many bids."}
            if amount < self.minimum:
                self.refused["below_minimum"] += 1
                self.below_minimum_bids.append(amount)
                message = (
                    f"当前可接受的最低出价为 ¥{self.minimum:,.2f}。"
                    if self.minimum_in_message
                    else "Bid higher."
                )
                return 400, {"code": "below_minimum", "message": message}
            self.accepted.append((token, amount))
            self.minimum = amount + 3 * STEP
            return 201, {"sequence": len(self.accepted)}

    def answer_lot(self) -> tuple[int, dict]:
        with self.lock:
            self.minimum_reads += 1
            return 200, {"id": LOT, "minimum_bid": f"{self.minimum:.2f}"}


def handler_for(auction: StubAuction):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, like gunicorn's gthread workers
        disable_nagle_algorithm = True  # headers and body go in two writes

        def log_message(self, *args):
            pass

        def reply(self, status: int, body: dict) -> None:
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_POST(self):
            length = int(self.headers["Content-Length"])
            body = json.loads(self.rfile.read(length))
            token = self.headers["Authorization"].removeprefix("Bearer ")
            assert self.path == f"/api/v1/lots/{LOT}/bids"
            assert self.headers["X-Forwarded-Proto"] == "https"
            if auction.drop_request is not None and auction.bids + 1 == auction.drop_request:
                auction.bids += 1
                self.close_connection = True
                return  # no answer at all: the connection just closes
            self.reply(*auction.answer_bid(token, Decimal(body["max_amount"])))

        def do_GET(self):
            assert self.path == f"/api/v1/lots/{LOT}"
            self.reply(*auction.answer_lot())

    return Handler


@pytest.fixture
def serve():
    servers = []

    def start(auction: StubAuction) -> Target:
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(auction))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return Target("127.0.0.1", server.server_address[1])

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


BIDDER = SimulatedBidder(enterprise_id=3, tokens=((31, "wie_a"), (32, "wie_b"), (33, "wie_c")))


def bid_on_stub(auction: StubAuction, target: Target):
    return bid_until(
        auction.stop,
        target=target,
        bidder=BIDDER,
        lot_ids=[LOT],
        minimums={LOT: START},
        increment=flat_increment,
        seed=1,
        extra_increments=2,
    )


def test_the_client_counts_exactly_what_the_server_answered(serve):
    auction = StubAuction()

    tally = bid_on_stub(auction, serve(auction))

    assert [(bid.user_id, bid.max_amount) for bid in tally.accepted] == [
        ({"wie_a": 31, "wie_b": 32, "wie_c": 33}[token], amount)
        for token, amount in auction.accepted
    ]
    assert tally.refusals == auction.refused
    assert tally.refusals["below_minimum"] > 0 and tally.refusals["rate_limited"] > 0
    assert tally.unknown == []


def test_after_a_below_minimum_refusal_the_next_bid_is_at_least_the_minimum_it_named(serve):
    auction = StubAuction(stop_after=60)

    bid_on_stub(auction, serve(auction))

    # The stub raises the minimum by three steps after each acceptance while the client
    # bids at most two above what it knew: it is refused, learns, and bids high enough.
    # It is never refused twice in a row, except when a rate limit came in between.
    assert auction.refused["below_minimum"] <= len(auction.accepted) + 1
    assert auction.minimum_reads == 0


def test_without_an_amount_in_the_refusal_the_client_reads_the_lot(serve):
    auction = StubAuction(minimum_in_message=False)

    tally = bid_on_stub(auction, serve(auction))

    assert tally.minimum_reads == auction.minimum_reads == auction.refused["below_minimum"] > 0
    assert len(auction.accepted) > 1


def test_the_bidder_bids_through_each_of_its_members_in_turn(serve):
    auction = StubAuction(stop_after=30)

    bid_on_stub(auction, serve(auction))

    assert set(auction.tokens_seen) == {"wie_a", "wie_b", "wie_c"}
    assert max(auction.tokens_seen.values()) - min(auction.tokens_seen.values()) <= 1


def test_a_bid_without_an_answer_is_an_unknown_outcome_and_the_client_reconnects(serve):
    auction = StubAuction(drop_request=3, stop_after=12)

    tally = bid_on_stub(auction, serve(auction))

    assert [bid.user_id for bid in tally.unknown] == [33]
    assert len(tally.accepted) == len(auction.accepted) > 1


def test_run_case_merges_every_bidders_tally(serve):
    auction = StubAuction(stop_after=10**9)
    target = serve(auction)
    bidders = [
        SimulatedBidder(n, tokens=tuple((n * 10 + m, f"wie_{n}_{m}") for m in range(2)))
        for n in range(3)
    ]

    case = run_case(
        target=target,
        bidders=bidders,
        lot_ids=[LOT],
        minimums={LOT: START},
        increment=flat_increment,
        seconds=0.3,
    )

    assert len(case.tally.accepted) == len(auction.accepted)
    assert case.tally.refusals == auction.refused
    assert {bid.user_id // 10 for bid in case.tally.accepted} <= {0, 1, 2}


def test_rising_bidders_share_one_ladder_of_amounts_a_jump_apart(serve):
    auction = StubAuction(stop_after=10**9)
    bidders = [SimulatedBidder(n, tokens=((n, f"wie_{n}"),)) for n in range(4)]

    case = run_case(
        target=serve(auction),
        bidders=bidders,
        lot_ids=[LOT],
        minimums={LOT: START},
        increment=flat_increment,
        seconds=0.3,
        rising=True,
    )

    # Each bidder alone would bid from the same start; sharing the ladder, no two bids are
    # closer than a jump, whichever connection the server read first.
    received = sorted(auction.amounts_received)
    assert len(received) > 8
    jump = STEP * RISING_JUMP_INCREMENTS
    assert all(
        later - earlier >= jump for earlier, later in zip(received, received[1:], strict=False)
    )
    assert {bid.user_id for bid in case.tally.accepted} == {0, 1, 2, 3}


def test_a_rising_amount_jumps_from_the_last_one_or_starts_at_the_known_minimum():
    rising = RisingAmounts(flat_increment)
    jump = STEP * RISING_JUMP_INCREMENTS

    first = rising.take(LOT, START)
    second = rising.take(LOT, START)
    # A minimum learnt from a refusal above the next jump wins.
    third = rising.take(LOT, START + 10 * jump)
    other_lot = rising.take(LOT + 1, START)

    assert (first, second, third, other_lot) == (START, START + jump, START + 10 * jump, START)


def test_the_minimum_comes_from_the_field_or_from_the_message_in_either_language():
    assert minimum_from_answer({"minimum_bid": "104000.00"}) == Decimal("104000.00")
    assert minimum_from_answer({"bid": {}, "lot": {"minimum_bid": "106000.00"}}) == Decimal(
        "106000.00"
    )
    assert minimum_from_answer({"message": "The lowest bid accepted now is ¥1,234,000.00."}) == (
        Decimal("1234000.00")
    )
    assert minimum_from_answer({"message": "当前可接受的最低出价为 ¥102,000.00。"}) == Decimal(
        "102000.00"
    )
    assert minimum_from_answer({"message": "Bid higher."}) is None


def test_a_bid_is_at_least_the_minimum_and_above_the_bidders_own_maximum():
    rng = random.Random(5)  # noqa: S311 - a load pattern, not a secret
    for _ in range(50):
        amount = next_amount(
            known_minimum=Decimal("104000.00"),
            own_maximum=Decimal("110000.00"),
            increment=flat_increment,
            rng=rng,
            extra_increments=2,
        )
        assert amount in {Decimal("112000.00"), Decimal("114000.00"), Decimal("116000.00")}
    first = next_amount(
        known_minimum=START, own_maximum=None, increment=flat_increment, rng=rng, extra_increments=0
    )
    assert first == START


def test_percentiles_are_nearest_rank():
    values = [float(n) for n in range(1, 101)]  # 1..100
    assert (percentile(values, 50), percentile(values, 95), percentile(values, 99)) == (
        50.0,
        95.0,
        99.0,
    )
    assert percentile([3.0], 99) == 3.0
    assert percentile([], 50) is None
