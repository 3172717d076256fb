"""The live part of a lot's page, on its own URL, for the page's polling (htmx, every 2 s).

Cheap for many watchers: the head and the public part come from the cache
(marketplace.live), and a watcher whose copy is current gets a 304 before anything is
rendered. `Cache-Control: no-cache` lets browsers keep the copy but makes them ask each time.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET

from marketplace.live.fragment import live_lot

# htmx stops polling when it receives this status; the lot can no longer change.
STOP_POLLING = 286


def _headers(response: HttpResponse, *, etag: str, personal: bool) -> HttpResponse:
    response["ETag"] = etag
    if personal:
        # Someone's own maximum must never sit in a shared cache.
        patch_cache_control(response, no_cache=True, private=True)
    else:
        patch_cache_control(response, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    return response


@require_GET
def lot_live(request: HttpRequest, pk: int) -> HttpResponse:
    live = live_lot(pk, user=request.user)
    if live is None:
        raise Http404
    personal = live.own is not None
    not_modified = get_conditional_response(request, etag=live.etag)
    if not_modified is not None:
        return _headers(not_modified, etag=live.etag, personal=personal)
    response = render(request, "marketplace/live/lot_live.html", live.context())
    if not live.polling and request.headers.get("HX-Request"):
        response.status_code = STOP_POLLING
    return _headers(response, etag=live.etag, personal=personal)
