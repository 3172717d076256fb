"""Browser tests: Playwright drives the system's Chromium against pytest-django's live server.

Chromium comes from the operating system (`apt-get install chromium fonts-noto-cjk`), never
from `playwright install`, which downloads a browser. Without it these tests are skipped,
saying so, unless REQUIRE_BROWSER=1 (CI sets it), which turns the skip into an error.

They run last: from its start to the end of the run, Playwright keeps an asyncio loop running
in the main thread, which changes how Django finds its connections and needs
DJANGO_ALLOW_ASYNC_UNSAFE (see `django_alongside_playwright`), and that variable would reach
the subprocesses of later tests (`manage.py check --deploy` reports it).

The live server needs committed data, so each test here is transactional, and Django empties
the database after such a test, including the rows the migrations made (Wagtail's root page,
locales, site and collection, the home pages, the role groups, the industries). Django's own
remedy is to serialize those rows when it creates the test database and load them again
before each test (`serialized_rollback`); it leaves the database empty after the last one, so
`migrated_rows_restored` loads them once more when the browser tests are done, for any test
that runs after them all the same.
"""

import io
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from accounts.demo import seed_people
from cms.demo import seed_home_pages
from cms.demo_pages import seed_editorial_pages
from cms.demo_showcase import seed_showcase_pages
from craftsmen.demo import seed_craftsman_pages, seed_craftsmen
from innovations.demo import seed_innovations

E2E_DIR = Path(__file__).resolve().parent
REPO_ROOT = E2E_DIR.parents[1]
SCREENSHOTS_DIR = REPO_ROOT / "test-artifacts" / "screenshots"
DEBIAN_CHROMIUM = "/usr/bin/chromium"
INSTALL_HINT = "install it with apt-get install chromium fonts-noto-cjk"
# Headless, and nothing that reaches out to Google's hosts (there is no network for it).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
SCREENSHOTS_TAKEN = pytest.StashKey[set[Path]]()
DATABASE_FLUSHED = pytest.StashKey[bool]()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last, after pytest-django's own ordering (see above)."""
    items.sort(key=lambda item: Path(item.path).is_relative_to(E2E_DIR))


def find_chromium() -> str | None:
    """CHROMIUM_PATH if set (another Chromium or Chrome), else Debian's chromium."""
    chosen = os.environ.get("CHROMIUM_PATH")
    candidates = [chosen] if chosen else [shutil.which("chromium"), DEBIAN_CHROMIUM]
    return next((path for path in candidates if path and os.access(path, os.X_OK)), None)


@pytest.fixture(scope="session", autouse=True)
def chromium_executable() -> str:
    """Where Chromium is; skips (or, with REQUIRE_BROWSER=1, fails) every browser test before
    any server or database is set up for it."""
    path = find_chromium()
    if path is None:
        where = os.environ.get("CHROMIUM_PATH") or f"{DEBIAN_CHROMIUM} or on PATH"
        message = f"Chromium not found at {where}; {INSTALL_HINT}"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{message} (REQUIRE_BROWSER=1: browser tests are required)", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, chromium_executable: str) -> dict:
    args = list(CHROMIUM_ARGS)
    if browser_type_launch_args.get("headless") is False:  # pytest --headed
        args.remove("--headless")
    return {**browser_type_launch_args, "executable_path": chromium_executable, "args": args}


@pytest.fixture(scope="session")
def django_alongside_playwright() -> Iterator[dict[str, BaseDatabaseWrapper]]:
    """Playwright's sync API keeps an asyncio loop running in the main thread while it lives.
    Django then refuses database access from that thread unless told it is safe (it is: the
    test code is synchronous), and asgiref's thread-local storage switches to context-local
    storage, where Django would open new connections beside the test database's own (which
    carry its serialized rows, and on SQLite are the in-memory database the live server
    shares). Returns the thread's connections, taken before the loop starts."""
    thread_connections = {alias: connections[alias] for alias in connections}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield thread_connections


@pytest.fixture(scope="session")
def playwright(django_alongside_playwright, playwright):
    """pytest-playwright's own, with Django using the same connections as before it started."""
    for alias, wrapper in django_alongside_playwright.items():
        connections[alias] = wrapper
    return playwright


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """pytest-django's live server on the loopback address only, on a free port."""
    server = LiveServer(request.config.getvalue("liveserver") or "127.0.0.1:0")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    """Pages open relative to the live server: `page.goto("/en/")`."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """A desktop browser in Shanghai."""
    return {
        **browser_context_args,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        "viewport": DESKTOP,
    }


@pytest.fixture(scope="package", autouse=True)
def migrated_rows_restored(
    request: pytest.FixtureRequest, django_db_setup, django_db_blocker
) -> Iterator[None]:
    """Content types first in the rows Django reloads before each browser test, and all of
    them reloaded once more after the last one (see above)."""
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is not None:
        connection._test_serialized_contents = content_types_first(contents)
    yield
    if not request.config.stash.get(DATABASE_FLUSHED, False):
        return  # every browser test was skipped
    with django_db_blocker.unblock():
        # As Django's own flush between tests: sequences go on, past the ids loaded back.
        call_command(
            "flush",
            verbosity=0,
            interactive=False,
            reset_sequences=False,
            inhibit_post_migrate=True,
        )
        connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
    cache.clear()


def content_types_first(serialized: str) -> str:
    """Wagtail's tasks look their content type up while being built (Task.__init__), which
    creates it when the cache has not seen it yet; the row loaded later then collides with
    it. Loaded first, the content types are there to be found."""
    rows = json.loads(serialized)
    rows.sort(key=lambda row: row["model"] != "contenttypes.contenttype")
    return json.dumps(rows)


@pytest.fixture
def live_site(
    request: pytest.FixtureRequest, live_server: LiveServer, django_db_serialized_rollback
) -> str:
    """The live server's address, with the migrated rows in place (Wagtail's tree, the home
    pages in both languages, the default site). Every browser test starts from this."""
    request.config.stash[DATABASE_FLUSHED] = True
    cache.clear()
    return live_server.url


@pytest.fixture
def demo_pages(live_site) -> None:
    """The demo's home page text, editorial pages and news, in both languages (`make run`'s
    seed_demo, editorial part: about 2.5 s)."""
    seed_home_pages()
    seed_editorial_pages()


@pytest.fixture
def demo_site(demo_pages) -> None:
    """The editorial pages plus the demo's innovations, craftsmen and five-small showcase, in
    both languages, indexed for the site search."""
    seed_people()
    seed_innovations()
    seed_craftsmen()
    seed_craftsman_pages()
    seed_showcase_pages()
    # Publishing indexes a page; the home pages made by migrations only by a rebuild.
    call_command("rebuild_site_search", stdout=io.StringIO())


@pytest.fixture
def page(page, live_site):
    """pytest-playwright's page, failing fast instead of after its 30 s default."""
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def shot(page, request: pytest.FixtureRequest) -> Iterator[Callable[[str], Path]]:
    """`shot("home-zh")` saves a full-page screenshot as
    test-artifacts/screenshots/<test name>/<NN>-home-zh.png, numbered in order; a failing
    test gets a last one, `failure.png`. `shot("step", other_page)` takes another tab's (a
    second person's browser in a journey)."""
    folder = SCREENSHOTS_DIR / re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    request.config.stash.setdefault(SCREENSHOTS_TAKEN, set()).add(folder)
    taken = 0

    def take(step: str, of: Page | None = None) -> Path:
        nonlocal taken
        taken += 1
        path = folder / f"{taken:02d}-{step}.png"
        (of or page).screenshot(path=path, full_page=True)
        return path

    yield take
    report = getattr(request.node, "rep_call", None)  # set by pytest-playwright
    if report is not None and report.failed and not page.is_closed():
        page.screenshot(path=folder / "failure.png", full_page=True)


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    folders = config.stash.get(SCREENSHOTS_TAKEN, set())
    if not folders:
        return
    count = sum(len(list(folder.glob("*.png"))) for folder in folders)
    terminalreporter.write_sep("-", "browser test screenshots")
    terminalreporter.write_line(
        f"{count} screenshots from {len(folders)} tests in {SCREENSHOTS_DIR}/<test name>/"
    )
