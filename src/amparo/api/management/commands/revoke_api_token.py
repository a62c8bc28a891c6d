"""``manage.py revoke_api_token PREFIX``: revoke the token that starts with PREFIX (as listed
in the admin and printed at creation)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.api.models import ApiToken
from amparo.api.services import api_token_revoke


class Command(BaseCommand):
    help = "Revoke the API token with this prefix (e.g. amp_Ab12Cd)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("prefix", metavar="PREFIX")

    def handle(self, *args: Any, **options: Any) -> None:
        prefix = options["prefix"].strip().rstrip("…")
        tokens = list(ApiToken.objects.filter(prefix=prefix[:16], revoked_at__isnull=True)[:2])
        if not tokens:
            raise CommandError(f"No active token has the prefix {prefix!r}.")
        if len(tokens) > 1:
            raise CommandError(f"Several tokens have the prefix {prefix!r}: revoke in the admin.")
        api_token_revoke(token=tokens[0])
        self.stdout.write(f"Revoked {tokens[0]}.")
