"""The JSON API, version 1, mounted at /api/v1/ outside i18n_patterns (config/urls.py).

Its own `urls_namespace` because Wagtail registers `wagtailapi_v3`. Routers live with their
app (marketplace/api.py); authentication, refusals and idempotency are in this app.
"""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from api.docs import LocalSwagger
from api.error_handlers import register_error_handlers
from api.goal import router as goal_router
from api.language import in_request_language
from marketplace.api import router as lots_router


class Utf8JSONRenderer(JSONRenderer):
    """Chinese as characters, not \\u escapes, like the refusals (JsonResponse)."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="Worker Innovation Exchange API",
    version="1",
    description=(
        "Auction lots and bidding. Authenticate with a personal API token "
        "(`Authorization: Bearer wie_…`, made on your enterprise's page) or the browser "
        "session with its CSRF token. Refusals are `{code, message}` with a 4xx status."
    ),
    urls_namespace="api-v1",
    docs=LocalSwagger(),
    renderer=Utf8JSONRenderer(),
)
register_error_handlers(api)
# Before validation and authentication, so their refusals are translated too.
api.add_decorator(in_request_language, mode="view")
api.add_router("/", lots_router)
api.add_router("/", goal_router)
