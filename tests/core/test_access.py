"""The access test: every page and endpoint goes through the policy.

It walks the URL configuration itself, so a page added later is covered without editing this
file: signed out, every non-public URL sends to sign-in; signed in as each role, no page shows a
client's identity to someone the policy does not allow, and nothing answers with a 500.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import unescape
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from amparo.core.policy import can

# Pages anyone may open signed out (the sign-in pages themselves live under accounts/).
PUBLIC = {"home", "set_language", "people:join", "people:join_thanks", "deadlines:calendar_feed"}
PUBLIC |= {"security_txt"}  # /.well-known/security.txt: where to report a vulnerability
PUBLIC |= {
    f"public:{name}"
    for name in (
        "urgent",
        "newsletter",
        "newsletter_sent",
        "newsletter_confirm",
        "newsletter_unsubscribe",
        "support",
        "partners",
        "partners_thanks",
        "robots_txt",
    )
}
SKIPPED_PREFIXES = ("admin/", "accounts/")
PERSONAS = [
    "coordinator",
    "program_admin",
    "attorney",
    "other_attorney",
    "unverified_attorney",
    "mentor",
    "other_mentor",
    "partner",
    "other_partner",
]


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
    return [
        (route, name)
        for route, name in _walk(get_resolver().url_patterns)
        if not route.startswith(SKIPPED_PREFIXES)
    ]


def fill(route: str, *, code: str) -> str:
    path = (
        route.replace("<str:code>", code)
        .replace("<int:request_id>", "1")
        .replace("<int:pk>", "1")
        .replace("<str:token>", "not-a-token")
    )
    assert "<" not in path, f"add a sample value for {route}"
    return "/" + path


def test_the_walk_finds_the_pages():
    names = {name for _route, name in project_routes()}
    assert {"cases:detail", "board:board", "cases:placement", "people:verification_queue"} <= names


@pytest.mark.parametrize(("route", "name"), project_routes())
def test_signed_out_every_private_page_sends_to_sign_in(client, personas, route, name):
    url = fill(route, code=personas.placed_case.code)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code < 500, (method, url)
        if name in PUBLIC:
            continue
        if route.startswith("api/"):
            # The JSON API answers 401 JSON (never a redirect) to callers without a token; its
            # OpenAPI description and docs page are public (no data in them); api-root is
            # django-ninja's name for the prefix itself (a 404).
            if name in ("api:openapi-json", "api:openapi-view", "api:api-root"):
                continue
            assert response.status_code in (401, 405), (method, url, response.status_code)
            assert response.status_code == 405 or response.json()["code"] == "not_authenticated"
            continue
        assert response.status_code in (302, 403, 404, 405), (method, url, response.status_code)
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"], (method, url)
        assert personas.placed_case.client.full_name not in unescape(response.content.decode())


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_shows_a_client_to_someone_the_policy_does_not_allow(client, personas, persona):
    user = getattr(personas, persona)
    client.force_login(user)
    for case in (personas.placed_case, personas.ready_case, personas.other_org_case):
        allowed = can(user, "cases.view_case_file", case)
        for route, name in project_routes():
            if "<str:code>" not in route:
                continue
            url = fill(route, code=case.code)
            response = client.get(url)
            assert response.status_code < 500, url
            html = unescape(response.content.decode())
            if allowed and name == "cases:detail":
                assert case.client.full_name in html, (persona, url)  # the check can see names
            if not allowed:
                assert case.client.full_name not in html, (persona, url)
                assert (case.client.a_number or "A-number") not in html, (persona, url)
