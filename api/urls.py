"""/api/v1/: the ninja API, its docs' files, and a JSON 404 for every other path under it
(without the last one, Wagtail's catch-all page route would answer with an HTML page)."""

from django.urls import path, re_path

from api.docs import docs_asset
from api.error_handlers import not_found_view
from api.language import in_request_language
from api.v1 import api

urlpatterns = [
    path("docs/assets/<str:version>/<str:name>", docs_asset, name="api_docs_asset"),
    # ninja's own root view raises a bare Http404, which Django would answer with a page.
    path("", in_request_language(not_found_view)),
    path("", api.urls),
    re_path(r"", in_request_language(not_found_view)),
]
