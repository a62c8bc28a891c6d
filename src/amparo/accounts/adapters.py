from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are created by the program (coordinators, the volunteer form), never open sign-up.
        return False

    def get_login_redirect_url(self, request: HttpRequest) -> Any:
        return "/dashboard/"
