from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "amparo.public"
    verbose_name = _("Public pages")

    def ready(self) -> None:
        from amparo.public import policy  # noqa: F401  (registers permissions)
