"""API fixtures: a bearer token for any persona, and a client that speaks JSON with it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from amparo.api.services import api_token_create


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Each test starts in English (a token's user's language stays active after a request)."""
    with translation.override("en"):
        yield


class ApiClient:
    """The Django test client with a bearer token and JSON bodies."""

    def __init__(self, client: Client, secret: str | None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def get(self, path: str, params: dict[str, Any] | None = None, **headers: str) -> Any:
        return self.client.get(path, params or {}, headers={**self.headers, **headers})

    def post(self, path: str, body: Any = None, **headers: str) -> Any:
        data = "" if body is None else json.dumps(body)
        return self.client.post(
            path, data, content_type="application/json", headers={**self.headers, **headers}
        )


@pytest.fixture
def api_as(client: Client) -> Any:
    """api_as(user) -> an ApiClient acting as that user (a fresh token each call)."""

    def make(user: Any) -> ApiClient:
        _token, secret = api_token_create(user=user, name="test")
        return ApiClient(client, secret)

    return make


@pytest.fixture
def anonymous_api(client: Client) -> ApiClient:
    return ApiClient(client, None)
