"""/media/images/ served by the app for `make prod` (config.media_urls): the images folder and
nothing else of the media folder."""

import sys
import types
from importlib import reload

import pytest
from django.test import Client, override_settings
from django.urls import clear_url_caches

from config import urls as site_urls
from config.media_urls import public_image_urlpatterns

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "lathe.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "innovations").mkdir()
    (tmp_path / "innovations" / "report.pdf").write_bytes(b"%PDF-1.7 private")
    urls = types.ModuleType("tests.ops.media_image_urls")
    # The site's own URLs after them: the 404 page links home.
    urls.urlpatterns = [*public_image_urlpatterns(tmp_path), *site_urls.urlpatterns]
    sys.modules[urls.__name__] = urls
    with override_settings(ROOT_URLCONF=urls.__name__):
        yield tmp_path
    del sys.modules[urls.__name__]


def test_a_public_image_is_served(media):
    response = Client().get("/media/images/lathe.png")

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "path",
    [
        "/media/innovations/report.pdf",
        "/media/images/../innovations/report.pdf",
        "/media/images/%2e%2e/innovations/report.pdf",
        "/media/images/missing.png",
    ],
)
def test_nothing_outside_the_images_folder_is_served(media, path):
    # 400 for a path that tries to leave the folder (Django's SuspiciousFileOperation).
    assert Client().get(path).status_code in (400, 404)


@pytest.mark.parametrize("serve", [True, False])
def test_the_site_serves_images_only_when_asked(settings, serve):
    settings.DEBUG = False
    settings.SERVE_MEDIA_IMAGES = serve
    try:
        names = {getattr(pattern, "name", None) for pattern in reload(site_urls).urlpatterns}
    finally:
        settings.SERVE_MEDIA_IMAGES = False
        reload(site_urls)
        clear_url_caches()

    assert ("public_media_image" in names) is serve
