from __future__ import annotations

from typing import Any

from amparo.accounts.models import User


def user_set_language(*, user: Any, language: str) -> None:
    if user.language != language:
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language
