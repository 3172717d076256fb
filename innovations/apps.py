from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnovationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "innovations"
    verbose_name = _("Innovations")
