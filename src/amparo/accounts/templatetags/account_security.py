from django import template

from amparo.accounts.notifications import device_label

register = template.Library()


@register.filter
def device(user_agent: str) -> str:
    """ "Firefox on Windows" for a User-Agent header."""
    return device_label(user_agent or "")
