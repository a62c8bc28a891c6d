from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "amparo.mentoring"
    verbose_name = _("Mentoring")

    def ready(self) -> None:
        from amparo.mentoring import policy  # noqa: F401  (registers permissions)
