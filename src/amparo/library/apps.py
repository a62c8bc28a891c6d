from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "amparo.library"
    verbose_name = _("Sample-materials library")

    def ready(self) -> None:
        from amparo.library import policy  # noqa: F401  (registers permissions)
