"""The lot page with its live part: served complete (no JavaScript needed), then kept current
by htmx polling the fragment, with the bid form outside what the polling replaces."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from marketplace.choices import LotStatus
from marketplace.services.bidding import bid_place
from marketplace.services.closing import lot_close
from tests.factories.marketplace import LotFactory
from tests.marketplace.test_live_fragment import (  # noqa: F401 - fixtures
    bidder,
    contested,
    live_url,
    open_lot,
    open_session,
)

pytestmark = pytest.mark.django_db

REGION = re.compile(r'<div id="lot-live"(?P<attributes>[^>]*)>(?P<content>.*?)\n    </div>', re.S)


def page_url(lot, prefix="/en"):
    return f"{prefix}/auctions/lots/{lot.pk}/"


def squeeze(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


def region(content: str) -> re.Match:
    match = REGION.search(content)
    assert match, "no live region on the page"
    return match


def test_the_page_polls_the_fragment_every_two_seconds(
    client,
    contested,  # noqa: F811
):
    lot, _alice, _bob = contested

    attributes = region(client.get(page_url(lot)).content.decode())["attributes"]

    assert f'hx-get="/en/auctions/lots/{lot.pk}/live/"' in attributes
    assert 'hx-trigger="every 2s"' in attributes
    assert 'hx-swap="innerHTML"' in attributes


def test_the_page_and_the_fragment_render_the_same_live_part(
    client,
    contested,  # noqa: F811
):
    lot, alice, _bob = contested
    client.force_login(alice)

    on_the_page = region(client.get(page_url(lot)).content.decode())["content"]
    fragment = client.get(live_url(lot)).content.decode()

    assert squeeze(on_the_page) == squeeze(fragment)
    assert "Your maximum: ¥150,000.00 (only you see it)." in squeeze(on_the_page)


def test_the_bid_form_is_outside_the_polled_region(
    client,
    contested,  # noqa: F811
):
    lot, alice, _bob = contested
    client.force_login(alice)

    content = client.get(page_url(lot)).content.decode()

    assert 'name="max_amount"' in content
    assert 'name="max_amount"' not in region(content)["content"]
    assert content.index('name="max_amount"') > content.index('id="lot-live"')


def test_the_page_loads_vendored_scripts_only_and_no_inline_script(
    client,
    contested,  # noqa: F811
):
    lot, _alice, _bob = contested

    content = client.get(page_url(lot)).content.decode()

    sources = re.findall(r"<script([^>]*)>", content)
    assert sources, "no script on the page"
    assert all('src="/static/' in attributes for attributes in sources)
    for path in ("vendor/htmx/htmx.min.js", "marketplace/countdown.js"):
        assert f'src="{settings.STATIC_URL}{path}"' in content
        assert finders.find(path), path


def test_the_vendored_htmx_is_version_2_with_its_licence():
    htmx = Path(finders.find("vendor/htmx/htmx.min.js")).read_text()
    readme = Path(finders.find("vendor/htmx/README.txt")).read_text()

    version = re.search(r'version:"(2\.\d+\.\d+)"', htmx)
    assert version, "not htmx 2.x"
    assert f"htmx {version[1]}" in readme
    assert "Zero-Clause BSD" in Path(finders.find("vendor/htmx/LICENSE")).read_text()


def test_a_closed_lot_is_served_without_polling(
    client,
    contested,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    lot, _alice, _bob = contested
    lot.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        lot_close(lot_id=lot.pk, now=lot.closes_at)

    match = region(client.get(page_url(lot)).content.decode())

    assert "hx-get" not in match["attributes"]
    assert "Hammer price" in match["content"]


def test_a_withdrawn_lot_has_no_live_part(
    client,
    open_session,  # noqa: F811
):
    lot = LotFactory(session=open_session, status=LotStatus.WITHDRAWN, withdrawn_reason="争议")

    content = client.get(page_url(lot)).content.decode()

    assert 'id="lot-live"' not in content
    assert "<script" not in content


def test_the_page_reads_the_lot_fresh_even_when_the_cache_holds_an_older_head(
    client,
    contested,  # noqa: F811
):
    lot, _alice, _bob = contested
    client.get(live_url(lot))  # the head is now cached
    # Inside a test's transaction nothing commits, so this bid announces nothing: as if the
    # announcement had been lost after a real commit.
    bid_place(user=bidder(lot, "上海丙公司"), lot_id=lot.pk, max_amount="200000.00")

    page = squeeze(region(client.get(page_url(lot)).content.decode())["content"])

    assert "¥160,000.00 · 3 bids" in page
