"""Amparo's URLconf plus /bench/minimal/: a tiny response through the full middleware stack."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def minimal(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/minimal/", minimal, name="bench_minimal"),
    path("", include("amparo.config.urls")),
]
