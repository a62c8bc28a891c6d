"""The private calendar address: a settings page to create, replace or turn it off, and the feed
itself, which calendar apps fetch without signing in (the token in the address is the key)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from amparo.core.http import AuthenticatedRequest
from amparo.deadlines.feeds import (
    calendar_feed_build_ics,
    calendar_feed_find,
    calendar_feed_get,
    calendar_feed_get_or_create,
    calendar_feed_mark_fetched,
    calendar_feed_regenerate,
    calendar_feed_revoke,
)

_ACTIONS: dict[str, Callable[..., Any]] = {
    "create": calendar_feed_get_or_create,
    "regenerate": calendar_feed_regenerate,
    "revoke": calendar_feed_revoke,
}


def _action_message(action: str) -> str:
    if action == "create":
        return _("Your calendar address is ready. Add it to your calendar app as shown below.")
    if action == "regenerate":
        return _(
            "You have a new calendar address. The old one no longer works: add the new one to "
            "your calendar app."
        )
    return _("Your calendar address is turned off. Calendars that used it will stop updating.")


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST":
        action = request.POST.get("action", "")
        service = _ACTIONS.get(action)
        if service is None:
            return render(request, "deadlines/bad_request.html", status=400)
        service(user=request.user)
        messages.success(request, _action_message(action))
        return redirect("deadlines:calendar_settings")
    feed = calendar_feed_get(user=request.user)
    feed_url = webcal_url = None
    if feed is not None:
        feed_url = request.build_absolute_uri(reverse("deadlines:calendar_feed", args=[feed.token]))
        webcal_url = "webcal://" + feed_url.split("://", 1)[1]
    return render(
        request,
        "deadlines/calendar_settings.html",
        {"feed": feed, "feed_url": feed_url, "webcal_url": webcal_url},
    )


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    # Unknown, replaced and revoked tokens all answer the same 404: nothing says which.
    feed = calendar_feed_find(token=token)
    if feed is None:
        raise Http404
    calendar_feed_mark_fetched(feed=feed)
    body = calendar_feed_build_ics(user=feed.user, today=timezone.localdate())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Content-Disposition"] = 'inline; filename="amparo.ics"'
    return response
