from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "amparo.intake"
    verbose_name = _("Intake")

    def ready(self) -> None:
        from amparo.intake import policy  # noqa: F401  (registers permissions)
