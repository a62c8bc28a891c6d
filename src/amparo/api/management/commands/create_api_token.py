"""``manage.py create_api_token EMAIL [--name NAME]``: create an API token for a user and print
it, once (only its hash is stored). The token acts as that user: their role, organization and
language."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.accounts.models import User
from amparo.api.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for the user with this e-mail address and print it once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", metavar="EMAIL", help="the user's e-mail address")
        parser.add_argument(
            "--name", default="", help="what the token is for (default: 'command line')"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user has the e-mail address {email!r}.")
        if not user.is_active:
            raise CommandError(f"{email} is not an active user.")
        token, secret = api_token_create(user=user, name=options["name"] or "command line")
        self.stderr.write(
            f"Token {token.prefix}… created for {user.email} ({user.role}). It is shown only now:"
        )
        self.stdout.write(secret)
