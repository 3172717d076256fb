"""Time the public auction catalogue against a database holding 10,000 lots.

Not a test: it prints figures. Run it against PostgreSQL with DEBUG off (see bench/README.md):

    DJANGO_SETTINGS_MODULE=config.settings.dev DEBUG=false \\
    DATABASE_URL=postgres://root@127.0.0.1:5432/wie_bench \\
    .venv/bin/python bench/catalogue.py --lots 10000 --requests 50

The first run makes the data with bulk_create: one session of its own (autumn 2099, so it
never meets a real one), the given number of lots each offering one approved innovation,
industries and patents. Later runs reuse it; --reset deletes the bench data and makes it again.
Each page is requested through Django's test Client (the whole stack: middleware, view,
template), a few times to warm up, then N times, each with its queries captured: the figures
are the median and 95th percentile of the server time, the median time spent in SQL, and the
number of queries.
"""

import argparse
import os
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import Enterprise, User  # noqa: E402
from bench.page_timing import measure, print_table  # noqa: E402
from innovations.choices import (  # noqa: E402
    Category,
    PatentKind,
    PatentStatus,
    Status,
    TechnicalField,
    Tier,
)
from innovations.models import Industry, Innovation, Patent  # noqa: E402
from marketplace.choices import LotStatus, RightType, Season, SessionStatus  # noqa: E402
from marketplace.models import AuctionSession, Lot, LotInnovation  # noqa: E402

BENCH_YEAR = 2099
BENCH_SEASON = Season.AUTUMN
BENCH_USERNAME = "bench-catalogue-owner"
BENCH_ENTERPRISE_PREFIX = "性能测试企业"
BATCH = 1000


def bench_session() -> AuctionSession | None:
    return AuctionSession.objects.filter(year=BENCH_YEAR, season=BENCH_SEASON).first()


@transaction.atomic
def reset() -> None:
    session = bench_session()
    if session is not None:
        lots = Lot.objects.filter(session=session)
        LotInnovation.objects.filter(lot__in=lots).delete()
        lots.delete()
        session.delete()
    innovations = Innovation.objects.filter(owner__username=BENCH_USERNAME)
    Patent.objects.filter(innovation__in=innovations).delete()
    innovations.delete()
    User.objects.filter(username=BENCH_USERNAME).delete()
    Enterprise.objects.filter(name__startswith=BENCH_ENTERPRISE_PREFIX).delete()


def _status_for(n: int) -> str:
    # Mostly lots on offer, with some results and the odd withdrawal, as after a few sessions.
    if n % 50 == 0:
        return LotStatus.WITHDRAWN
    if n % 10 == 1:
        return LotStatus.SOLD
    if n % 10 == 2:
        return LotStatus.PASSED
    if n % 97 == 0:
        return LotStatus.DRAFT
    return LotStatus.PUBLISHED


@transaction.atomic
def make_data(lot_count: int) -> AuctionSession:
    categories, fields = list(Category), list(TechnicalField)
    right_types = list(RightType)
    industries = list(Industry.objects.all())
    owner = User.objects.create(username=BENCH_USERNAME, last_name="测", first_name="试")
    employers = Enterprise.objects.bulk_create(
        Enterprise(name=f"{BENCH_ENTERPRISE_PREFIX}{n:03d}有限公司") for n in range(50)
    )
    decided = datetime(2099, 1, 1, tzinfo=UTC)
    session = AuctionSession.objects.create(
        name="性能测试拍卖会",
        year=BENCH_YEAR,
        season=BENCH_SEASON,
        preview_start=datetime(2099, 9, 1, 1, tzinfo=UTC),
        bidding_start=datetime(2099, 10, 1, 1, tzinfo=UTC),
        first_lot_closes_at=datetime(2099, 10, 3, 1, tzinfo=UTC),
        status=SessionStatus.PUBLISHED,
    )
    for start in range(0, lot_count, BATCH):
        numbers = range(start + 1, min(start + BATCH, lot_count) + 1)
        innovations = Innovation.objects.bulk_create(
            Innovation(
                owner=owner,
                title=f"性能测试创新{n:05d}",
                summary="用定位块代替人工对刀，换刀时间由15分钟缩短到3分钟。",
                description="<p>性能测试。</p>",
                category=categories[n % len(categories)],
                technical_field=fields[n % len(fields)],
                employer=employers[n % len(employers)],
                status=Status.APPROVED,
                tier=Tier.TRANSACT,
                decided_at=decided,
            )
            for n in numbers
        )
        Innovation.industries.through.objects.bulk_create(
            Innovation.industries.through(
                innovation=innovation, industry=industries[(n + k) % len(industries)]
            )
            for n, innovation in zip(numbers, innovations, strict=True)
            for k in range(n % 3 + 1)
        )
        Patent.objects.bulk_create(
            Patent(
                innovation=innovation,
                number=f"BENCH{n:010d}",
                kind=PatentKind.INVENTION,
                status=PatentStatus.GRANTED if n % 3 == 0 else PatentStatus.PENDING,
                filing_date=date(2098, 3, 1),
                holders=employers[n % len(employers)].name,
            )
            for n, innovation in zip(numbers, innovations, strict=True)
            if n % 4
        )
        lots = []
        for n in numbers:
            starting = Decimal(10000 + (n * 7919) % 990000).quantize(Decimal("1.00"))
            bids = (n * 31) % 12 if n % 3 else 0
            closes_at = session.first_lot_closes_at + timedelta(minutes=2 * (n - 1))
            status = _status_for(n)
            lots.append(
                Lot(
                    session=session,
                    number=n,
                    title=f"性能测试拍品{n:05d}",
                    right_type=right_types[n % len(right_types)],
                    licence_term_years=5,
                    starting_price=starting,
                    reserve_price=starting * 2,
                    deposit_amount=max(starting / 10, Decimal("1000.00")).quantize(Decimal("1.00")),
                    known_limitations="无",
                    status=status,
                    withdrawn_reason="性能测试撤回" if status == LotStatus.WITHDRAWN else "",
                    scheduled_close_at=closes_at,
                    closes_at=closes_at,
                    current_price=starting + 500 * bids if bids else None,
                    bid_count=bids,
                )
            )
        lots = Lot.objects.bulk_create(lots)
        LotInnovation.objects.bulk_create(
            LotInnovation(lot=lot, innovation=innovation)
            for lot, innovation in zip(lots, innovations, strict=True)
        )
        print(f"  {numbers[-1]:>6} lots", flush=True)
    return session


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lots", type=int, default=10_000, help="lots in the bench session")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
    parser.add_argument("--reset", action="store_true", help="delete and remake the bench data")
    options = parser.parse_args()

    if settings.DEBUG:
        print("warning: DEBUG is on; set DEBUG=false for meaningful timings", file=sys.stderr)
    if options.reset:
        print("deleting the bench data")
        reset()
    session = bench_session()
    if session is None or session.lots.count() != options.lots:
        if session is not None:
            print(f"the bench session has {session.lots.count()} lots; remaking it")
            reset()
        print(f"making {options.lots} lots")
        started = time.perf_counter()
        session = make_data(options.lots)
        print(f"  made in {time.perf_counter() - started:.1f} s")
        if connection.vendor == "postgresql":
            # What autovacuum would do soon after: plan with the real row counts.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    lot_list = reverse("marketplace:lot_list")
    visible = Lot.objects.filter(session=session, status=LotStatus.PUBLISHED)
    middle_lot = visible.order_by("number")[visible.count() // 2]
    deep_page = max(1, Lot.objects.filter(session=session).count() // 24 - 10)
    pages = {
        "catalogue, first page": lot_list,
        "catalogue, filtered": f"{lot_list}?category=invention&price_min=50000"
        "&has_granted_patent=true&ordering=price_high",
        f"catalogue, page {deep_page}": f"{lot_list}?page={deep_page}",
        "session page": reverse("marketplace:session_detail", kwargs={"pk": session.pk}),
        "lot page": reverse("marketplace:lot_detail", kwargs={"pk": middle_lot.pk}),
    }

    print(
        f"\n{connection.vendor} {connection.settings_dict['NAME']}, DEBUG={settings.DEBUG}, "
        f"{Lot.objects.count()} lots in all, {options.requests} requests a page"
    )
    client = Client(SERVER_NAME="localhost")
    print_table([(label, measure(client, url, options.requests)) for label, url in pages.items()])


if __name__ == "__main__":
    main()
