from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sitesearch"
    verbose_name = _("Site search")

    def ready(self):
        from sitesearch import signal_handlers  # noqa: F401 - connects the receivers
