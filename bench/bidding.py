"""Bidding under load: concurrent bidders through the API against gunicorn and PostgreSQL.

Not a test: it prints figures (see bench/README.md, "Bidding under load"). It needs
PostgreSQL, Redis, pgbench and psql, and the test extras (it builds its data with the test
factories):

    .venv/bin/python bench/bidding.py --seconds 10 --clients 1,8,32,64 --spread-lots 100

Each run drops and re-creates its own database (--database-url, default wie_bench), migrates
it, makes an open auction with fresh lots for every case, starts gunicorn with production
settings, and then for each client count: pgbench alone on a table pair shaped like the lot
and bid rows (the database's ceiling), then the same number of simulated bidders on one hot
lot, then on the spread lots. After each case it checks the invariants from the database.
It prints accepted bids per second, latency percentiles of accepted bids, refusals by code,
the ratio to pgbench, and CPU use; it exits 1 if any invariant was broken.
"""

import argparse
import os
import secrets
import signal
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://root@127.0.0.1:5432/wie_bench"
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/3"
WARMUP_CASE = "warmup"


def client_counts(text: str) -> list[int]:
    try:
        counts = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError("give client counts like 1,8,32,64") from None
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError("client counts must be whole numbers of at least 1")
    return counts


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="length of each case (10)")
    parser.add_argument(
        "--clients", type=client_counts, default=[1, 8, 32, 64], help="bidders at once (1,8,32,64)"
    )
    parser.add_argument(
        "--spread-lots", type=int, default=100, help="lots of the spread cases; 0 skips them (100)"
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    # gthread keeps connections alive, as a load balancer does, and let more bids wait on
    # PostgreSQL at once: more accepted bids than 4 sync workers in 7 of 8 cases measured.
    parser.add_argument(
        "--worker-class", default="gthread", help="gunicorn worker class: gthread or sync (gthread)"
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker (4)")
    parser.add_argument(
        "--users-per-bidder",
        type=int,
        default=20,
        help="members each simulated bidder bids through in turn, against the 5 bids/s "
        "per-user limit (20)",
    )
    parser.add_argument(
        "--extra-increments",
        type=int,
        default=4,
        help="a bid is the known minimum plus 0..N increments at random (4)",
    )
    parser.add_argument(
        "--bidders",
        choices=["racing", "rising"],
        default="racing",
        help="racing: each bids its last known minimum plus 0..N increments; rising: every "
        "bid above every bid sent before it on the lot (racing)",
    )
    parser.add_argument("--warmup-seconds", type=int, default=3, help="unreported warm-up (3)")
    parser.add_argument(
        "--database-url", default=DEFAULT_DATABASE_URL, help="DROPPED and re-created each run"
    )
    parser.add_argument("--cache-url", default=DEFAULT_CACHE_URL, help="Redis for the cache")
    args = parser.parse_args(argv)
    if not 0 <= args.spread_lots <= 1000:
        parser.error("--spread-lots must be between 0 and 1000")
    if args.extra_increments < 0:
        parser.error("--extra-increments must be 0 or more")
    if args.seconds < 1 or args.workers < 1 or args.threads < 1 or args.users_per_bidder < 1:
        parser.error("--seconds, --workers, --threads and --users-per-bidder must be at least 1")
    return args


def bench_environment(args: argparse.Namespace) -> dict[str, str]:
    """Production settings with harmless values for what they insist on."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Payments are never made here; production settings only insist the keys are set.
        "STRIPE_SECRET_KEY": "sk_test_bench_not_a_key",
        "STRIPE_WEBHOOK_SECRET": "whsec_bench_not_a_secret",
        "DATABASE_URL": args.database_url,
        "CACHE_URL": args.cache_url,
        # Outbid emails are built as in production but kept in memory: no SMTP server here.
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def database_recreate(database_url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    with psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        database = sql.Identifier(name)
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(database))


def pgbench_target(database_url: str) -> dict:
    parts = urlsplit(database_url)
    return {
        "host": parts.hostname,
        "port": parts.port or 5432,
        "user": parts.username,
        "database": parts.path.lstrip("/"),
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    environment = bench_environment(args)
    os.environ.update(environment)
    # A `kill` must stop gunicorn too: turn it into the same unwinding as Ctrl-C.
    signal.signal(signal.SIGTERM, signal.default_int_handler)

    print(f"Re-creating {urlsplit(args.database_url).path.lstrip('/')} and migrating…", flush=True)
    database_recreate(args.database_url)
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    cache.clear()  # rate-limit and outbid-email keys of earlier runs

    return run(args, environment)


def run(args: argparse.Namespace, environment: dict[str, str]) -> int:
    from django.db import connection

    from api.services.tokens import api_token_create
    from bench.bidding_client import Target, run_case
    from bench.bidding_data import CasePlan, bench_auction_create, case_plans
    from bench.bidding_report import CaseReport, report_table, target_line
    from bench.bidding_server import ServerOptions, gunicorn_running
    from bench.cpu_usage import MachineCpu, process_cpu_seconds
    from bench.hotrow import hotrow_tps
    from marketplace.services.auctions import increment_for

    plans = case_plans(args.clients, args.spread_lots)
    warmup = CasePlan(WARMUP_CASE, min(8, max(args.clients)), 1)
    print(f"Making {len(plans)} cases' lots, {max(args.clients)} bidders…", flush=True)
    auction = bench_auction_create(
        plans=[warmup, *plans],
        users_per_bidder=args.users_per_bidder,
        token_create=lambda user: api_token_create(user=user, name="bench")[1],
    )
    bands = auction.session.increment_bands

    def increment(price):
        return increment_for(bands, price)

    options = ServerOptions(
        workers=args.workers, worker_class=args.worker_class, threads=args.threads
    )
    reports: list[CaseReport] = []
    started_at = datetime.now(UTC)
    connection.close()  # idle during the cases; not one of PostgreSQL's busy connections
    with gunicorn_running(options, env=environment) as server:
        target = Target("127.0.0.1", server.port)
        print(f"gunicorn on port {server.port}: {options}", flush=True)
        for plan in [warmup, *plans]:
            if plan.kind == WARMUP_CASE:
                seconds, pgbench = args.warmup_seconds, None
            else:
                seconds = args.seconds
                pgbench = hotrow_tps(
                    clients=plan.clients,
                    lots=plan.lot_count,
                    seconds=seconds,
                    **pgbench_target(args.database_url),
                )
            workers = server.worker_pids()
            app_before, machine_before = process_cpu_seconds(workers), MachineCpu.now()
            case_run = run_case(
                target=target,
                bidders=auction.bidders[: plan.clients],
                lot_ids=auction.lots[plan.name],
                minimums=auction.minimums(plan.name),
                increment=increment,
                seconds=seconds,
                seed=len(reports),
                extra_increments=args.extra_increments,
                rising=args.bidders == "rising",
            )
            report = CaseReport(
                plan=plan,
                run=case_run,
                pgbench=pgbench,
                violations=case_violations(auction.lots[plan.name], case_run),
                app_cpu_seconds=process_cpu_seconds(workers) - app_before,
                machine_busy_share=MachineCpu.now().busy_share_since(machine_before),
            )
            connection.close()
            if plan.kind == WARMUP_CASE:
                print(f"warm-up: {len(case_run.tally.accepted)} bids accepted", flush=True)
                if report.violations:
                    print_violations([report])
                continue
            reports.append(report)
            print(report_table([report]).splitlines()[-1], flush=True)

    print()
    print(run_context(args, started_at))
    print()
    print(report_table(reports))
    print()
    print(target_line(reports))
    print_violations(reports)
    return 1 if any(report.violations for report in reports) else 0


def case_violations(lot_ids: list[int], case_run) -> list[str]:
    from bench.bidding_invariants import ClientBid, lot_violations, stored_bids
    from marketplace.models import Lot

    accepted, unknown = defaultdict(list), defaultdict(list)
    for bid in case_run.tally.accepted:
        accepted[bid.lot_id].append(ClientBid(bid.user_id, bid.max_amount))
    for bid in case_run.tally.unknown:
        unknown[bid.lot_id].append(ClientBid(bid.user_id, bid.max_amount))
    bids = stored_bids(lot_ids)
    problems = []
    for lot in Lot.objects.select_related("session").filter(pk__in=lot_ids).order_by("pk"):
        for problem in lot_violations(lot, bids[lot.pk], accepted[lot.pk], unknown[lot.pk]):
            problems.append(f"lot {lot.pk}: {problem}")
    return problems


def print_violations(reports) -> None:
    for report in reports:
        for problem in report.violations[:20]:
            print(f"VIOLATION {report.plan.name}: {problem}")
        if len(report.violations) > 20:
            print(f"VIOLATION {report.plan.name}: … and {len(report.violations) - 20} more")


def run_context(args: argparse.Namespace, started_at: datetime) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0].split()[0]
    return (
        f"{started_at:%Y-%m-%d %H:%M} UTC · {os.cpu_count()} CPUs · PostgreSQL {postgres} · "
        f"gunicorn {args.workers} × {args.worker_class}"
        + (f" ({args.threads} threads)" if args.worker_class == "gthread" else "")
        + f" · {args.seconds} s a case · {args.users_per_bidder} users a bidder"
        + f" · {args.bidders} bidders\n"
        f"command: bench/bidding.py {' '.join(sys.argv[1:])}"
    )


if __name__ == "__main__":
    started = time.monotonic()
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print(f"\nInterrupted after {time.monotonic() - started:.0f} s; gunicorn stopped.")
        sys.exit(130)
