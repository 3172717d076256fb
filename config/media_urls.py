"""Wagtail's public images served by the app itself, for one machine with no web server in front
(`make prod`). A real deployment serves /media/images/ from the web server or load balancer
(README "Running in production"), and nothing else under /media/: innovation attachments, lots'
confidential documents and bank receipts are only ever served by views that check permissions.
"""

from pathlib import Path

from django.urls import URLPattern, re_path
from django.views.static import serve


def public_image_urlpatterns(media_root: Path) -> list[URLPattern]:
    """/media/images/<path>: the images folder only (django's serve refuses paths that leave
    it)."""
    return [
        re_path(
            r"^media/images/(?P<path>.+)$",
            serve,
            {"document_root": Path(media_root) / "images"},
            name="public_media_image",
        )
    ]
