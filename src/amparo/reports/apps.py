from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "amparo.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from amparo.reports import policy  # noqa: F401  (registers permissions)
