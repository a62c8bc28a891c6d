from __future__ import annotations

from decimal import Decimal

from django import template

from amparo.mentoring_work.domain.pay import hours_from_minutes

register = template.Library()


@register.filter
def hours(minutes: int | None) -> Decimal:
    """Minutes as hours with two decimals (95 -> 1.58)."""
    return hours_from_minutes(int(minutes or 0))


@register.filter
def usd(value: Decimal | int | float | str | None) -> str:
    """$1,234.50 (databases return sums with varying decimals: always two here)."""
    if value is None or value == "":
        return "—"
    return f"${Decimal(str(value)):,.2f}"
