from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConflictsConfig(AppConfig):
    name = "amparo.conflicts"
    verbose_name = _("Conflict check")

    def ready(self) -> None:
        from amparo.conflicts import policy  # noqa: F401  (registers permissions)
