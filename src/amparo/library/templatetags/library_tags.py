"""The notifications link in the navigation bar, with the number of unread notifications.

One small query per page, and none for people who cannot use the library."""

from __future__ import annotations

from typing import Any

from django import template

from amparo.core.policy import can
from amparo.library.selectors import notification_unread_count

register = template.Library()


@register.inclusion_tag("library/_notifications_link.html", takes_context=True)
def library_notifications_link(context: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not can(user, "library.view_library"):
        return {"show": False, "count": 0}
    return {"show": True, "count": notification_unread_count(user=user)}
