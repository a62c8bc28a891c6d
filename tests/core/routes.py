"""The project's URL patterns, walked from the URL configuration itself, so that the access
tests cover a page added later without anyone having to list it."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

# allauth's sign-in pages and the Django admin (behind allauth's two-factor sign-in) are not ours.
SKIPPED_PREFIXES = ("admin/", "accounts/")
_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
            yield prefix + str(pattern.pattern), name


def project_routes() -> list[tuple[str, str]]:
    """(route, name) for every URL pattern of the project, e.g.
    ("cases/<str:code>/", "cases:detail")."""
    return [
        (route, name)
        for route, name in _walk(get_resolver().url_patterns)
        if not route.startswith(SKIPPED_PREFIXES)
    ]


def route_parameters(route: str) -> list[str]:
    """The names of a route's URL parameters, in order: ["code", "pk"]."""
    return [match["name"] for match in _PARAMETER.finditer(route)]


def fill(route: str, values: Mapping[str, Any]) -> str:
    """The path of `route` with each parameter replaced by its value in `values`."""

    def value(match: re.Match[str]) -> str:
        name = match["name"]
        assert name in values, f"no value for <{name}> in {route}"
        return str(values[name])

    return "/" + _PARAMETER.sub(value, route)
