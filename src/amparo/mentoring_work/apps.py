from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringWorkConfig(AppConfig):
    name = "amparo.mentoring_work"
    verbose_name = _("Mentoring work")

    def ready(self) -> None:
        from amparo.mentoring_work import policy  # noqa: F401  (registers permissions)
