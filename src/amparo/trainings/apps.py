from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "amparo.trainings"
    verbose_name = _("Trainings")

    def ready(self) -> None:
        from amparo.trainings import policy  # noqa: F401  (registers permissions)
