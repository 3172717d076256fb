"""URLs. Site pages live under i18n_patterns: Chinese without a prefix, English under /en/.

Machine endpoints (admin, documents, later api/ and stripe/) stay outside i18n_patterns so
their 404s stay 404s instead of becoming language redirects.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config.health import health
from marketplace.views import payments as payment_views

urlpatterns = [
    path("health/", health, name="health"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("stripe/webhook/", payment_views.stripe_webhook, name="stripe_webhook"),
    path("api/v1/", include("api.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
elif settings.SERVE_MEDIA_IMAGES:
    from config.media_urls import public_image_urlpatterns

    urlpatterns += public_image_urlpatterns(settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("accounts/", include("accounts.urls")),
    path("innovations/", include("innovations.urls")),
    path("licensing/", include("licensing.urls")),
    path("search/", include("sitesearch.urls")),
    path("", include("marketplace.urls")),
    # Wagtail's page serving is a catch-all, so it comes last.
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
