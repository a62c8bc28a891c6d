from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "amparo.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from amparo.accounts.receivers import session_clocks_start

        user_logged_in.connect(session_clocks_start, dispatch_uid="amparo_session_clocks_start")
