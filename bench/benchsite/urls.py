"""Amparo's URLconf plus /bench/minimal/ (a tiny response through the full middleware stack) and
two steps between it and a real page, to show where a page's time goes: /bench/signed-in/ (the
same tiny response for a signed-in user: session and user loaded) and /bench/layout/ (the site's
layout alone, navigation included, for a signed-in user)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path


def minimal(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_required
def signed_in(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


@login_required
def layout(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html", {})


urlpatterns = [
    path("bench/minimal/", minimal, name="bench_minimal"),
    path("bench/signed-in/", signed_in, name="bench_signed_in"),
    path("bench/layout/", layout, name="bench_layout"),
    path("", include("amparo.config.urls")),
]
