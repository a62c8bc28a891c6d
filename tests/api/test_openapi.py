"""The OpenAPI description and the docs page: public, complete, served without a CDN."""

from __future__ import annotations

from django.test import Client

from amparo.api.services import api_token_create


def test_openapi_description_lists_every_endpoint_with_bearer_auth(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert set(schema["paths"]) == {
        "/api/v1/deadlines/compute",
        "/api/v1/me/deadlines",
        "/api/v1/board",
        "/api/v1/cases",
        "/api/v1/cases/{code}",
        "/api/v1/cases/{code}/parties",
        "/api/v1/cases/{code}/take",
        "/api/v1/mentorship-requests",
        "/api/v1/mentorship-requests/{request_id}",
    }
    assert schema["components"]["securitySchemes"]["ApiTokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    take = schema["paths"]["/api/v1/cases/{code}/take"]["post"]
    assert "/parties" in take["description"] and "no_conflict_attested" in take["description"]
    assert {"200", "202", "403", "404", "409", "422"} <= set(take["responses"])
    assert "two-factor" in schema["info"]["description"]


def test_docs_page_uses_our_own_static_files(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


def test_api_needs_no_csrf_token_with_a_bearer_token(personas):
    _token, secret = api_token_create(user=personas.partner, name="t")
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/api/v1/cases",
        "{}",
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 422  # past CSRF and authentication: the body is what is wrong
