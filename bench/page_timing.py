"""Server time of a page through Django's test Client: the whole stack (middleware, view,
template), no network. Shared by the page benchmarks; needs Django set up first."""

import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

WARM_UP = 3


def measure(client: Client, url: str, runs: int) -> dict:
    """Server time of `runs` requests (after a warm-up), and the SQL part of it."""
    for _ in range(WARM_UP):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    timings, sql_timings = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        sql_timings.append(sum(float(query["time"]) for query in queries) * 1000)
    timings.sort()
    return {
        "median": statistics.median(timings),
        "p95": timings[max(0, round(0.95 * len(timings)) - 1)],
        "sql": statistics.median(sql_timings),
        "queries": len(queries),
        "bytes": len(response.content),
    }


def print_table(rows: list[tuple[str, dict]]) -> None:
    print(f"{'page':<30}{'median ms':>10}{'p95 ms':>10}{'SQL ms':>8}{'queries':>9}{'KiB':>6}")
    for label, figures in rows:
        print(
            f"{label:<30}{figures['median']:>10.1f}{figures['p95']:>10.1f}"
            f"{figures['sql']:>8.1f}{figures['queries']:>9}{figures['bytes'] / 1024:>6.0f}"
        )
