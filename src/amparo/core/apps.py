from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "amparo.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from amparo.core import policy_rules  # noqa: F401  (registers permissions)
