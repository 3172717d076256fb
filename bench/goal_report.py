"""Time the goal dashboard and report with 100,000 sales, 10,000 agreements and 5 million bids.

Not a test: it prints figures. Issue 8 asks for under 300 ms of server time at that scale. Run it
against a PostgreSQL database of its own, with DEBUG off (see bench/README.md):

    createdb -h 127.0.0.1 -U root wie_bench_goal          # once
    DATABASE_URL=postgres://root@127.0.0.1:5432/wie_bench_goal .venv/bin/python manage.py migrate

    DJANGO_SETTINGS_MODULE=config.settings.dev DEBUG=false \\
    DATABASE_URL=postgres://root@127.0.0.1:5432/wie_bench_goal \\
    .venv/bin/python bench/goal_report.py --requests 20

The first run makes the data with set-based SQL (INSERT … SELECT … FROM generate_series) in
one transaction, writes the goal report's summary rows (goal_deals_rebuild, as after an
import), then runs ANALYZE: six closed auction sessions (spring and autumn 2024–2026)
holding the lots, each lot offering one approved innovation (the five categories, the technical
fields, one or two industries); a sale and a settlement for each sold lot (3% defaulted, 90% of
the rest paid in full, the others part paid), the buyer's deposit applied (forfeited on a
default) and two other bidders' deposits refunded; the bids, spread evenly over the lots and
numbered per lot; and negotiated agreements (signed, in force or expired), each with one
innovation and one or two income records. Buyers are 400 enterprises across the 16 districts,
registered in every session.

Later runs find the data (the sessions hold lots) and reuse it. The script expects a database
of its own: --reset drops every bench row it made by truncating the tables it wrote (with the
users and enterprises whose names it chose), which on a shared database would take other rows
with them, so it refuses unless the database name contains "bench". Dropping and re-creating
the whole database (dropdb, createdb, migrate) is the simplest reset of all.

Each page is requested through Django's test Client as a union staff member, a few times to
warm up, then N times, each with its queries captured (bench/page_timing.py).
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.choices import District, Role  # noqa: E402
from accounts.models import Enterprise, User  # noqa: E402
from accounts.services.roles import user_assign_role  # noqa: E402
from bench.page_timing import measure, print_table  # noqa: E402
from licensing.models import Agreement  # noqa: E402
from marketplace.choices import Season, SessionStatus  # noqa: E402
from marketplace.models import AuctionSession, Bid, Lot, Settlement  # noqa: E402
from marketplace.services.goal_deals import goal_deals_rebuild  # noqa: E402

BENCH_PREFIX = "bench-goal"
BENCH_ENTERPRISE_PREFIX = "目标性能测试企业"
ENTERPRISES = 400
YEARS = (2024, 2025, 2026)
# Tables the generator writes, truncated by --reset (children first is not needed: CASCADE).
BENCH_TABLES = [
    "marketplace_goaldeal",
    "licensing_incomerecord",
    "licensing_agreement_innovations",
    "licensing_agreement",
    "marketplace_bid",
    "marketplace_settlement",
    "marketplace_sale",
    "marketplace_deposit",
    "marketplace_bidderregistration",
    "marketplace_lotinnovation",
    "marketplace_lot",
    "marketplace_auctionsession",
    "innovations_innovation_industries",
    "innovations_innovation",
]


def bench_sessions():
    return AuctionSession.objects.filter(year__in=YEARS).order_by("year", "-season")


def reset() -> None:
    if "bench" not in settings.DATABASES["default"]["NAME"]:
        raise SystemExit("--reset truncates whole tables: use a database of its own (*bench*).")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(BENCH_TABLES)} CASCADE")
        User.objects.filter(username__startswith=BENCH_PREFIX).delete()
        Enterprise.objects.filter(name__startswith=BENCH_ENTERPRISE_PREFIX).delete()


def _step(label: str, sql: str, params: list | None = None) -> None:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        rows = cursor.rowcount
    print(f"  {label:<28}{rows:>10,} rows {time.perf_counter() - started:>7.1f} s", flush=True)


@transaction.atomic
def make_data(*, sales: int, passed: int, agreements: int, bids: int) -> None:
    owner = User.objects.create(username=f"{BENCH_PREFIX}-owner", last_name="测", first_name="试")
    bidder = User.objects.create(username=f"{BENCH_PREFIX}-bidder")
    districts = list(District.values)
    Enterprise.objects.bulk_create(
        Enterprise(
            name=f"{BENCH_ENTERPRISE_PREFIX}{n:03d}有限公司",
            district=districts[n % len(districts)],
            verification_status="verified",
        )
        for n in range(ENTERPRISES)
    )
    for year in YEARS:
        for season, month in ((Season.SPRING, 5), (Season.AUTUMN, 11)):
            AuctionSession.objects.create(
                name=f"{year}年{'春季' if season == Season.SPRING else '秋季'}拍卖会",
                year=year,
                season=season,
                preview_start=f"{year}-{month - 1:02d}-01T01:00:00Z",
                bidding_start=f"{year}-{month:02d}-01T01:00:00Z",
                first_lot_closes_at=f"{year}-{month:02d}-03T01:00:00Z",
                status=SessionStatus.CLOSED,
            )
    lots = sales + passed
    params = {"owner": owner.pk, "bidder": bidder.pk, "lots": lots, "sales": sales}
    steps = [
        (
            "working tables",
            """
            CREATE TEMP TABLE bench_enterprise ON COMMIT DROP AS
              SELECT row_number() OVER (ORDER BY id) - 1 AS idx, id FROM accounts_enterprise
              WHERE name LIKE %(prefix)s;
            CREATE TEMP TABLE bench_industry ON COMMIT DROP AS
              SELECT row_number() OVER (ORDER BY id) - 1 AS idx, id FROM innovations_industry;
            CREATE TEMP TABLE bench_session ON COMMIT DROP AS
              SELECT row_number() OVER (ORDER BY year, season DESC) - 1 AS idx, id,
                     first_lot_closes_at FROM marketplace_auctionsession
              WHERE year BETWEEN 2024 AND 2026;
            """,
        ),
        (
            "innovations",
            """
            INSERT INTO innovations_innovation
              (title, summary, description, category, technical_field, status, tier,
               is_excellent, is_high_value_patent, created_at, updated_at, employer_id, owner_id)
            SELECT '目标性能测试创新' || n, '用定位块代替人工对刀。', '<p>性能测试。</p>',
                   (ARRAY['invention','creation','renovation','design','suggestion'])[n %% 5 + 1],
                   (ARRAY['basic_parts','basic_processes','basic_materials','key_instruments',
                          'measuring_equipment','other'])[n %% 6 + 1],
                   'approved', 'transact', false, false, now(), now(), e.id, %(owner)s
            FROM generate_series(0, %(lots)s + %(agreements)s - 1) AS n
            JOIN bench_enterprise e ON e.idx = n %% %(enterprises)s
            """,
        ),
        (
            "innovation table",
            """
            CREATE TEMP TABLE bench_innovation ON COMMIT DROP AS
              SELECT row_number() OVER (ORDER BY id) - 1 AS idx, id FROM innovations_innovation
              WHERE owner_id = %(owner)s;
            CREATE UNIQUE INDEX ON bench_innovation (idx);
            """,
        ),
        (
            "innovation industries",
            # One industry for every innovation (one in 13 has none: "not specified"), a second
            # for one in three.
            """
            INSERT INTO innovations_innovation_industries (innovation_id, industry_id)
            SELECT i.id, industry.id
            FROM bench_innovation i
            JOIN bench_industry industry
              ON industry.idx = i.idx %% (SELECT count(*) FROM bench_industry)
            WHERE i.idx %% 13 <> 0
            UNION ALL
            SELECT i.id, industry.id
            FROM bench_innovation i
            JOIN bench_industry industry
              ON industry.idx = (i.idx + 5) %% (SELECT count(*) FROM bench_industry)
            WHERE i.idx %% 3 = 0 AND i.idx %% 13 <> 0
            """,
        ),
        (
            "lots",
            # Lot idx: the first `sales` are sold, the rest passed; sessions take every sixth.
            # A session's lots close two minutes apart from its first closing time.
            """
            INSERT INTO marketplace_lot
              (session_id, number, title, right_type, territory, starting_price, deposit_amount,
               patents_legal_status, is_service_invention, employer_consent, co_owners_consent,
               known_limitations, confidentiality_terms, status, withdrawn_reason,
               scheduled_close_at, closes_at, bid_count, version, created_at, updated_at,
               current_price, leader_id, leader_max)
            SELECT s.id, n / 6 + 1, '目标性能测试拍品' || n,
                   (ARRAY['assignment','exclusive','sole','non_exclusive'])[n %% 4 + 1],
                   '中华人民共和国境内', start_price, greatest(round(start_price / 10, 2), 1000),
                   '', false, false, false, '', '',
                   CASE WHEN n < %(sales)s THEN 'sold' ELSE 'passed' END, '',
                   s.first_lot_closes_at + (n / 6) * interval '2 minutes',
                   s.first_lot_closes_at + (n / 6) * interval '2 minutes',
                   0, 0, now(), now(),
                   CASE WHEN n < %(sales)s THEN start_price * 2 END,
                   CASE WHEN n < %(sales)s THEN e.id END,
                   CASE WHEN n < %(sales)s THEN start_price * 2 END
            FROM generate_series(0, %(lots)s - 1) AS n
            JOIN bench_session s ON s.idx = n %% 6
            JOIN bench_enterprise e ON e.idx = n %% %(enterprises)s
            CROSS JOIN LATERAL (SELECT (10000 + (n * 7919) %% 490000)::numeric AS start_price) p
            """,
        ),
        (
            "lot table",
            """
            CREATE TEMP TABLE bench_lot ON COMMIT DROP AS
              SELECT row_number() OVER (ORDER BY l.id) - 1 AS idx, l.id, l.session_id,
                     l.starting_price, l.deposit_amount, l.closes_at, l.status
              FROM marketplace_lot l JOIN bench_session s ON s.id = l.session_id;
            CREATE UNIQUE INDEX ON bench_lot (idx);
            """,
        ),
        (
            "lot innovations",
            """
            INSERT INTO marketplace_lotinnovation (lot_id, innovation_id, position)
            SELECT l.id, i.id, 0 FROM bench_lot l JOIN bench_innovation i ON i.idx = l.idx
            """,
        ),
        (
            "registrations",
            """
            INSERT INTO marketplace_bidderregistration (session_id, enterprise_id, paddle,
                                                        created_at)
            SELECT s.id, e.id, e.idx + 1, s.first_lot_closes_at - interval '30 days'
            FROM bench_session s CROSS JOIN bench_enterprise e
            """,
        ),
        (
            "deposits",
            # The buyer's (applied, or forfeited on a default) and two others' (refunded); on a
            # passed lot, three refunded.
            """
            INSERT INTO marketplace_deposit
              (lot_id, enterprise_id, amount, status, method, bank_reference, receipt,
               created_at, created_by_id, paid_at, refunded_at)
            SELECT l.id, e.id, l.deposit_amount,
                   CASE WHEN k > 0 OR l.status = 'passed' THEN 'refunded'
                        WHEN l.idx %% 33 = 0 THEN 'forfeited'
                        ELSE 'applied' END,
                   'bank_transfer', 'BENCH-' || l.idx || '-' || k, '',
                   l.closes_at - interval '10 days', %(bidder)s,
                   l.closes_at - interval '10 days',
                   CASE WHEN k > 0 OR l.status = 'passed' THEN l.closes_at + interval '3 days' END
            FROM bench_lot l CROSS JOIN generate_series(0, 2) AS k
            JOIN bench_enterprise e ON e.idx = (l.idx + k * 101) %% %(enterprises)s
            """,
        ),
        (
            "sales",
            """
            INSERT INTO marketplace_sale (lot_id, winner_id, hammer_price, created_at)
            SELECT l.id, e.id, l.starting_price * 2, l.closes_at
            FROM bench_lot l JOIN bench_enterprise e ON e.idx = l.idx %% %(enterprises)s
            WHERE l.status = 'sold'
            """,
        ),
        (
            "settlements",
            # One in 33 defaulted; of the rest, nine in ten paid in full, the others half paid.
            """
            INSERT INTO marketplace_settlement
              (sale_id, lot_id, buyer_id, kind, price, premium_rate, premium, amount_due,
               deposit_id, deposit_applied, amount_received, due_at, status, paid_at,
               defaulted_at, resolution, created_at, updated_at)
            SELECT sale.id, l.id, sale.winner_id, 'auction', sale.hammer_price, 0, 0,
                   sale.hammer_price, d.id, l.deposit_amount,
                   CASE WHEN l.idx %% 33 = 0 THEN l.deposit_amount
                        WHEN l.idx %% 10 = 7 THEN round(sale.hammer_price / 2, 2)
                        ELSE sale.hammer_price END,
                   l.closes_at + interval '20 days',
                   CASE WHEN l.idx %% 33 = 0 THEN 'defaulted'
                        WHEN l.idx %% 10 = 7 THEN 'awaiting_payment'
                        ELSE 'paid' END,
                   CASE WHEN l.idx %% 33 <> 0 AND l.idx %% 10 <> 7
                        THEN l.closes_at + interval '7 days' END,
                   CASE WHEN l.idx %% 33 = 0 THEN l.closes_at + interval '21 days' END,
                   '', l.closes_at, l.closes_at
            FROM bench_lot l
            JOIN marketplace_sale sale ON sale.lot_id = l.id
            JOIN marketplace_deposit d ON d.lot_id = l.id AND d.enterprise_id = sale.winner_id
            """,
        ),
        (
            "bids",
            # Bid n goes to lot n mod lots, numbered n div lots + 1: (lot, sequence) is unique.
            # Registration: the lot's buyer for its last bids, others before; two minutes apart.
            """
            INSERT INTO marketplace_bid
              (lot_id, sequence, registration_id, user_id, max_amount, price_after,
               leading_after, created_at)
            SELECT l.id, n / %(lots)s + 1, r.id, %(bidder)s,
                   l.starting_price + (n / %(lots)s + 1) * 500,
                   l.starting_price + (n / %(lots)s) * 500,
                   true,
                   l.closes_at - (%(bids)s / %(lots)s + 1 - n / %(lots)s) * interval '2 minutes'
            FROM generate_series(0, %(bids)s - 1) AS n
            JOIN bench_lot l ON l.idx = n %% %(lots)s
            JOIN marketplace_bidderregistration r
              ON r.session_id = l.session_id
             AND r.paddle = (l.idx + n / %(lots)s * 37) %% %(enterprises)s + 1
            """,
        ),
        (
            "lot bid counts",
            """
            UPDATE marketplace_lot lot SET bid_count = counted.bids
            FROM (SELECT lot_id, count(*) AS bids FROM marketplace_bid GROUP BY lot_id) counted
            WHERE counted.lot_id = lot.id
            """,
        ),
        (
            "agreements",
            # Confirmed between 2024-01-01 and 2026-11-30, spread evenly.
            """
            INSERT INTO licensing_agreement
              (origin, contract_number, licensors, licensee_id, right_type, is_service_invention,
               scope, territory, deal_amount, upfront_amount, royalty_basis, milestones,
               cnipa_record_number, status, confirmed_on, created_at, updated_at)
            SELECT 'negotiated', 'BENCH-' || n, '目标性能测试专利权人', e.id,
                   (ARRAY['assignment','exclusive','sole','non_exclusive'])[n %% 4 + 1],
                   false, '', '中华人民共和国境内', 20000 + (n * 6007) %% 980000, 0, 'none', '',
                   '', (ARRAY['signed','active','expired'])[n %% 3 + 1],
                   date '2024-01-01' + (n * 1065 / %(agreements)s), now(), now()
            FROM generate_series(0, %(agreements)s - 1) AS n
            JOIN bench_enterprise e ON e.idx = (n * 7) %% %(enterprises)s
            """,
        ),
        (
            "agreement innovations",
            """
            INSERT INTO licensing_agreement_innovations (agreement_id, innovation_id)
            SELECT a.id, i.id
            FROM (SELECT row_number() OVER (ORDER BY id) - 1 AS idx, id FROM licensing_agreement
                  WHERE contract_number LIKE 'BENCH-%%') a
            JOIN bench_innovation i ON i.idx = %(lots)s + a.idx
            """,
        ),
        (
            "income records",
            # An upfront payment of half the price; a royalty statement for one in two.
            """
            INSERT INTO licensing_incomerecord
              (agreement_id, kind, amount, received_on, reference, note, created_at,
               recorded_by_id)
            SELECT a.id, kind, round(a.deal_amount / 2, 2), a.confirmed_on + 10,
                   'BENCH-' || kind, '', now(), %(owner)s
            FROM licensing_agreement a
            CROSS JOIN unnest(ARRAY['upfront', 'royalty']) AS kind
            WHERE a.contract_number LIKE 'BENCH-%%'
              AND (kind = 'upfront' OR a.id %% 2 = 0)
            """,
        ),
    ]
    params.update(
        prefix=f"{BENCH_ENTERPRISE_PREFIX}%",
        enterprises=ENTERPRISES,
        agreements=agreements,
        bids=bids,
    )
    for label, sql in steps:
        _step(label, sql, params)
    # Written straight into the tables, the deals need their summary rows, as after an import.
    started = time.perf_counter()
    written = goal_deals_rebuild()
    elapsed = time.perf_counter() - started
    print(f"  {'goal report summary':<28}{written:>10,} rows {elapsed:>7.1f} s")


def analyze() -> None:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  {'ANALYZE':<39}{time.perf_counter() - started:>7.1f} s")


def staff_client() -> Client:
    staff, created = User.objects.get_or_create(
        username=f"{BENCH_PREFIX}-staff", defaults={"email": "goal-staff@example.com"}
    )
    if created:
        user_assign_role(user=staff, role=Role.UNION_STAFF)
    client = Client(SERVER_NAME="localhost")
    client.force_login(staff)
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sales", type=int, default=100_000)
    parser.add_argument("--passed", type=int, default=5_000, help="lots that did not sell")
    parser.add_argument("--agreements", type=int, default=10_000)
    parser.add_argument("--bids", type=int, default=5_000_000)
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page")
    parser.add_argument("--reset", action="store_true", help="truncate the bench data first")
    parser.add_argument("--data-only", action="store_true", help="make the data, time nothing")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Run it against PostgreSQL (DATABASE_URL=postgres://…).")
    if settings.DEBUG:
        print("Warning: DEBUG is on; run with DEBUG=false for meaningful figures.")
    if args.reset:
        reset()
    if not Lot.objects.filter(session__in=bench_sessions()).exists():
        print("Making the data:")
        started = time.perf_counter()
        make_data(sales=args.sales, passed=args.passed, agreements=args.agreements, bids=args.bids)
        analyze()
        print(f"  {'total':<39}{time.perf_counter() - started:>7.1f} s")
    print(
        f"{Lot.objects.filter(session__in=bench_sessions()).count():,} lots, "
        f"{Settlement.objects.count():,} settlements, {Agreement.objects.count():,} agreements, "
        f"{Bid.objects.count():,} bids"
    )
    if args.data_only:
        return
    client = staff_client()
    session = bench_sessions().last()
    pages = [
        ("admin home (goal panel)", "/admin/"),
        ("goal report", "/admin/goal/"),
        ("goal report, one session", f"/admin/goal/?session={session.pk}"),
        ("public goal page", "/goal/"),
        ("GET /api/v1/goal", "/api/v1/goal"),
    ]
    rows = [(label, measure(client, url, args.requests)) for label, url in pages]
    print_table(rows)


if __name__ == "__main__":
    main()
