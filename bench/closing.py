"""Time lots_close_due closing a session of 2,000 due lots on the configured database.

Not a test: it prints figures. Run it against PostgreSQL with DEBUG off (see bench/README.md):

    DJANGO_SETTINGS_MODULE=config.settings.dev DEBUG=false \\
    DATABASE_URL=postgres://root@127.0.0.1:5432/wie_bench \\
    .venv/bin/python bench/closing.py --lots 2000

Each run makes its data afresh with bulk_create: an open session of its own (spring 2098, so
it never meets a real one or the catalogue bench's autumn 2099) whose lots all closed in the
last hour, 20 bidding enterprises with one member each, and one union staff member. Two lots in
three have bids (two to four stored bids each, from different bidders); one in five of those
has a reserve above the leader's maximum and passes; the others sell. Then it times
lots_close_due over all of them — one transaction per lot, the result emails built and handed
to Django's in-memory mail backend after each commit — in one worker, or in N threads at once
(--workers N, each with its own connection). The data is deleted afterwards (--keep keeps it).
"""

import argparse
import os
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core import mail  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.choices import Role, VerificationStatus  # noqa: E402
from accounts.models import Enterprise, User  # noqa: E402
from accounts.services.roles import user_assign_role  # noqa: E402
from marketplace.choices import LotStatus, RightType, Season, SessionStatus  # noqa: E402
from marketplace.models import (  # noqa: E402
    AuctionSession,
    Bid,
    BidderRegistration,
    Lot,
    Sale,
    Settlement,
)
from marketplace.services import closing  # noqa: E402
from marketplace.services.closing import lots_close_due  # noqa: E402

BENCH_YEAR = 2098
BENCH_SEASON = Season.SPRING
BENCH_PREFIX = "bench-closing"
BENCH_ENTERPRISE_PREFIX = "结拍性能测试企业"
BIDDERS = 20
BATCH = 1000


def bench_session() -> AuctionSession | None:
    return AuctionSession.objects.filter(year=BENCH_YEAR, season=BENCH_SEASON).first()


@transaction.atomic
def reset() -> None:
    session = bench_session()
    if session is not None:
        lots = Lot.objects.filter(session=session)
        # Closing opens a settlement per sale (no deposit is paid here, so no ledger postings);
        # its goal-report summary row goes with it.
        Settlement.objects.filter(lot__in=lots).delete()
        Sale.objects.filter(lot__in=lots).delete()
        Bid.objects.filter(lot__in=lots).purge()
        BidderRegistration.objects.filter(session=session).delete()
        lots.delete()
        session.delete()
    User.objects.filter(username__startswith=BENCH_PREFIX).delete()
    Enterprise.objects.filter(name__startswith=BENCH_ENTERPRISE_PREFIX).delete()


@transaction.atomic
def make_data(lot_count: int, now: datetime) -> AuctionSession:
    session = AuctionSession.objects.create(
        name="结拍性能测试拍卖会",
        year=BENCH_YEAR,
        season=BENCH_SEASON,
        preview_start=now - timedelta(days=3),
        bidding_start=now - timedelta(days=2),
        first_lot_closes_at=now - timedelta(hours=1),
        status=SessionStatus.OPEN,
    )
    bidders = Enterprise.objects.bulk_create(
        Enterprise(
            name=f"{BENCH_ENTERPRISE_PREFIX}{n:02d}有限公司",
            verification_status=VerificationStatus.VERIFIED,
        )
        for n in range(BIDDERS)
    )
    members = User.objects.bulk_create(
        User(
            username=f"{BENCH_PREFIX}-{n:02d}",
            email=f"{BENCH_PREFIX}-{n:02d}@example.com",
            enterprise=enterprise,
        )
        for n, enterprise in enumerate(bidders)
    )
    staff = User.objects.create(username=f"{BENCH_PREFIX}-staff", email="staff@example.com")
    user_assign_role(user=staff, role=Role.UNION_STAFF)
    registrations = BidderRegistration.objects.bulk_create(
        BidderRegistration(session=session, enterprise=enterprise, paddle=n + 1)
        for n, enterprise in enumerate(bidders)
    )
    interval = timedelta(hours=1) / lot_count
    starting = Decimal("100000.00")
    for start in range(0, lot_count, BATCH):
        numbers = range(start + 1, min(start + BATCH, lot_count) + 1)
        lots, bids_by_number = [], {}
        for n in numbers:
            closes_at = session.first_lot_closes_at + interval * (n - 1)
            bid_count = 0 if n % 3 == 0 else 2 + n % 3
            lot = Lot(
                session=session,
                number=n,
                title=f"结拍性能测试拍品{n:05d}",
                right_type=RightType.EXCLUSIVE_LICENCE,
                licence_term_years=5,
                starting_price=starting,
                deposit_amount=Decimal("10000.00"),
                known_limitations="无",
                status=LotStatus.PUBLISHED,
                scheduled_close_at=closes_at,
                closes_at=closes_at,
            )
            if bid_count:
                # Bidders k, k+1, … each raising by ¥10,000; the last one leads.
                paddles = [(n + k) % BIDDERS for k in range(bid_count)]
                maxima = [starting + 10000 * k for k in range(bid_count)]
                lot.leader = bidders[paddles[-1]]
                lot.leader_max, lot.runner_up_max = maxima[-1], maxima[-2]
                lot.current_price = maxima[-2] + 2000
                lot.bid_count = bid_count
                if n % 5 == 0:
                    lot.reserve_price = maxima[-1] + 50000
                bids_by_number[n] = list(zip(paddles, maxima, strict=True))
            lots.append(lot)
        lots = Lot.objects.bulk_create(lots)
        Bid.objects.bulk_create(
            Bid(
                lot=lot,
                sequence=sequence,
                registration=registrations[paddle],
                user=members[paddle],
                max_amount=maximum,
                price_after=maximum,
                leading_after=sequence == len(bids_by_number[lot.number]),
                created_at=lot.closes_at - timedelta(minutes=10),
            )
            for lot in lots
            if lot.number in bids_by_number
            for sequence, (paddle, maximum) in enumerate(bids_by_number[lot.number], start=1)
        )
    return session


def time_the_emails() -> list[float]:
    """Wrap the run's email batch to time it apart from the closing itself."""
    seconds: list[float] = []
    notify = closing.lots_close_notify

    def timed(**kwargs):
        started = time.perf_counter()
        try:
            return notify(**kwargs)
        finally:
            seconds.append(time.perf_counter() - started)

    closing.lots_close_notify = timed
    return seconds


def close_in_threads(workers: int, now: datetime, limit: int) -> list[dict]:
    results: list = [None] * workers
    start = threading.Barrier(workers)

    def run(index: int) -> None:
        try:
            start.wait(timeout=10)
            results[index] = lots_close_due(now=now, limit=limit)
        except Exception as error:  # noqa: BLE001 - printed below
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lots", type=int, default=2000, help="due lots in the bench session")
    parser.add_argument(
        "--workers", type=int, default=1, help="lots_close_due calls running at once"
    )
    parser.add_argument("--keep", action="store_true", help="keep the closed lots afterwards")
    options = parser.parse_args()

    if settings.DEBUG:
        print("warning: DEBUG is on; set DEBUG=false for meaningful timings", file=sys.stderr)
    reset()
    now = timezone.now().astimezone(UTC)
    print(f"making {options.lots} due lots")
    started = time.perf_counter()
    session = make_data(options.lots, now)
    print(f"  made in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        mail.outbox = []
        email_seconds = time_the_emails()
        limit = options.lots + 1
        started = time.perf_counter()
        if options.workers == 1:
            results = [lots_close_due(now=now, limit=limit)]
        else:
            results = close_in_threads(options.workers, now, limit)
        seconds = time.perf_counter() - started
        emails = len(mail.outbox)

    failures = [result for result in results if not isinstance(result, dict)]
    if failures:
        raise SystemExit(f"a worker failed: {failures[0]!r}")
    sold = sum(result["sold"] for result in results)
    passed = sum(result["passed"] for result in results)
    still_open = Lot.objects.filter(session=session, status=LotStatus.PUBLISHED).count()
    session.refresh_from_db()
    print(
        f"\n{connection.vendor} {connection.settings_dict['NAME']}, DEBUG={settings.DEBUG}, "
        f"{options.workers} worker(s)"
    )
    print(f"closed {sold + passed} lots ({sold} sold, {passed} passed) in {seconds:.2f} s")
    print(f"{(sold + passed) / seconds:.0f} lots/s")
    print(f"of which {sum(email_seconds):.2f} s building {emails} emails (in-memory backend)")
    print(f"per worker: {results}; still published: {still_open}; session {session.status}")
    if not options.keep:
        reset()


if __name__ == "__main__":
    main()
