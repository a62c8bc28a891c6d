from __future__ import annotations

from collections.abc import Iterable

from django import template

from amparo.people.models import Language

register = template.Library()

_LANGUAGE_LABELS = dict(Language.choices)


@register.filter
def language_names(codes: Iterable[str] | None) -> str:
    """["es", "quc"] -> "Spanish, K'iche'" in the active language; unknown codes stay as given."""
    return ", ".join(str(_LANGUAGE_LABELS.get(code, code)) for code in codes or [])
