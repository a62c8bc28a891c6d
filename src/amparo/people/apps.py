from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "amparo.people"
    verbose_name = _("People")

    def ready(self) -> None:
        from amparo.people import policy  # noqa: F401  (registers permissions)
