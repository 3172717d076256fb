"""The site's URL structure with the public listing mounted, for tests of the listing alone.

The real innovations/urls.py is wired by the lead; this mounts the listing under the same
names (innovations:list, innovations:detail) so the page renders with the site's header.
"""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from innovations.views import public


def detail_placeholder(request, pk: int) -> HttpResponse:
    return HttpResponse(f"innovation {pk}")


innovations_patterns = (
    [
        path("", public.innovation_list, name="list"),
        path("<int:pk>/", detail_placeholder, name="detail"),
    ],
    "innovations",
)

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("accounts.urls")),
    path("innovations/", include(innovations_patterns)),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
