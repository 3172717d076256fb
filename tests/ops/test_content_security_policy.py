"""Every answer carries a content security policy: strict on the public site (no inline script
or style anywhere), looser under /admin/, where Wagtail needs inline scripts and styles."""

from collections import deque
from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import Page

from accounts.models import User
from tests.factories.marketplace import LotFactory
from tests.ops.html_checks import csp_directives, inline_code, same_site_links

CSP = "Content-Security-Policy"
STRICT_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'", "https://checkout.stripe.com"],
    "frame-ancestors": ["'none'"],
}
# Not pages of the site, or not HTML: the admin has its own policy, the rest are files/JSON.
NOT_CRAWLED = ("/admin/", "/documents/", "/static/", "/media/", "/stripe/", "/api/v1/lots")
# Pages no link leads to.
EXTRA_PAGES = ("/api/v1/docs", "/accounts/register/", "/accounts/enterprise/register/")


def assert_strict_policy(response) -> None:
    directives = csp_directives(response[CSP])
    for name, sources in STRICT_DIRECTIVES.items():
        assert directives.get(name) == sources, (name, response[CSP])


def crawl(client, starts, *, limit: int = 400) -> dict[str, object]:
    """Follow same-site links breadth first from `starts`; the HTML pages answered 200, by
    path (one page per path: the query only filters or pages the same template)."""
    seen, pages = set(), {}
    queue = deque(starts)
    while queue and len(seen) < limit:
        url = queue.popleft()
        path = url.split("?")[0]
        if path in seen or path.startswith(NOT_CRAWLED) or "logout" in path:
            continue
        seen.add(path)
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        pages[path] = response
        queue.extend(same_site_links(html))
    return pages


@pytest.fixture
def demo_site(db):
    call_command("seed_demo", "--force", stdout=StringIO())


def test_home_page_has_the_strict_policy(client, db):
    response = client.get("/")

    assert response.status_code == 200
    assert_strict_policy(response)
    assert "'unsafe-inline'" not in response[CSP]
    assert "'unsafe-eval'" not in response[CSP]


def test_lot_page_has_the_strict_policy(client, db):
    lot = LotFactory()

    response = client.get(f"/auctions/lots/{lot.pk}/")

    assert response.status_code == 200
    assert_strict_policy(response)


def test_english_pages_and_errors_have_the_strict_policy(client, db):
    assert_strict_policy(client.get("/en/"))
    not_found = client.get("/no-such-page/")
    assert not_found.status_code == 404
    assert_strict_policy(not_found)


def test_admin_login_has_the_admin_policy_with_inline_scripts_and_styles(client, db):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    directives = csp_directives(response[CSP])
    assert directives["script-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-eval'" not in response[CSP]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    # The admin frames its own live preview, and nothing else may frame it.
    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["frame-src"] == ["'self'"]


def test_admin_really_needs_inline_scripts(admin_client):
    """The reason the admin has its own policy: its page editor starts widgets inline."""
    home = Page.objects.get(depth=2, locale__language_code="zh-hans")

    response = admin_client.get(f"/admin/pages/{home.pk}/edit/")

    assert response.status_code == 200
    assert any("inline script" in finding for finding in inline_code(response.content.decode()))


def test_a_page_previewed_in_the_admin_keeps_the_strict_policy_but_may_be_framed(db):
    """Wagtail renders a preview through a dummy request for the page's own URL, inside the
    admin's preview panel; with frame-ancestors 'none' the panel would stay blank."""
    home = Page.objects.get(depth=2, locale__language_code="zh-hans").specific

    response = home.make_preview_request()

    assert response.status_code == 200
    directives = csp_directives(response[CSP])
    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]


def test_security_headers_are_sent_outside_production_too(client, db):
    response = client.get("/")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_api_docs_run_swagger_from_files_and_read_settings_from_a_data_block(client, db):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert_strict_policy(response)
    html = response.content.decode()
    assert inline_code(html) == []
    assert '<script type="application/json" id="swagger-settings">' in html
    assert "swagger-ui-init.js" in html
    init = client.get(next(src for src in html.split('"') if src.endswith("swagger-ui-init.js")))
    assert init.status_code == 200
    assert b"swagger-settings" in b"".join(init.streaming_content)


@pytest.mark.parametrize(
    "login",
    [None, "chen.ming@example.com", "wang.jianguo@example.com", "staff@example.com"],
    ids=["anonymous", "enterprise-member", "worker", "union-staff"],
)
def test_no_public_page_has_inline_script_or_style(client, demo_site, login):
    """Given the demo data, when a visitor follows every link of the site in both languages,
    then no page has an inline script, style block, style attribute or event handler, and
    every page is sent with the strict policy (union staff also get Wagtail's userbar)."""
    if login:
        client.force_login(User.objects.get(email=login))

    pages = crawl(client, ["/", "/en/", *EXTRA_PAGES])

    found = {path: inline_code(r.content.decode()) for path, r in pages.items()}
    assert {path: problems for path, problems in found.items() if problems} == {}
    for response in pages.values():
        assert_strict_policy(response)
    # The crawl reached the pages that matter: catalogue, lots, innovations, both languages.
    visited = set(pages)
    assert len(visited) > 40
    assert any(path.startswith("/auctions/lots/") and path[-2].isdigit() for path in visited)
    assert any(path.startswith("/en/auctions/lots/") for path in visited)
    assert any(path.startswith("/innovations/") and path != "/innovations/" for path in visited)
