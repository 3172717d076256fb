"""The load generator of bench/bidding.py: simulated bidders posting bids through the API.

Standard library only, so it stays light next to the server it loads: one thread per simulated
bidder, each with its own keep-alive HTTP connection (reopened when the server closes it, as
gunicorn's sync workers do after every response).

A simulated bidder is one enterprise bidding through several of its members' API tokens in
turn, so that the per-user rate limit (5 bids a second) does not cap a fast bidder. It bids
like a person with a proxy maximum would: at least the minimum it last knew of, above its own
maximum if it has one, plus 0 to `extra_increments` increments at random (people bid their
own maxima, not all the same amount). When refused as below the minimum it re-reads the
minimum (from the refusal, or from the lot) and bids again.

With `rising` (RisingAmounts) every bid is instead above every bid sent before it on its lot,
by RISING_JUMP_INCREMENTS increments, and bids leave the client in the order of
their amounts: the load a perfect price feed would give, in which no bid is aimed at a
minimum that has already moved. What it still loses is only what the server's order of
judging concurrent requests loses (see bench/README.md).
"""

import http.client
import itertools
import json
import random
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from math import ceil

BIDS_PATH = "/api/v1/lots/{lot_id}/bids"
LOT_PATH = "/api/v1/lots/{lot_id}"
# "¥123,456.00" inside a refusal's message, whatever the language.
AMOUNT_IN_MESSAGE = re.compile(r"¥\s?([0-9][0-9,]*(?:\.[0-9]{1,2})?)")
TWO_PLACES = Decimal("0.01")
# With every bidder on exactly the minimum, each acceptance would void all the other bids
# in flight; a spread keeps most bids valid, as with real maxima.
DEFAULT_EXTRA_INCREMENTS = 4
# Two increments above the runner-up is the least a bid overtaken by one higher bid still
# needs (its price is runner-up + increment); one more for a band edge in between.
RISING_JUMP_INCREMENTS = 3


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    # The load balancer's TLS header: production settings redirect plain HTTP otherwise.
    forwarded_proto: str = "https"


@dataclass(frozen=True)
class SimulatedBidder:
    enterprise_id: int
    # (user id, raw API token) of each member this bidder bids through, used in turn.
    tokens: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class AcceptedBid:
    lot_id: int
    user_id: int
    max_amount: Decimal
    latency: float


@dataclass(frozen=True)
class UnknownOutcome:
    """A bid sent whose answer never came (connection lost): it may or may not be stored."""

    lot_id: int
    user_id: int
    max_amount: Decimal
    error: str


@dataclass
class Tally:
    accepted: list[AcceptedBid] = field(default_factory=list)
    refusals: Counter = field(default_factory=Counter)
    unknown: list[UnknownOutcome] = field(default_factory=list)
    minimum_reads: int = 0

    def merge(self, other: "Tally") -> None:
        self.accepted.extend(other.accepted)
        self.refusals.update(other.refusals)
        self.unknown.extend(other.unknown)
        self.minimum_reads += other.minimum_reads

    @property
    def requests(self) -> int:
        answered = len(self.accepted) + sum(self.refusals.values())
        return answered + len(self.unknown) + self.minimum_reads


def percentile(values: Sequence[float], percent: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least `percent`% of values <= it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


def money(raw) -> Decimal | None:
    try:
        amount = Decimal(str(raw).replace(",", ""))
    except (InvalidOperation, ValueError):
        return None
    return amount.quantize(TWO_PLACES) if amount.is_finite() else None


def minimum_from_answer(body: dict) -> Decimal | None:
    """The minimum an answer carries: `minimum_bid` in it or in its `lot` (an accepted bid's
    answer), else the ¥ amount in a refusal's message."""
    for fields in (body, body.get("lot")):
        if isinstance(fields, dict) and fields.get("minimum_bid") is not None:
            return money(fields["minimum_bid"])
    found = AMOUNT_IN_MESSAGE.search(str(body.get("message", "")))
    return money(found.group(1)) if found else None


def next_amount(
    *,
    known_minimum: Decimal,
    own_maximum: Decimal | None,
    increment: Callable[[Decimal], Decimal],
    rng: random.Random,
    extra_increments: int = DEFAULT_EXTRA_INCREMENTS,
) -> Decimal:
    """At least the known minimum, above the bidder's own maximum, plus 0 to
    `extra_increments` increments."""
    floor = known_minimum
    if own_maximum is not None:
        floor = max(floor, own_maximum + increment(own_maximum))
    return floor + increment(floor) * rng.randrange(extra_increments + 1)


class RisingAmounts:
    """Amounts shared by every bidder of a case, each above all earlier ones, handed out
    under a lock that the bidder holds until its request is sent."""

    def __init__(self, increment: Callable[[Decimal], Decimal]):
        self.increment = increment
        self.lock = threading.Lock()
        self.last: dict[int, Decimal] = {}

    def take(self, lot_id: int, known_minimum: Decimal) -> Decimal:
        """The next amount for `lot_id`; call it holding `lock`."""
        last = self.last.get(lot_id)
        amount = known_minimum
        if last is not None:
            amount = max(amount, last + self.increment(last) * RISING_JUMP_INCREMENTS)
        self.last[lot_id] = amount
        return amount


class ApiConnection:
    """One keep-alive connection; http.client reopens it after a `Connection: close`."""

    def __init__(self, target: Target, timeout: float = 30):
        self.target = target
        self.connection = http.client.HTTPConnection(target.host, target.port, timeout=timeout)

    def call(self, method: str, path: str, token: str, payload: dict | None = None):
        self.send(method, path, token, payload)
        return self.receive()

    def send(self, method: str, path: str, token: str, payload: dict | None = None) -> None:
        headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            "X-Forwarded-Proto": self.target.forwarded_proto,
        }
        body = None
        if payload is not None:
            body = json.dumps(payload)
            headers["Content-Type"] = "application/json"
        try:
            self.connection.request(method, path, body=body, headers=headers)
        except (OSError, http.client.HTTPException):
            self.connection.close()
            raise

    def receive(self) -> tuple[int, dict]:
        try:
            response = self.connection.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            raise
        try:
            answer = json.loads(raw, parse_float=Decimal) if raw else {}
        except ValueError:
            answer = {}
        return response.status, answer if isinstance(answer, dict) else {}

    def close(self) -> None:
        self.connection.close()


def bid_until(
    stop: threading.Event,
    *,
    target: Target,
    bidder: SimulatedBidder,
    lot_ids: Sequence[int],
    minimums: dict[int, Decimal],
    increment: Callable[[Decimal], Decimal],
    seed: int,
    extra_increments: int = DEFAULT_EXTRA_INCREMENTS,
    rising: RisingAmounts | None = None,
) -> Tally:
    """Bid on `lot_ids` (a random one each time) until `stop` is set; return what happened.

    Amounts as a person with a proxy maximum bids (next_amount), or from `rising`."""
    rng = random.Random(seed)  # noqa: S311 - load pattern, not secrets
    known_minimum = dict(minimums)
    own_maximum: dict[int, Decimal] = {}
    members = itertools.cycle(bidder.tokens)
    tally = Tally()
    api = ApiConnection(target)
    try:
        while not stop.is_set():
            lot_id = lot_ids[0] if len(lot_ids) == 1 else rng.choice(lot_ids)
            user_id, token = next(members)
            started = time.perf_counter()
            try:
                if rising is None:
                    amount = next_amount(
                        known_minimum=known_minimum[lot_id],
                        own_maximum=own_maximum.get(lot_id),
                        increment=increment,
                        rng=rng,
                        extra_increments=extra_increments,
                    )
                    api.send(*bid_request(lot_id, token, amount))
                else:
                    with rising.lock:
                        amount = rising.take(lot_id, known_minimum[lot_id])
                        api.send(*bid_request(lot_id, token, amount))
                status, answer = api.receive()
            except (OSError, http.client.HTTPException) as error:
                tally.unknown.append(UnknownOutcome(lot_id, user_id, amount, repr(error)))
                continue
            latency = time.perf_counter() - started
            if status == 201:
                tally.accepted.append(AcceptedBid(lot_id, user_id, amount, latency))
                own_maximum[lot_id] = amount
                after = minimum_from_answer(answer)
                if after is not None:
                    known_minimum[lot_id] = after
                continue
            code = answer.get("code") or f"http_{status}"
            tally.refusals[code] += 1
            if code == "below_minimum":
                minimum = minimum_from_answer(answer)
                if minimum is None:
                    minimum = read_minimum(api, lot_id, token, tally)
                if minimum is not None:
                    known_minimum[lot_id] = minimum
    finally:
        api.close()
    return tally


def bid_request(lot_id: int, token: str, amount: Decimal) -> tuple:
    return "POST", BIDS_PATH.format(lot_id=lot_id), token, {"max_amount": f"{amount:.2f}"}


def read_minimum(api: ApiConnection, lot_id: int, token: str, tally: Tally) -> Decimal | None:
    tally.minimum_reads += 1
    try:
        status, answer = api.call("GET", LOT_PATH.format(lot_id=lot_id), token)
    except (OSError, http.client.HTTPException):
        return None
    return money(answer.get("minimum_bid")) if status == 200 else None


@dataclass
class CaseRun:
    tally: Tally
    wall_seconds: float
    client_cpu_seconds: float


def run_case(
    *,
    target: Target,
    bidders: Sequence[SimulatedBidder],
    lot_ids: Sequence[int],
    minimums: dict[int, Decimal],
    increment: Callable[[Decimal], Decimal],
    seconds: float,
    seed: int = 0,
    extra_increments: int = DEFAULT_EXTRA_INCREMENTS,
    rising: bool = False,
) -> CaseRun:
    """All `bidders` at once, each in its own thread, for `seconds`; then wait for the bids in
    flight to be answered."""
    stop = threading.Event()
    tallies: list[Tally] = [Tally() for _ in bidders]
    shared_amounts = RisingAmounts(increment) if rising else None

    def bid(index: int, bidder: SimulatedBidder) -> None:
        tallies[index] = bid_until(
            stop,
            target=target,
            bidder=bidder,
            lot_ids=lot_ids,
            minimums=minimums,
            increment=increment,
            seed=seed * 10_000 + index,
            extra_increments=extra_increments,
            rising=shared_amounts,
        )

    threads = [
        threading.Thread(target=bid, args=(index, bidder), daemon=True)
        for index, bidder in enumerate(bidders)
    ]
    cpu_before, started = time.process_time(), time.monotonic()
    for thread in threads:
        thread.start()
    try:
        stop.wait(seconds)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    wall, cpu = time.monotonic() - started, time.process_time() - cpu_before
    total = Tally()
    for tally in tallies:
        total.merge(tally)
    return CaseRun(tally=total, wall_seconds=wall, client_cpu_seconds=cpu)
