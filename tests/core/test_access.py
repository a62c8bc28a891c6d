"""The access test: every page, by every persona, on objects they may and may not reach.

The routes come from the URL configuration itself (tests/core/routes.py): a page added later
and missing from ACCESS below fails `test_every_route_is_in_the_access_table` with "add <route>
to the access table". Each row says who reaches the route with side A's objects (see
tests/core/access_world.py: the `attorney`, `mentor` and `partner` personas own side A; their
`other_` counterparts own side B, its mirror image). For side B the same row holds with each
side-A persona swapped for its counterpart, unless the row says otherwise.

What is expected (the project's convention, core/policy.py): a persona the row names gets the
page (200, or for an action posted without a form a non-error answer: the access check passed);
every other signed-in persona gets 404, whether the object is someone else's or the whole page
is not for their role (nothing answers 403, which would tell that the object exists); signed
out, every private URL redirects to sign-in; a method the view does not take answers 405. The
same object id used under another case, and an id that does not exist, answer 404 as well.
Besides the status, no answer shows a client's name or A-number to a persona who may not read
that client's file.

The rows are written from the policy modules (amparo/*/policy.py) and the product rules, not
computed from them: a view that forgets its policy check fails here.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html import unescape
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from tests.conftest import empty_test_caches
from tests.core.access_world import (
    MIRROR,
    MISSING,
    PERSONA_NAMES,
    SIDE_PERSONAS,
    World,
    world_build,
)
from tests.core.routes import fill, project_routes, route_parameters

Who = frozenset[str]


def who(*groups: str | Iterable[str]) -> Who:
    names: set[str] = set()
    for group in groups:
        names.update({group} if isinstance(group, str) else group)
    return frozenset(names)


ANONYMOUS = "anonymous"
NOBODY = who()
STAFF = who("coordinator", "program_admin")
COORDINATOR = who("coordinator")
PROGRAM_ADMIN = who("program_admin")
VERIFIED = who("attorney", "other_attorney")
ATTORNEYS = who(VERIFIED, "unverified_attorney")
MENTORS = who("mentor", "other_mentor")
PARTNERS = who("partner", "other_partner")
LEARNERS = who(VERIFIED, MENTORS)  # trainings/policy.py: verified attorneys and mentors
LIBRARY_READERS = who(STAFF, VERIFIED, MENTORS)  # library/policy.py
SIGNED_IN = who(PERSONA_NAMES)
EVERYONE = who(SIGNED_IN, ANONYMOUS)
# Side A's case file (cases/policy.py: staff, the attorney of record, the placing organization,
# the mentor the file is shared with); side A's workspace (workspace/policy.py) is the same.
CASE_FILE = who(STAFF, "attorney", "mentor", "partner")
WORKS_CASE = who("coordinator", "attorney")  # workspace.change_workspace on an open case
MENTORSHIP_PAIR = who("attorney", "mentor")  # the mentee and the mentor of mentorship A
MENTORSHIP_VIEW = who(STAFF, MENTORSHIP_PAIR)  # mentoring_work.view_mentorship

LOGIN = "sign-in"  # a 302 to the sign-in page
# An action posted without its form passed the access check: it answers 200, a redirect (not
# to sign-in), 400, 409 (the state does not allow it) or 422 (the form's errors).
PASSING_STATUSES = frozenset({200, 302, 400, 409, 422})
SAME = object()  # side B: side A's personas swapped for their counterparts


@dataclass(frozen=True)
class Rule:
    """Who reaches a route. `a`: with side A's objects (or at all, for a route without any);
    `b`: with side B's (default: the mirror of `a`); `c`: with case C, whose file is not
    shared with its mentor (default: as `a`); `kw`: the object kind of each URL
    parameter; `method`: GET (a page: POST answers 405), POST (an action: GET answers 405),
    GET+POST (a form: both are asked; `post` says who passes on POST, default `a`) or ANY (a
    page whose view takes any method); `ok`: the status of an allowed GET; `redirect`: personas
    sent elsewhere (302) instead of the page; `missing`: the answer for an object that does not
    exist; `reveals`: personas to whom the route may show the clients of its own objects."""

    a: Who
    kw: Mapping[str, str] = field(default_factory=dict)
    b: Any = SAME
    c: Any = SAME
    method: str = "GET"
    post: Who | None = None
    ok: int = 200
    redirect: Who = NOBODY
    query: str = ""
    missing: int = 404
    reveals: Who = NOBODY
    data: Mapping[str, str] = field(default_factory=dict)
    passes: frozenset[int] = PASSING_STATUSES


def page(a: Who, **kw: Any) -> Rule:
    return Rule(a, **kw)


def action(a: Who, **kw: Any) -> Rule:
    return Rule(a, method="POST", **kw)


def form(a: Who, **kw: Any) -> Rule:
    return Rule(a, method="GET+POST", **kw)


CASE = {"code": "case"}


def on_case(kind: str) -> dict[str, str]:
    return {"code": "case", "pk": kind}


ACCESS: dict[str, Rule] = {
    # --- site ---------------------------------------------------------------------------------
    "home": page(EVERYONE, method="ANY", redirect=SIGNED_IN),  # signed in: to the dashboard
    "dashboard": page(SIGNED_IN, method="ANY"),
    "program_tools": page(STAFF, method="ANY"),
    "audit_log": page(STAFF),
    "set_language": action(EVERYONE),
    # --- intake ---------------------------------------------------------------------------------
    "intake:case_import": form(who(COORDINATOR, PARTNERS)),
    "intake:case_import_template": page(who(COORDINATOR, PARTNERS)),
    "intake:case_import_template_xlsx": page(who(COORDINATOR, PARTNERS)),
    # An import's page is for the person who started it, nobody else (intake/policy.py).
    "intake:case_import_job": page(who("partner"), kw={"token": "import_job"}),
    "cases:new": form(who(COORDINATOR, PARTNERS)),
    "cases:screening": form(COORDINATOR, kw=CASE),
    # The partner edits only before placement; case A is placed.
    "cases:edit": form(WORKS_CASE, kw=CASE),
    # --- cases, placement -----------------------------------------------------------------------
    "cases:list": page(SIGNED_IN, method="ANY"),
    "cases:detail": page(CASE_FILE, kw=CASE, method="ANY", c=CASE_FILE - {"mentor"}),
    "cases:timeline": page(STAFF, kw=CASE, method="ANY"),
    # Archiving a closed case by hand, and bringing it back (cases/retention.py).
    "cases:archive": action(COORDINATOR, kw=CASE),
    "cases:unarchive": action(COORDINATOR, kw=CASE),
    "cases:placement_requests": page(COORDINATOR, method="ANY"),
    "cases:placement": page(COORDINATOR, kw=CASE, method="ANY"),
    "cases:placement_place": action(COORDINATOR, kw=CASE),
    "cases:placement_withdrawal": action(COORDINATOR, kw=CASE),
    "cases:placement_request_decide": action(
        COORDINATOR, kw={"code": "case", "request_id": "placement_request"}
    ),
    # The board (side A: a case on it; side B: a placed case, never on it).
    "board:board": page(who(VERIFIED, STAFF), method="ANY"),
    "board:card": page(who(VERIFIED, STAFF), kw={"code": "board_case"}, b=NOBODY, method="ANY"),
    # Revealing the names is the conflict check's step 1: the verified attorney sees them (or
    # 403 with the unmet requirements: the case exists for them, it is on the board).
    "board:reveal": action(
        VERIFIED,
        kw={"code": "board_case"},
        b=NOBODY,
        reveals=VERIFIED,
        passes=PASSING_STATUSES | {403},
    ),
    # Taking: any verified attorney, a case on the board; or the attorney who already has it.
    "board:take": action(VERIFIED, kw={"code": "board_case"}, b=who("attorney")),
    "deadlines:case_deadlines": form(CASE_FILE, kw=CASE, post=WORKS_CASE, c=CASE_FILE - {"mentor"}),
    "deadlines:calendar_settings": form(SIGNED_IN),
    "deadlines:calendar_feed": page(EVERYONE, kw={"token": "calendar_token"}, b=NOBODY),
    "conflicts:case_conflicts": form(STAFF, kw=CASE, post=COORDINATOR, data={"action": "run"}),
    # --- case workspace -------------------------------------------------------------------------
    "workspace:case": page(CASE_FILE, kw=CASE),
    "workspace:hearing_add": action(WORKS_CASE, kw=CASE),
    "workspace:hearing_reschedule": action(WORKS_CASE, kw=on_case("hearing")),
    "workspace:hearing_outcome": action(WORKS_CASE, kw=on_case("hearing")),
    "workspace:milestone_status": action(WORKS_CASE, kw=on_case("milestone")),
    "workspace:contact_add": action(WORKS_CASE, kw=CASE),
    "workspace:hours_add": action(who("attorney"), kw=CASE),
    "workspace:hours_delete": action(who("attorney"), kw=on_case("hours")),
    "workspace:outcome": action(WORKS_CASE, kw=CASE),
    "workspace:close": action(WORKS_CASE, kw=CASE),
    "workspace:withdrawal_request": action(who("attorney"), kw=CASE),
    "workspace:withdrawal_decide": action(COORDINATOR, kw=on_case("withdrawal")),
    "workspace:handoff": page(who(STAFF, "attorney"), kw=on_case("handoff")),
    "workspace:document_upload": action(WORKS_CASE, kw=CASE),
    "workspace:document_version_add": action(WORKS_CASE, kw=on_case("document")),
    # Documents: coordinators, the attorney of record, the mentor the file is shared with.
    "workspace:document_download": page(
        who(COORDINATOR, "attorney", "mentor"),
        kw=on_case("document_version"),
        c=who(COORDINATOR, "attorney"),
    ),
    "workspace:document_comment": action(
        who(COORDINATOR, "attorney", "mentor"),
        kw=on_case("document_version"),
        c=who(COORDINATOR, "attorney"),
    ),
    "workspace:hours_totals": page(who(STAFF, ATTORNEYS)),
    "workspace:hours_export": page(who(STAFF, ATTORNEYS)),
    "workspace:cases_at_risk": page(STAFF),
    "workspace:withdrawal_list": page(COORDINATOR),
    "workspace:status_requests": form(STAFF),
    "workspace:status_request": page(STAFF, kw={"pk": "status_request"}),
    "workspace:status_updates": page(ATTORNEYS),
    "workspace:status_answer": form(who("attorney"), kw={"pk": "status_recipient"}),
    # --- library --------------------------------------------------------------------------------
    "library:document_list": page(LIBRARY_READERS),
    "library:document_create": form(STAFF),
    "library:document_detail": page(LIBRARY_READERS, kw={"pk": "library_document"}),
    "library:document_edit": form(STAFF, kw={"pk": "library_document"}),
    "library:version_create": form(STAFF, kw={"pk": "library_document"}),
    "library:version_download": page(LIBRARY_READERS, kw={"pk": "library_version"}),
    "library:notifications": form(LIBRARY_READERS),
    "library:strategy_notes": page(LIBRARY_READERS),
    "library:strategy_note_create": form(COORDINATOR),
    "library:strategy_note_edit": form(COORDINATOR, kw={"pk": "strategy_note"}),
    "library:strategy_note_history": page(LIBRARY_READERS, kw={"pk": "strategy_note"}),
    # --- reports --------------------------------------------------------------------------------
    "reports:dashboard": page(STAFF),
    "reports:mine": page(who(ATTORNEYS, MENTORS)),
    "reports:export": page(STAFF, query="?table=summary&start=2026-01-01&end=2026-12-31"),
    "reports:funder_report": page(STAFF),
    # --- mentoring: requests, invitations, agreement, meetings ----------------------------------
    "mentoring:home": page(SIGNED_IN, redirect=STAFF),  # staff: to the requests queue
    "mentoring:case": page(CASE_FILE, kw=CASE),
    "mentoring:request_create": action(who(STAFF, "attorney", "partner"), kw=CASE),
    "mentoring:agreement": form(who("attorney"), kw=CASE),
    "mentoring:meeting_book": action(MENTORSHIP_PAIR, kw=CASE),
    "mentoring:meeting_held": action(MENTORSHIP_PAIR, kw={"pk": "meeting"}),
    "mentoring:signature_print": page(MENTORSHIP_VIEW, kw={"pk": "signature"}),
    "mentoring:queue": page(STAFF),
    "mentoring:request_bulk": form(PARTNERS),
    "mentoring:request_upload": action(PARTNERS),
    "mentoring:request_detail": page(STAFF, kw={"pk": "mentoring_request"}),
    "mentoring:request_confirm": action(STAFF, kw={"pk": "mentoring_request"}),
    "mentoring:request_override": action(STAFF, kw={"pk": "mentoring_request"}),
    "mentoring:request_withdraw": action(
        who(STAFF, "attorney", "partner"), kw={"pk": "mentoring_request"}
    ),
    "mentoring:invitation": page(who("mentor"), kw={"token": "invitation"}),
    "mentoring:invitation_accept": action(who("mentor"), kw={"token": "invitation"}),
    "mentoring:invitation_decline": action(who("mentor"), kw={"token": "invitation"}),
    # --- mentoring: the ongoing mentorship ------------------------------------------------------
    "mentoring_work:list": page(SIGNED_IN),
    "mentoring_work:workspace": page(MENTORSHIP_VIEW, kw={"pk": "mentorship"}),
    "mentoring_work:first_meeting": action(MENTORSHIP_PAIR, kw={"pk": "mentorship"}),
    "mentoring_work:milestone_add": action(MENTORSHIP_PAIR, kw={"pk": "mentorship"}),
    "mentoring_work:messages": form(MENTORSHIP_VIEW, kw={"pk": "mentorship"}, post=MENTORSHIP_PAIR),
    # Time: the mentor logs it, program admins approve it.
    "mentoring_work:time_log": form(
        who(PROGRAM_ADMIN, "mentor"), kw={"pk": "mentorship"}, post=who("mentor")
    ),
    "mentoring_work:close": form(who(PROGRAM_ADMIN, "mentor"), kw={"pk": "mentorship"}),
    # Feedback is given once the mentorship is closed (these are active); staff read it.
    "mentoring_work:feedback": form(STAFF, kw={"pk": "mentorship"}, post=NOBODY),
    "mentoring_work:milestone": form(
        MENTORSHIP_VIEW, kw={"pk": "plan_milestone"}, post=MENTORSHIP_PAIR
    ),
    "mentoring_work:draft_upload": action(MENTORSHIP_PAIR, kw={"pk": "plan_milestone"}),
    "mentoring_work:draft_download": page(MENTORSHIP_VIEW, kw={"pk": "draft"}),
    "mentoring_work:draft_comment": action(MENTORSHIP_PAIR, kw={"pk": "draft"}),
    "mentoring_work:draft_reviewed": action(who("mentor"), kw={"pk": "draft"}),
    "mentoring_work:time_entry": form(who("mentor"), kw={"pk": "time_entry"}),
    "mentoring_work:time_entry_delete": action(who("mentor"), kw={"pk": "time_entry"}),
    "mentoring_work:time_queue": form(PROGRAM_ADMIN),
    "mentoring_work:statements": form(PROGRAM_ADMIN),
    "mentoring_work:statements_csv": page(PROGRAM_ADMIN),
    "mentoring_work:statement": page(PROGRAM_ADMIN, kw={"pk": "statement"}),
    "mentoring_work:statement_print": page(PROGRAM_ADMIN, kw={"pk": "statement"}),
    "mentoring_work:statement_csv": page(PROGRAM_ADMIN, kw={"pk": "statement"}),
    "mentoring_work:statement_issue": action(PROGRAM_ADMIN, kw={"pk": "statement"}),
    "mentoring_work:funding": form(PROGRAM_ADMIN),
    "mentoring_work:funding_source": form(PROGRAM_ADMIN, kw={"pk": "funding_source"}),
    "mentoring_work:overdue": page(STAFF),
    "mentoring_work:feedback_list": page(STAFF),
    # --- volunteers -----------------------------------------------------------------------------
    "people:join": form(EVERYONE),
    "people:join_thanks": page(EVERYONE),
    "people:verification_queue": page(COORDINATOR),
    "people:my_profile": form(ATTORNEYS),
    "people:attorney_detail": form(
        who(STAFF, "attorney"),
        kw={"pk": "attorney_profile"},
        post=COORDINATOR,
        data={"action": "suspend"},
    ),
    # --- trainings (side A: an active course; side B: an inactive one, for staff only) ----------
    "trainings:catalogue": page(who(ATTORNEYS, MENTORS, STAFF)),
    "trainings:course": page(who(LEARNERS, STAFF), kw={"pk": "course"}, b=STAFF),
    "trainings:certificate_upload": form(LEARNERS, kw={"pk": "course"}, b=NOBODY),
    "trainings:module": page(who(LEARNERS, STAFF), kw={"pk": "module"}, b=STAFF),
    "trainings:module_complete": action(LEARNERS, kw={"pk": "module"}, b=NOBODY),
    "trainings:module_quiz": action(LEARNERS, kw={"pk": "module"}, b=NOBODY),
    "trainings:module_video": page(who(LEARNERS, STAFF), kw={"pk": "module"}, b=STAFF),
    "trainings:certificate_queue": page(STAFF),
    "trainings:certificate_review": form(STAFF, kw={"pk": "certificate"}, post=COORDINATOR),
    "trainings:certificate_file": page(who(STAFF, "attorney"), kw={"pk": "certificate"}),
    "trainings:sessions": page(STAFF),
    "trainings:session_new": form(COORDINATOR),
    "trainings:session": page(STAFF, kw={"pk": "session"}),
    "trainings:session_attendance": action(COORDINATOR, kw={"pk": "session"}),
    "trainings:session_register": action(LEARNERS, kw={"pk": "session"}, b=NOBODY),
    # Both attorneys hold a seat in session A; nobody in B.
    "trainings:session_calendar": page(VERIFIED, kw={"pk": "session"}, b=NOBODY),
    "trainings:registration_cancel": action(who("attorney"), kw={"pk": "registration"}),
    # --- public pages ---------------------------------------------------------------------------
    "public:urgent": page(EVERYONE),
    "public:newsletter": form(EVERYONE),
    "public:newsletter_sent": page(EVERYONE),
    # A link that was altered is refused with 400, whoever follows it.
    "public:newsletter_confirm": form(
        EVERYONE, kw={"token": "newsletter_confirm_token"}, missing=400
    ),
    "public:newsletter_unsubscribe": form(
        EVERYONE, kw={"token": "newsletter_unsubscribe_token"}, missing=400
    ),
    "public:subscriber_list": page(COORDINATOR),
    "public:subscriber_export": page(COORDINATOR),
    "public:support": page(EVERYONE),
    "public:partners": form(EVERYONE),
    "public:partners_thanks": page(EVERYONE),
    "public:inquiry_list": page(STAFF),
    "public:inquiry_detail": form(STAFF, kw={"pk": "inquiry"}),
    # /.well-known/security.txt: where to report a vulnerability (accounts/security_views.py).
    "security_txt": page(EVERYONE, method="ANY"),
    # /robots.txt: which pages search engines may index (public/views.py).
    "public:robots_txt": page(EVERYONE),
    # /health/: whether the app server can serve, for a load balancer (core/health.py).
    "health": page(EVERYONE),
}

# The JSON API has its own table (tests/core/test_access_api.py).
API_PREFIX = "api/"


def web_routes() -> list[tuple[str, str]]:
    return [(route, name) for route, name in project_routes() if not route.startswith(API_PREFIX)]


def test_every_route_is_in_the_access_table():
    names = {name for _route, name in web_routes()}
    missing = sorted(names - ACCESS.keys())
    assert not missing, "\n".join(f"add {name} to the access table" for name in missing)
    gone = sorted(ACCESS.keys() - names)
    assert not gone, f"no such routes any more, remove them from the access table: {gone}"


def test_the_table_names_a_real_object_for_every_url_parameter():
    for route, name in web_routes():
        parameters = route_parameters(route)
        assert sorted(parameters) == sorted(ACCESS[name].kw), (
            f"{name}: give an object kind for each of {parameters} in the access table"
        )


# --- running the table ------------------------------------------------------------------------


def mirror(personas: Who) -> Who:
    return frozenset(MIRROR.get(name, name) for name in personas)


def allowed(rule: Rule, side: str, *, posting: bool) -> Who:
    base = rule.post if posting and rule.post is not None else rule.a
    if side == "A":
        return base
    if side == "B":
        if rule.b is SAME:
            return mirror(base)
        return rule.b if not posting or rule.post is None else rule.b & mirror(rule.post)
    if side == "C":
        return base if rule.c is SAME or (posting and rule.post is not None) else rule.c
    return NOBODY  # another case's object, or an object that does not exist


Expected = int | str | frozenset[int]


def expected(rule: Rule, persona: str, side: str, *, posting: bool) -> Expected:
    reach = allowed(rule, side, posting=posting)
    if persona == ANONYMOUS and ANONYMOUS not in rule.a:
        return LOGIN
    if side == "missing":
        return rule.missing
    if persona not in reach:
        return 404
    if posting:
        return rule.passes
    return 302 if persona in rule.redirect else rule.ok


def outcome(response: Any) -> int | str:
    status = response.status_code
    if status == 302 and "/accounts/login/" in response.get("Location", ""):
        return LOGIN
    return status


def matches(want: Expected, got: int | str) -> bool:
    if isinstance(want, frozenset):
        return got in want
    return want == got


def shown(want: Expected) -> str:
    if isinstance(want, frozenset):
        return "one of " + "/".join(str(status) for status in sorted(want))
    return str(want)


@dataclass
class Visit:
    persona: str
    name: str
    side: str
    method: str
    url: str


class Runner:
    """Asks every URL as every persona, each request in a savepoint rolled back after it, so
    that an allowed action changes nothing for the next row."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.clients: dict[str, Client] = {ANONYMOUS: Client()}
        for name in PERSONA_NAMES:
            client = Client()
            client.force_login(getattr(world.personas, name))
            self.clients[name] = client
        self.failures: list[str] = []
        self.count = 0

    def url(self, route: str, rule: Rule, side: str) -> str:
        values: dict[str, Any] = {}
        for parameter, kind in rule.kw.items():
            if side == "missing":
                values[parameter] = MISSING["str" if parameter in ("code", "token") else "int"]
            elif side == "cross":
                # The case of side A with the other object of side B.
                values[parameter] = self.world.values[kind]["A" if parameter == "code" else "B"]
            else:
                values[parameter] = self.world.values[kind][side]
        return fill(route, values) + rule.query

    def ask(self, visit: Visit, want: Expected) -> None:
        client = self.clients[visit.persona]
        self.count += 1
        try:
            with transaction.atomic():
                data = ACCESS[visit.name].data if visit.method == "POST" else {}
                response = getattr(client, visit.method.lower())(visit.url, data)
                body = self.body(response)
                transaction.set_rollback(True)
        except Exception as error:  # every failure is reported with its row
            got: int | str = f"{type(error).__name__}: {error}"
            self.fail(visit, want, got)
            return
        finally:
            # Redis is outside the rolled-back transaction: undo the visit's counters there too
            # (the public forms' rate limits), keeping the personas signed in.
            empty_test_caches(keep_sessions=True)
        got = outcome(response)
        if not matches(want, got):
            self.fail(visit, want, got)
        self.check_no_leak(visit, body)

    @staticmethod
    def body(response: Any) -> str:
        # A streamed response is closed once read, by the test client's wrapper.
        streamed = response.streaming
        content = b"".join(response.streaming_content) if streamed else response.content
        return unescape(content.decode("utf-8", errors="replace"))

    def check_no_leak(self, visit: Visit, body: str) -> None:
        rule = ACCESS.get(visit.name)
        own_codes = {
            self.world.values[kind].get(visit.side)
            for kind in (rule.kw.values() if rule else ())
            if visit.side in ("A", "B", "C")
        }
        for code, (secrets, readers) in self.world.clients.items():
            if visit.persona in readers:
                continue
            if rule and code in own_codes and visit.persona in rule.reveals:
                continue
            for secret in secrets:
                if secret and secret in body:
                    self.failures.append(
                        f"{visit.persona:<20} {visit.method:<4} {visit.url}: shows {secret!r} "
                        f"of {code}, whose file {visit.persona} may not read"
                    )

    def fail(self, visit: Visit, want: Expected, got: int | str) -> None:
        self.failures.append(
            f"{visit.persona:<20} {visit.method:<4} {visit.url} [{visit.name}, side "
            f"{visit.side}]: expected {shown(want)}, got {got}"
        )

    def personas_for(self, rule: Rule, side: str, method: str, first: bool) -> list[str]:
        """Who is asked, for a run that stays fast without losing a distinction:
        - a route without objects: one persona of each side's pair (the pair's two members
          differ only in what they own);
        - side A: everyone; but the unverified attorney, who owns nothing, only where the row
          names it or where no object is named (elsewhere `other_attorney` is the stranger);
          and of a pair neither of whom the row names, one (both are refused for their role);
        - a form's POST: those who may open the form or post it, and two strangers, the
          unverified attorney and the other organization's partner;
        - side B: those whose answer changes with the side (each of the six who own a side
          reaches one side's objects and not the other's; the others answer as on side A);
        - case C: its mentor, who does not read its file (the others answer as on side A);
        - signed out, one request per private route: it never reaches the view."""
        posting = method == "POST"
        public = ANONYMOUS in rule.a
        everyone = [ANONYMOUS, *PERSONA_NAMES] if public or first else list(PERSONA_NAMES)
        if not rule.kw:
            chosen = [name for name in everyone if name not in SIDE_PERSONAS["B"]]
        elif side == "A":
            named = rule.a | (rule.post or NOBODY)
            reach = allowed(rule, "A", posting=posting)
            # A pair whose role may not use the route at all answers alike: ask one of them.
            idle = {
                other
                for own, other in zip(SIDE_PERSONAS["A"], SIDE_PERSONAS["B"], strict=True)
                if own not in reach and other not in reach
            }
            chosen = [
                n for n in everyone if (n != "unverified_attorney" or n in named) and n not in idle
            ]
        elif side == "C":
            chosen = [n for n in everyone if n == "mentor"]
        else:
            chosen = [
                name
                for name in everyone
                if expected(rule, name, "A", posting=posting)
                != expected(rule, name, "B", posting=posting)
            ]
        if posting and not first:
            reach = rule.a | (rule.post or NOBODY) | {"unverified_attorney", "other_partner"}
            chosen = [name for name in chosen if name in reach]
        return chosen

    def run_route(self, route: str, name: str) -> None:
        rule = ACCESS[name]
        has_objects = bool(rule.kw)
        sides = ["A", "B", "C"] if has_objects else ["A"]
        sides = [s for s in sides if all(s in self.world.values[k] for k in rule.kw.values())]
        methods = {"GET": ["GET"], "ANY": ["GET"], "POST": ["POST"], "GET+POST": ["GET", "POST"]}
        for index, method in enumerate(methods[rule.method]):
            posting = method == "POST"
            first = index == 0
            for side in sides:
                url = self.url(route, rule, side)
                for persona in self.personas_for(rule, side, method, first):
                    want = expected(rule, persona, side, posting=posting)
                    self.ask(Visit(persona, name, side, method, url), want)
            if has_objects and first:
                # An object that does not exist answers as a forbidden one does.
                url = self.url(route, rule, "missing")
                self.ask(
                    Visit("coordinator", name, "missing", method, url),
                    expected(rule, "coordinator", "missing", posting=posting),
                )
            if len(rule.kw) > 1 and "code" in rule.kw:
                # Another case's object under this case: nobody reaches it.
                url = self.url(route, rule, "cross")
                for persona in sorted(allowed(rule, "A", posting=posting) - {ANONYMOUS}):
                    self.ask(Visit(persona, name, "cross", method, url), 404)
        # The method the view does not take.
        wrong = {"GET": "POST", "POST": "GET"}.get(rule.method)
        if wrong is not None:
            persona = next(iter(sorted(allowed(rule, "A", posting=False) - {ANONYMOUS})), None)
            persona = persona or "coordinator"
            url = self.url(route, rule, "A")
            self.ask(Visit(persona, name, "A", wrong, url), 405)


@pytest.fixture
def world(personas: Any) -> World:
    return world_build(personas)


def test_every_persona_gets_what_the_access_table_says(world):
    runner = Runner(world)
    # Thousands of expected 404s: Django's "Not Found" warnings would only slow the run down.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    try:
        for route, name in web_routes():
            if name in ACCESS:
                runner.run_route(route, name)
    finally:
        request_log.setLevel(level)
    print(f"{runner.count} requests", file=sys.stderr)
    assert not runner.failures, f"{len(runner.failures)} answers differ:\n" + "\n".join(
        runner.failures
    )


def test_the_leak_check_sees_names(world):
    """The check is not blind: the file page shows the client to those who may read it."""
    client = Client()
    client.force_login(world.personas.attorney)
    code = world.values["case"]["A"]
    secrets, _readers = world.clients[code]
    html = unescape(client.get(f"/cases/{code}/").content.decode())
    assert all(secret in html for secret in secrets[:2])
    html = unescape(client.get(f"/cases/{code}/workspace/").content.decode())
    assert secrets[2] in html


def test_the_table_catches_a_view_that_forgets_its_check(world, monkeypatch):
    """A case file page whose selector no longer asks the policy fails the table, on the
    status and on the client's name alike."""

    def forgetful(queryset: Any, *, user: Any, permission: str, **lookup: Any) -> Any:
        return queryset.get(**lookup)

    monkeypatch.setattr("amparo.cases.selectors.get_for_user_or_404", forgetful)
    runner = Runner(world)
    runner.run_route("cases/<str:code>/", "cases:detail")
    assert any(
        line.startswith("other_attorney") and "expected 404, got 200" in line
        for line in runner.failures
    ), runner.failures
    assert any("shows 'IxchelsecretA'" in line for line in runner.failures), runner.failures


def test_calendar_feeds_show_a_birthday_only_to_those_who_read_the_file(world):
    """The calendar feed is opened by its token, not by a signed-in persona, so the table's
    leak check cannot tell whose it is: the attorney's feed has case C's 18th birthday; the
    mentor's, whose file it is not shared with, does not."""
    from amparo.deadlines.feeds import calendar_feed_get_or_create

    code = world.values["case"]["C"]
    birthday = world.clients[code][0][3].replace("-", "")  # the ISO date, as iCalendar writes it
    feeds = {
        name: Client().get(
            f"/calendar/{calendar_feed_get_or_create(user=getattr(world.personas, name)).token}.ics"
        )
        for name in ("attorney", "mentor")
    }
    assert birthday in feeds["attorney"].content.decode()
    assert feeds["mentor"].status_code == 200
    assert birthday not in feeds["mentor"].content.decode()
