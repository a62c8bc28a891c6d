"""The access test of the JSON API (/api/v1/): every endpoint, with the bearer token of every
persona, on objects each may and may not reach.

As for the pages (tests/core/test_access.py, whose world and conventions this reuses): the
endpoints come from the URL configuration, and one missing from API_ACCESS below fails with
"add <route> to the access table". Without a token, or with a token that is not one, every
endpoint but the OpenAPI description answers 401; a token whose person may not use the
endpoint, or may not see the object, gets 404 (an object that does not exist answers the
same); a method the endpoint does not take answers 405. No answer shows a client's name or
A-number to a persona who may not read that client's file, except the names revealed to a
verified attorney for the conflict check (POST /cases/{id}/parties).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from tests.core.access_world import MIRROR, MISSING, PERSONA_NAMES, SIDE_PERSONAS, World
from tests.core.access_world import world_build as _world_build
from tests.core.routes import fill, project_routes, route_parameters
from tests.core.test_access import (
    CASE_FILE,
    NOBODY,
    SIGNED_IN,
    STAFF,
    VERIFIED,
    Who,
    who,
)

NO_TOKEN = "no token"
BAD_TOKEN = "a token that is not one"
SAME = object()
OK = frozenset({200})
# An action passed the access check: done (200, 201, 202), refused for the state of things
# (409: taken, already asked) or for its data (422).
DONE_OR_REFUSED = frozenset({200, 201, 202, 409, 422})

Body = Callable[[World, str], Any]


@dataclass(frozen=True)
class Endpoint:
    """Who may call an endpoint: `a` with side A's objects (or at all), `b` with side B's
    (default: the mirror of `a`); `kw`: the object kind of each URL parameter; `body`: the
    JSON body for a side; `ok`: the statuses of an allowed call; `public`: no token needed;
    `reveals`: personas to whom the endpoint may show the clients of its own case."""

    a: Who
    method: str = "GET"
    kw: Mapping[str, str] = field(default_factory=dict)
    b: Any = SAME
    body: Body | None = None
    ok: frozenset[int] = OK
    public: bool = False
    reveals: Who = NOBODY
    query: str = ""
    # The answer to a method the endpoint does not take (None: django-ninja's own pages, which
    # answer any method).
    wrong_method: int | None = 405
    # The case a body names, for the leak check: its kind in the world.
    body_case: str = ""


def _case_in(world: World, side: str) -> dict[str, Any]:
    return {
        "client": {
            "given_names": "Nueva",
            "family_names": "Apitestclient",
            "country_of_nationality": "sv",
            "languages": ["es"],
        },
        "case_type": "defensive_asylum",
    }


def _request_in(world: World, side: str) -> dict[str, Any]:
    return {"case": world.values["case"][side], "help_wanted": "Strategy for the hearing"}


API_ACCESS: dict[str, Endpoint] = {
    # The description of the API holds no data.
    "api:openapi-json": Endpoint(SIGNED_IN, public=True, wrong_method=None),
    "api:openapi-view": Endpoint(SIGNED_IN, public=True, wrong_method=None),
    # django-ninja's name for the prefix itself: nothing there, for anyone.
    "api:api-root": Endpoint(NOBODY, public=True, wrong_method=None),
    # Stateless: any token.
    "api:deadlines_compute": Endpoint(SIGNED_IN, method="POST", body=lambda w, s: []),
    "api:my_deadlines": Endpoint(SIGNED_IN),
    "api:board": Endpoint(who(VERIFIED, STAFF)),
    "api:case_submit": Endpoint(
        who("coordinator", "partner", "other_partner"),
        method="POST",
        body=_case_in,
        ok=DONE_OR_REFUSED,
    ),
    # The case's status (cases.view_case_summary), asking for the client's identity: the
    # file's readers get it; the mentor of case C (file not shared) gets the status without it.
    "api:case_status": Endpoint(CASE_FILE, kw={"code": "case"}, query="?include=client"),
    # Step 1 of taking a case on the board: the names, for a verified attorney (403 with the
    # reasons when they cannot take it yet: the case is on the board for them).
    "api:case_parties": Endpoint(
        VERIFIED,
        method="POST",
        kw={"code": "board_case"},
        b=NOBODY,
        ok=frozenset({200, 403}),
        reveals=VERIFIED,
    ),
    # Step 2: take it; case A (not on the board) only for the attorney who already has it.
    "api:case_take_endpoint": Endpoint(
        VERIFIED,
        method="POST",
        kw={"code": "board_case"},
        b=who("attorney"),
        body=lambda w, s: {"no_conflict_attested": True},
        ok=frozenset({200, 202, 403, 409}),
    ),
    # mentoring.request_for_case: staff, the attorney of record, the placing organization.
    "api:mentorship_request_create": Endpoint(
        who(STAFF, "attorney", "partner"),
        method="POST",
        body=_request_in,
        ok=DONE_OR_REFUSED,
        body_case="case",
    ),
    # mentoring.view_request: staff, the mentee, the placing organization; not the mentor.
    "api:mentorship_request_detail": Endpoint(
        who(STAFF, "attorney", "partner"), kw={"request_id": "mentoring_request"}
    ),
}

API_PREFIX = "api/"


def api_routes() -> list[tuple[str, str]]:
    return [(route, name) for route, name in project_routes() if route.startswith(API_PREFIX)]


def test_every_endpoint_is_in_the_access_table():
    names = {name for _route, name in api_routes()}
    missing = sorted(names - API_ACCESS.keys())
    assert not missing, "\n".join(f"add {name} to the access table" for name in missing)
    gone = sorted(API_ACCESS.keys() - names)
    assert not gone, f"no such endpoints any more, remove them from the access table: {gone}"
    for route, name in api_routes():
        assert sorted(route_parameters(route)) == sorted(API_ACCESS[name].kw), name


def mirror(personas: Who) -> Who:
    return frozenset(MIRROR.get(name, name) for name in personas)


def allowed(endpoint: Endpoint, side: str) -> Who:
    if side == "A":
        return endpoint.a
    if side == "B":
        return mirror(endpoint.a) if endpoint.b is SAME else endpoint.b
    if side == "C":
        return endpoint.a
    return NOBODY


def expected(endpoint: Endpoint, caller: str, side: str) -> frozenset[int]:
    if caller in (NO_TOKEN, BAD_TOKEN):
        if not endpoint.public:
            return frozenset({401})
        caller = "coordinator"  # public: as anyone else
    if caller in allowed(endpoint, side):
        return endpoint.ok
    return frozenset({404})


class ApiRunner:
    def __init__(self, world: World) -> None:
        self.world = world
        self.client = Client()
        self.failures: list[str] = []
        self.count = 0

    def headers(self, caller: str) -> dict[str, str]:
        if caller == NO_TOKEN:
            return {}
        if caller == BAD_TOKEN:
            return {"Authorization": "Bearer amp_not-a-token"}
        return {"Authorization": f"Bearer {self.world.tokens[caller]}"}

    def path(self, route: str, endpoint: Endpoint, side: str) -> str:
        values = {}
        for parameter, kind in endpoint.kw.items():
            if side == "missing":
                values[parameter] = MISSING["str" if parameter == "code" else "int"]
            else:
                values[parameter] = self.world.values[kind][side]
        return fill(route, values) + endpoint.query

    def call(self, name: str, method: str, path: str, caller: str, side: str) -> tuple[int, str]:
        endpoint = API_ACCESS[name]
        body = endpoint.body(self.world, side if side in "ABC" else "A") if endpoint.body else None
        self.count += 1
        with transaction.atomic():
            if method == "GET":
                response = self.client.get(path, headers=self.headers(caller))
            else:
                data = "" if body is None else json.dumps(body)
                response = self.client.generic(
                    method,
                    path,
                    data,
                    content_type="application/json",
                    headers=self.headers(caller),
                )
            transaction.set_rollback(True)
        return response.status_code, response.content.decode("utf-8", errors="replace")

    def check(self, name: str, route: str, caller: str, side: str) -> None:
        endpoint = API_ACCESS[name]
        path = self.path(route, endpoint, side)
        status, body = self.call(name, endpoint.method, path, caller, side)
        want = expected(endpoint, caller, side)
        where = f"{caller:<24} {endpoint.method:<4} {path} [{name}, side {side}]"
        if status not in want:
            shown = "/".join(str(s) for s in sorted(want))
            self.failures.append(f"{where}: expected {shown}, got {status}")
        elif status == 401 and json.loads(body).get("code") != "not_authenticated":
            self.failures.append(f"{where}: a 401 without the code not_authenticated: {body}")
        self.check_no_leak(where, endpoint, caller, side, body)

    def check_no_leak(
        self, where: str, endpoint: Endpoint, caller: str, side: str, body: str
    ) -> None:
        kinds = [*endpoint.kw.values(), *([endpoint.body_case] if endpoint.body_case else [])]
        own = {self.world.values[k].get(side) for k in kinds} if side in "ABC" else set()
        for code, (secrets, readers) in self.world.clients.items():
            if caller in readers or (code in own and caller in endpoint.reveals):
                continue
            for secret in secrets:
                if secret and secret in body:
                    self.failures.append(f"{where}: shows {secret!r} of {code}")

    def run(self, route: str, name: str) -> None:
        endpoint = API_ACCESS[name]
        sides = [
            side
            for side in ("A", "B", "C")
            if (side == "A" or endpoint.kw)
            and all(side in self.world.values[kind] for kind in endpoint.kw.values())
        ]
        for side in sides:
            if side == "A":
                callers = [NO_TOKEN, BAD_TOKEN, *PERSONA_NAMES]
            elif side == "B":
                # Those whose answer changes with the side (see test_access.py).
                callers = [
                    p
                    for p in PERSONA_NAMES
                    if expected(endpoint, p, "A") != expected(endpoint, p, "B")
                ]
            else:
                callers = list(SIDE_PERSONAS["A"])  # case C: its attorney, mentor, partner
            for caller in callers:
                self.check(name, route, caller, side)
        if endpoint.kw:
            self.check(name, route, "coordinator", "missing")
        if endpoint.wrong_method is not None:
            path = self.path(route, endpoint, "A")
            status, _body = self.call(name, "DELETE", path, "coordinator", "A")
            if status != endpoint.wrong_method:
                self.failures.append(
                    f"coordinator DELETE {path} [{name}]: expected "
                    f"{endpoint.wrong_method}, got {status}"
                )


@pytest.fixture
def world(personas: Any) -> World:
    return _world_build(personas)


def test_every_token_gets_what_the_api_access_table_says(world):
    runner = ApiRunner(world)
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    try:
        for route, name in api_routes():
            if name in API_ACCESS:
                runner.run(route, name)
    finally:
        request_log.setLevel(level)
    assert not runner.failures, f"{len(runner.failures)} answers differ:\n" + "\n".join(
        runner.failures
    )


def test_the_table_catches_an_endpoint_that_forgets_its_check(world, monkeypatch):
    monkeypatch.setattr("amparo.api.routers.mentoring.can", lambda *args: True)
    runner = ApiRunner(world)
    runner.run("api/v1/mentorship-requests/<int:request_id>", "api:mentorship_request_detail")
    assert any(
        line.startswith("other_attorney") and "expected 404, got 200" in line
        for line in runner.failures
    ), runner.failures
