from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CraftsmenConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "craftsmen"
    verbose_name = _("Craftsmen")
