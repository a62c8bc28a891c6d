"""The JSON API, mounted at /api/v1/ (OpenAPI description at /api/v1/openapi.json, docs at
/api/v1/docs). Routers call the same policy, services and selectors as the web pages."""

from __future__ import annotations

from ninja import NinjaAPI

from amparo.api.auth import ApiTokenAuth, TokenRateThrottle
from amparo.api.errors import install_error_handlers
from amparo.api.routers import board, cases, deadlines, mentoring

DESCRIPTION = """
Amparo's API for partner organizations' systems and volunteers' tools.

**Authentication.** Every call needs a bearer token: `Authorization: Bearer amp_...`. A token
belongs to one user, and so to that user's role and organization: it may do exactly what that
person may do on the web pages, no more. Program staff create tokens in the admin (API tokens)
or with `manage.py create_api_token EMAIL`; the token is shown once and only its hash is kept.
Staff, partner staff and mentors use two-factor authentication on the web; a token, issued by
staff for an integration, stands in for it, so keep it secret and have it revoked at once if it
may have leaked.

**Errors** are JSON: `{"code": "...", "message": "..."}`, the message in the token's user's
language; 422 adds `fields` (each bad field by its path in the request, with its messages), 403
and 409 may add `reasons`. A case or request that does not exist and one you may not see both
answer 404. Codes: `bad_request`, `not_authenticated`, `not_eligible`, `not_found`, `invalid`,
`taken`, `too_large`, `throttled`.

**Pages.** Lists are paged by cursor: pass the `next_cursor` of a page as `cursor` to get the
next one (null on the last page).

**Rate limit.** Each token may make 120 requests a minute (429 with Retry-After beyond).
"""

api = NinjaAPI(
    title="Amparo API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=ApiTokenAuth(),
    throttle=[TokenRateThrottle()],
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)
api.add_router("", deadlines.router)
api.add_router("", board.router)
api.add_router("", cases.router)
api.add_router("", mentoring.router)

urls = api.urls
