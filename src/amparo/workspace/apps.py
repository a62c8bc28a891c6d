from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    name = "amparo.workspace"
    verbose_name = _("Case workspace")

    def ready(self) -> None:
        from amparo.workspace import policy  # noqa: F401  (registers permissions)
