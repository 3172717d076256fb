"""The interactive docs at /api/v1/docs: Swagger UI from the files ninja ships, no CDN.

ninja renders its local Swagger page only when "ninja" is an installed app, and its CDN page
otherwise. Rather than make ninja an app for three files, the page is our template and the
files are served from ninja's package by `docs_asset`, with a long cache life; the URL carries
ninja's version, so an upgrade is fetched anew.
"""

import json
from pathlib import Path

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from ninja.openapi.docs import DocsBase

NINJA_STATIC = Path(ninja.__file__).parent / "static" / "ninja"
DOCS_ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-init.js": "text/javascript",
    "favicon.png": "image/png",
}
ONE_YEAR = 60 * 60 * 24 * 365


class LocalSwagger(DocsBase):
    settings = {
        "layout": "BaseLayout",
        "deepLinking": True,
        # Swagger UI would otherwise send the schema to validator.swagger.io for a badge.
        "validatorUrl": None,
    }

    def render_page(self, request: HttpRequest, api, **kwargs) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(
            request,
            "api/docs.html",
            {
                "api": api,
                "swagger_settings": json.dumps(settings),
                "asset_version": ninja.__version__,
            },
        )


def docs_asset_url(name: str) -> str:
    return reverse("api_docs_asset", kwargs={"version": ninja.__version__, "name": name})


@require_GET
def docs_asset(request: HttpRequest, version: str, name: str) -> FileResponse:
    if name not in DOCS_ASSETS:
        raise Http404
    response = FileResponse((NINJA_STATIC / name).open("rb"), content_type=DOCS_ASSETS[name])
    response["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    return response
