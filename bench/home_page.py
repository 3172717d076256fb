"""Time the public home page (and the other public site pages) on the demo data.

Not a test: it prints figures. The issue's target is the home page under 50 ms of server time
on the demo data. Run it against a database holding the demo (`make run` makes one in
db.sqlite3; or PostgreSQL after `manage.py seed_demo`), with DEBUG off:

    DEBUG=false .venv/bin/python bench/home_page.py --requests 100
    DEBUG=false DATABASE_URL=postgres://root@127.0.0.1:5432/wie_demo \\
        .venv/bin/python bench/home_page.py --requests 100

Each page is requested through Django's test Client (middleware, view, template; no network)
a few times to warm up, then N times; the figures are the median and 95th percentile of the
server time, the median time in SQL, the number of queries and the page size. The cache is
whatever the settings give (local memory unless CACHE_URL/REDIS_URL is set).
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from wagtail.models import Page  # noqa: E402

from bench.page_timing import measure, print_table  # noqa: E402


def site_pages() -> dict[str, str]:
    """The home page in both languages, then one live page of each type the demo has."""
    pages = {"home (zh)": "/", "home (en)": "/en/"}
    seen = set()
    for page in Page.objects.live().public().filter(depth__gt=2).specific().order_by("path"):
        kind = type(page).__name__
        language = page.locale.language_code
        if (kind, language) in seen or language != "zh-hans":
            continue
        seen.add((kind, language))
        pages[f"{kind}"] = page.url
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50, help="timed requests a page (50)")
    options = parser.parse_args()
    if options.requests < 1:
        parser.error("--requests must be at least 1")
    if not Page.objects.filter(depth__gt=2).exists():
        raise SystemExit("No demo pages in this database: run `manage.py seed_demo` first.")

    print(
        f"\n{connection.vendor} {connection.settings_dict['NAME']}, DEBUG={settings.DEBUG}, "
        f"{options.requests} requests a page"
    )
    client = Client(SERVER_NAME="localhost")
    print_table(
        [(label, measure(client, url, options.requests)) for label, url in site_pages().items()]
    )


if __name__ == "__main__":
    main()
