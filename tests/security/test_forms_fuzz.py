"""Every form, fuzzed: no input yields a 500, and an answer that refuses the input wrote nothing.

The routes come from the URL configuration itself (as in tests/core/test_access.py): every
route whose view accepts POST must be in FUZZ_MAP below, which names who posts (a persona
allowed to use the form) and the objects its URL names; a route added later without an entry
fails `test_every_post_route_is_in_the_fuzz_map`.

For each route, the fields to fuzz are found on the forms the view itself renders (a probe
post with no data, and a GET where the view has one) plus the forms the map names; each field
gets values from its type (text with control characters, NUL bytes, right-to-left overrides,
very long strings; numbers out of range; impossible and malformed dates; choices that do not
exist; several values for one field; the field left out) and extra fields nobody asked for.

Each example runs in a savepoint rolled back afterwards, so every post meets the same world.
The assertions: the status is below 500 (an exception fails the test), an error answer (4xx,
or a form shown again with errors) changed no row of any Amparo table (reads of client files
are audited, so audit events of reads are allowed), and a successful write stored no NUL
character, which PostgreSQL's text and jsonb columns refuse.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.forms.formsets import BaseFormSet
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from amparo.conflicts.forms import ConflictResolveForm
from amparo.deadlines.forms import DeadlineDoneForm, JudgeDeadlineForm, MilestoneStatusForm
from amparo.deadlines.models import Milestone
from amparo.mentoring.forms import ConfirmForm, MeetingHeldForm
from amparo.mentoring_work.forms import TimeDecisionForm
from amparo.workspace.forms import CaseOutcomeForm
from amparo.workspace.services import outcome_choices_for
from tests.security.conftest import PDF, World, world_build

# --- The map: who posts to each form, and what its URL names ---------------------------------

SKIPPED_PREFIXES = ("admin/", "accounts/", "api/")  # allauth, Django admin, the JSON API
# More examples per route, for a longer run (AMPARO_FUZZ_SCALE=4 make test): CI keeps 1.
SCALE = float(os.environ.get("AMPARO_FUZZ_SCALE", "1"))
ANONYMOUS = ""


@dataclass(frozen=True)
class Target:
    persona: str  # a persona of tests/conftest.py, or ANONYMOUS
    kwargs: dict[str, str] = field(default_factory=dict)  # URL parameter -> key of World.values
    # Generated posts; the worst-value posts (worst_cases) come on top, so a form gets 15 to 25.
    examples: int = 12
    # Values a dispatching field may take (the view picks its form by them: "action").
    actions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Forms the view reads but does not show back (it redirects, or lists the errors): they
    # are built from the world; and single fields the view reads from request.POST itself.
    forms: tuple[Callable[[World], forms.BaseForm], ...] = ()
    fields: dict[str, forms.Field] = field(default_factory=dict)


# A page whose view answers POST as it answers GET (no method decorator): a few examples.
def page(persona: str, **kwargs: str) -> Target:
    return Target(persona, kwargs, examples=3)


CASE = {"code": "case"}
FUZZ_MAP: dict[str, Target] = {
    "home": page("coordinator"),
    "dashboard": page("attorney"),
    "program_tools": page("coordinator"),
    "set_language": Target("attorney", examples=8),
    "security_txt": page(ANONYMOUS),
    # intake
    "intake:case_import": Target("coordinator", actions={"action": ("upload", "confirm")}),
    "cases:new": Target("coordinator", examples=20),
    "cases:screening": Target("coordinator", {"code": "intake_case"}, examples=20),
    "cases:edit": Target("coordinator", {"code": "intake_case"}, examples=20),
    # cases, placement, board
    "cases:placement_requests": page("coordinator"),
    "cases:timeline": page("coordinator", **CASE),
    "cases:placement": page("coordinator", code="ready_case"),
    "cases:placement_place": Target("coordinator", {"code": "ready_case"}),
    "cases:placement_withdrawal": Target("coordinator", CASE),
    "cases:placement_request_decide": Target(
        "coordinator", {"code": "ready_case", "request_id": "placement_request"}
    ),
    "cases:archive": Target("coordinator", CASE, examples=3),
    "cases:unarchive": Target("coordinator", CASE, examples=3),
    "cases:list": page("coordinator"),
    "cases:detail": page("coordinator", **CASE),
    "board:board": page("attorney"),
    "board:card": page("attorney", code="ready_case"),
    # The other attorney: the attorney persona is at their capacity of active cases.
    "board:reveal": Target("other_attorney", {"code": "ready_case"}, examples=5),
    "board:take": Target(
        "other_attorney", {"code": "ready_case"}, fields={"no_conflict": forms.BooleanField()}
    ),
    # case workspace
    "workspace:hearing_add": Target("attorney", CASE),
    "workspace:hearing_reschedule": Target("attorney", {**CASE, "pk": "hearing"}),
    "workspace:hearing_outcome": Target("attorney", {**CASE, "pk": "hearing"}),
    "workspace:milestone_status": Target(
        "attorney",
        {**CASE, "pk": "milestone"},
        fields={"status": forms.ChoiceField(choices=Milestone.Status.choices)},
    ),
    "workspace:contact_add": Target("attorney", CASE),
    "workspace:hours_add": Target("attorney", CASE),
    "workspace:hours_delete": Target("attorney", {**CASE, "pk": "hours"}, examples=5),
    "workspace:outcome": Target(
        "attorney",
        CASE,
        forms=(lambda w: CaseOutcomeForm(outcome_choices=outcome_choices_for(w.objects["case"])),),
    ),
    "workspace:close": Target("attorney", CASE),
    "workspace:withdrawal_request": Target("attorney", CASE),
    "workspace:withdrawal_decide": Target("coordinator", {**CASE, "pk": "withdrawal"}),
    "workspace:document_upload": Target("attorney", CASE),
    "workspace:document_version_add": Target("attorney", {**CASE, "pk": "document"}),
    "workspace:document_comment": Target("mentor", {**CASE, "pk": "document_version"}),
    "workspace:status_requests": Target("coordinator"),
    "workspace:status_answer": Target("attorney", {"pk": "status_recipient"}),
    # deadlines and calendars
    "deadlines:case_deadlines": Target(
        "attorney",
        CASE,
        examples=20,
        actions={"action": ("add_deadline", "judge_deadline", "milestone_status", "deadline_done")},
        forms=(
            lambda w: JudgeDeadlineForm(),
            lambda w: MilestoneStatusForm(),
            lambda w: DeadlineDoneForm(),
        ),
    ),
    "deadlines:calendar_settings": Target(
        "attorney", examples=8, actions={"action": ("create", "regenerate", "revoke")}
    ),
    # library
    "library:document_create": Target("coordinator"),
    "library:document_edit": Target("coordinator", {"pk": "library_document"}),
    "library:version_create": Target("coordinator", {"pk": "library_document"}),
    "library:notifications": Target("attorney", examples=3),
    "library:strategy_note_create": Target("coordinator"),
    "library:strategy_note_edit": Target("coordinator", {"pk": "strategy_note"}),
    # mentoring requests, matching, agreements, meetings
    "mentoring:request_create": Target("attorney", {"code": "fresh_case"}),
    "mentoring:agreement": Target("attorney", {"code": "case"}),
    "mentoring:meeting_book": Target("attorney", CASE),
    "mentoring:meeting_held": Target(
        "mentor", {"pk": "meeting"}, forms=(lambda w: MeetingHeldForm(),)
    ),
    "mentoring:request_bulk": Target("partner"),
    "mentoring:request_upload": Target("partner"),
    "mentoring:request_confirm": Target(
        "program_admin", {"pk": "mentoring_request"}, forms=(lambda w: ConfirmForm(),)
    ),
    "mentoring:request_override": Target("program_admin", {"pk": "mentoring_request"}),
    "mentoring:request_withdraw": Target("attorney", {"pk": "mentoring_request"}, examples=5),
    "mentoring:invitation_accept": Target("other_mentor", {"token": "invitation"}, examples=5),
    "mentoring:invitation_decline": Target("other_mentor", {"token": "invitation"}),
    # the ongoing mentorship, mentors' time and pay
    "mentoring_work:time_queue": Target(
        "program_admin", forms=(lambda w: TimeDecisionForm(entry_ids=[w.values["time_entry"]]),)
    ),
    "mentoring_work:statements": Target(
        "program_admin", examples=8, fields={"month": forms.CharField()}
    ),
    "mentoring_work:statement_issue": Target("program_admin", {"pk": "statement"}, examples=5),
    "mentoring_work:funding": Target("program_admin"),
    "mentoring_work:funding_source": Target("program_admin", {"pk": "funding_source"}),
    "mentoring_work:first_meeting": Target("mentor", {"pk": "mentorship"}),
    "mentoring_work:milestone_add": Target("mentor", {"pk": "mentorship"}),
    "mentoring_work:messages": Target("attorney", {"pk": "mentorship"}),
    "mentoring_work:time_log": Target("mentor", {"pk": "mentorship"}),
    "mentoring_work:close": Target("mentor", {"pk": "mentorship"}),
    "mentoring_work:feedback": Target("other_attorney", {"pk": "closed_mentorship"}),
    "mentoring_work:milestone": Target("mentor", {"pk": "plan_milestone"}),
    "mentoring_work:draft_upload": Target("attorney", {"pk": "plan_milestone"}),
    "mentoring_work:draft_comment": Target("mentor", {"pk": "draft"}),
    "mentoring_work:draft_reviewed": Target("mentor", {"pk": "draft"}, examples=5),
    "mentoring_work:time_entry": Target("mentor", {"pk": "time_entry"}),
    "mentoring_work:time_entry_delete": Target("mentor", {"pk": "time_entry"}, examples=5),
    # volunteers, conflicts
    "people:join": Target(ANONYMOUS, examples=20),
    "people:my_profile": Target("attorney", examples=20),
    "people:attorney_detail": Target(
        "coordinator",
        {"pk": "attorney_profile"},
        actions={"action": ("decide", "suspend")},
    ),
    "conflicts:case_conflicts": Target(
        "coordinator",
        {"code": "intake_case"},
        actions={"action": ("run", "resolve", "resolve")},
        forms=(lambda w: ConflictResolveForm(),),
    ),
    # trainings
    "trainings:certificate_upload": Target("attorney", {"pk": "course"}),
    "trainings:module_complete": Target("attorney", {"pk": "module"}, examples=5),
    "trainings:module_quiz": Target("attorney", {"pk": "module"}),
    "trainings:certificate_review": Target(
        "coordinator", {"pk": "certificate"}, actions={"decision": ("verify", "reject")}
    ),
    "trainings:session_new": Target("coordinator"),
    "trainings:session_attendance": Target("coordinator", {"pk": "session"}),
    "trainings:session_register": Target("attorney", {"pk": "other_session"}, examples=5),
    "trainings:registration_cancel": Target("attorney", {"pk": "registration"}, examples=5),
    # public pages
    "public:newsletter": Target(ANONYMOUS),
    "public:newsletter_confirm": Target(
        ANONYMOUS, {"token": "newsletter_confirm_token"}, examples=5
    ),
    "public:newsletter_unsubscribe": Target(
        ANONYMOUS, {"token": "newsletter_unsubscribe_token"}, examples=5
    ),
    "public:partners": Target(ANONYMOUS, examples=20),
    "public:inquiry_detail": Target("coordinator", {"pk": "inquiry"}),
}


# --- Which routes take POST ------------------------------------------------------------------


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, Any]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
            yield prefix + str(pattern.pattern), name, pattern.callback


def allowed_methods(view: Any) -> frozenset[str] | None:
    """The methods a view's require_http_methods (require_POST, require_GET, require_safe...)
    lets through, found in the decorator's closure; None when nothing restricts them."""
    if hasattr(view, "view_class"):
        names = {m.upper() for m in view.view_class.http_method_names}
        return frozenset(m for m in names if hasattr(view.view_class, m.lower()))
    function = view
    while function is not None:
        code = getattr(function, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            cell = function.__closure__[code.co_freevars.index("request_method_list")]
            return frozenset(m.upper() for m in cell.cell_contents)
        function = getattr(function, "__wrapped__", None)
    return None


def post_routes() -> dict[str, str]:
    """{route name: route} for every route of the project whose view may answer POST."""
    found = {}
    for route, name, view in _walk(get_resolver().url_patterns):
        if route.startswith(SKIPPED_PREFIXES):
            continue
        methods = allowed_methods(view)
        if methods is None or "POST" in methods:
            found[name] = route
    return found


def test_every_post_route_is_in_the_fuzz_map():
    routes = post_routes()
    missing = sorted(set(routes) - set(FUZZ_MAP))
    assert not missing, "\n".join(
        f"add {name} ({routes[name]}) to the fuzz map" for name in missing
    )
    stale = sorted(set(FUZZ_MAP) - set(routes))
    assert not stale, f"these fuzz map entries name no route that takes POST: {stale}"
    assert {"workspace:document_upload", "cases:new", "people:join"} <= set(routes)


# --- Values -----------------------------------------------------------------------------------

MISSING = object()
NASTY_STRINGS = (
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202e",
    "evil\u202etxt.exe",
    "\ufeff",
    "\u200b",
    "\ud7ff\ue000\U0010ffff",
    "line\r\nbreak",
    "<script>alert(1)</script>",
    "{{ 7|add:7 }}{% debug %}",
    "%s%s%n%x",
    "'; DROP TABLE cases_case; --",
    "=cmd|' /C calc'!A0",
    "../../etc/passwd",
    "\uff21\uff22\uff23\uff11\uff12\uff13",  # full-width letters and digits
    "NaN",
    "-1",
    "0",
    "9" * 40,
    "x" * 5_000,
    "á" * 300,
)
NUMBERS = (
    "-1",
    "0",
    "1",
    "2147483648",
    "9223372036854775808",
    "-9223372036854775809",
    "1e309",
    "-1e309",
    "NaN",
    "Infinity",
    "1.5",
    "0.0001",
    "99999999999999999999.99",
    "1_000",
    "\uff11\uff12",  # full-width digits
    "0x10",
)
DATES = (
    "2024-02-30",
    "2023-02-29",
    "0001-01-01",
    "1900-01-01",
    "9999-12-31",
    "10000-01-01",
    "2024-13-01",
    "2024-00-10",
    "31/12/2024",
    "12/31/2024",
    "2024-1-1",
    "today",
    "2026-03-08 02:30",  # a time that does not exist in Los Angeles (clocks go forward)
    "2026-11-01 01:30",  # a time that happens twice there
    "2024-06-01T25:61",
    "1969-12-31 23:59:59",
)
TIMES = ("00:00", "23:59", "24:00", "12:60", "25:00", "9", "noon", "02:30", "-1:00")

text_values = st.one_of(
    st.sampled_from(NASTY_STRINGS),
    st.text(max_size=60),
    st.text(
        alphabet=st.characters(categories=("Cc", "Cf", "Zl", "Zp", "Co"), codec="utf-8"),
        max_size=20,
    ),
    st.integers(min_value=100, max_value=20_000).map(lambda n: "ñ" * n),
)
number_values = st.one_of(
    st.sampled_from(NUMBERS),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
date_values = st.one_of(
    st.sampled_from(DATES),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(str),
)
datetime_values = st.one_of(
    st.sampled_from(DATES),
    st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)).map(
        lambda d: d.strftime("%Y-%m-%d %H:%M")
    ),
)
boolean_values = st.sampled_from(("on", "true", "false", "", "0", "1", "yes", "\x00"))


@st.composite
def file_values(draw: Any) -> SimpleUploadedFile:
    name = draw(
        st.sampled_from(
            ("declaration.pdf", "page.pdf", "a.docx", "../../etc/passwd.pdf", "CON.pdf", "x")
        )
    )
    content = draw(
        st.one_of(
            st.just(PDF),
            st.just(b"<html><script>alert(1)</script></html>"),
            st.just(b"MZ\x90\x00" + b"\x00" * 60),
            st.just(b""),
            st.binary(max_size=200),
            st.just(b"case_code,help_wanted\nAMP-26-0001,=cmd|' /C calc'!A0\n"),
        )
    )
    return SimpleUploadedFile(name, content)


def _choices(form_field: forms.Field) -> list[str]:
    values: list[str] = []
    if isinstance(form_field, forms.ModelChoiceField):
        queryset = form_field.queryset
        if queryset is not None:
            values = [str(pk) for pk in queryset.values_list("pk", flat=True)[:20]]
    elif isinstance(form_field, forms.ChoiceField):
        for value, label in form_field.choices:
            if isinstance(label, list | tuple):  # an optgroup
                values.extend(str(v) for v, _label in label)
            else:
                values.append(str(value))
    return [v for v in values if v != ""]


def field_values(form_field: forms.Field, known_ids: list[str]) -> st.SearchStrategy[Any]:
    """Good and bad values for one form field, by its type."""
    ids = st.sampled_from(known_ids) if known_ids else st.nothing()
    if isinstance(form_field, forms.FileField):
        return file_values()
    if isinstance(form_field, forms.ChoiceField | forms.ModelChoiceField):
        choices = _choices(form_field)
        good = st.sampled_from(choices) if choices else st.nothing()
        return st.one_of(good, good, ids, text_values, number_values)
    if isinstance(form_field, forms.BooleanField):
        return boolean_values
    if isinstance(form_field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return st.one_of(number_values, ids, text_values)
    if isinstance(form_field, forms.DateTimeField):
        return st.one_of(datetime_values, date_values, text_values)
    if isinstance(form_field, forms.DateField):
        return st.one_of(date_values, text_values)
    if isinstance(form_field, forms.TimeField):
        return st.one_of(st.sampled_from(TIMES), text_values)
    if isinstance(form_field, forms.EmailField):
        return st.one_of(st.emails().map(str), text_values, st.just("a@" + "b" * 300 + ".org"))
    return st.one_of(text_values, number_values, date_values, ids)


# The worst value of each kind, posted to every field at once in explicit examples (Hypothesis
# runs them first, whatever it then generates): a number beyond 64 bits, a NUL, a huge text,
# several values, a date out of the calendar, and nothing at all.
WORST_VALUES = (
    "9223372036854775808",
    "a\x00b",
    "x" * 100_000,
    ["1", "-9223372036854775809"],
    "0001-01-01",
)


def worst_cases(
    fields: dict[str, forms.Field], actions: dict[str, tuple[str, ...]]
) -> list[dict[str, Any]]:
    """One post per worst value, every field holding it; a dispatching field takes each of
    its values in turn."""
    plain = [name for name, f in fields.items() if not isinstance(f, forms.FileField)]
    choices = [list(dict.fromkeys(values)) for values in actions.values()]
    cases = []
    for index in range(max([len(WORST_VALUES), *(len(c) for c in choices)])):
        value = WORST_VALUES[index % len(WORST_VALUES)]
        dispatch = {
            name: values[index % len(values)] for name, values in zip(actions, choices, strict=True)
        }
        case = {**dict.fromkeys(plain, value), **dispatch}
        if case not in cases:  # a form without fields needs one empty post, not five
            cases.append(case)
    return cases


@st.composite
def post_data(
    draw: Any,
    fields: dict[str, forms.Field],
    actions: dict[str, tuple[str, ...]],
    known_ids: list[str],
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, form_field in fields.items():
        choice = draw(st.integers(min_value=0, max_value=9))
        if choice == 0:
            continue  # the field left out
        values = field_values(form_field, known_ids)
        if choice == 1 and not isinstance(form_field, forms.FileField):
            data[name] = draw(st.lists(values, min_size=2, max_size=3))  # several values
        else:
            data[name] = draw(values)
    for name, values in actions.items():
        data[name] = draw(st.one_of(st.sampled_from(values), text_values))
    extra = draw(
        st.dictionaries(
            st.sampled_from(("csrfmiddlewaretoken", "id", "pk", "user", "is_staff", "__proto__"))
            | st.text(min_size=1, max_size=12),
            text_values,
            max_size=2,
        )
    )
    for name, value in extra.items():
        data.setdefault(name, value)
    return data


# --- What the database holds -----------------------------------------------------------------

# Reads of client files are audited, on error pages too (they show the file again).
READ_ACTIONS = ("client_file.viewed", "client_document.downloaded", "audit_log.searched")


def _tables() -> list[tuple[str, str]]:
    tables = []
    for model in apps.get_models():
        if not model.__module__.startswith("amparo.") or model._meta.proxy:
            continue
        if not model._meta.managed:
            continue
        tables.append((model._meta.db_table, model._meta.pk.column))
    return sorted(set(tables))


def snapshot(tables: set[str] | None = None) -> dict[str, tuple[Any, ...]]:
    """Every row of the Amparo tables named (all when None); audit events of reads left out."""
    state = {}
    with connection.cursor() as cursor:
        for table, pk in _tables():
            if tables is not None and table not in tables:
                continue
            where = ""
            if table == "core_auditevent":
                reads = ", ".join(f"'{action}'" for action in READ_ACTIONS)
                where = f" WHERE action NOT IN ({reads})"
            quoted, order = connection.ops.quote_name(table), connection.ops.quote_name(pk)
            cursor.execute(f"SELECT * FROM {quoted}{where} ORDER BY {order}")
            state[table] = tuple(cursor.fetchall())
    return state


_WRITE = re.compile(
    r"^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+[\"`]?(\w+)",
    re.IGNORECASE,
)


def written_tables(queries: list[dict[str, Any]]) -> set[str]:
    """The Amparo tables the captured SQL wrote to (sessions, cache and the like left out)."""
    amparo = {table for table, _pk in _tables()}
    found = set()
    for query in queries:
        match = _WRITE.match(query["sql"])
        if match and match[1] in amparo:
            found.add(match[1])
    return found


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [table for table in before if before[table] != after.get(table)]


def null_characters(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Tables where a row now holds a NUL character (as text, or escaped in JSON)."""
    found = []
    for table, rows in after.items():
        if rows == before.get(table):
            continue
        old = set(before.get(table, ()))
        for row in rows:
            if row in old:
                continue
            for value in row:
                if isinstance(value, str) and ("\x00" in value or "\\u0000" in value):
                    found.append(table)
    return sorted(set(found))


# --- The forms a view shows -------------------------------------------------------------------


def _walk_context(value: Any, depth: int = 0) -> Iterator[Any]:
    yield value
    if depth >= 2:
        return
    if isinstance(value, dict):
        for inner in value.values():
            yield from _walk_context(inner, depth + 1)
    elif isinstance(value, list | tuple):
        for inner in value[:50]:
            yield from _walk_context(inner, depth + 1)


def forms_shown(response: Any) -> list[forms.BaseForm]:
    found: list[forms.BaseForm] = []
    contexts = response.context
    if contexts is None:
        return found
    if not isinstance(contexts, list):
        contexts = [contexts]
    for context in contexts:
        for layer in getattr(context, "dicts", [context]):
            for value in _walk_context(dict(layer)):
                if isinstance(value, BaseFormSet):
                    found.append(value.management_form)
                    found.extend(value.forms)
                elif isinstance(value, forms.BaseForm):
                    found.append(value)
    unique: dict[int, forms.BaseForm] = {id(form): form for form in found}
    return list(unique.values())


def form_fields(shown: list[forms.BaseForm]) -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = {}
    for form in shown:
        for name, form_field in form.fields.items():
            fields.setdefault(form.add_prefix(name), form_field)
    return fields


def is_refusal(response: Any) -> bool:
    """An answer that refuses the input: 4xx, or a form shown again with its errors."""
    if response.status_code >= 400:
        return True
    if response.status_code == 200:
        return any(form.is_bound and form.errors for form in forms_shown(response))
    return False


# --- The test ----------------------------------------------------------------------------------


def _url(route: str, target: Target, world: World) -> str:
    path = route
    for parameter, key in target.kwargs.items():
        for converter in ("str", "int"):
            path = path.replace(f"<{converter}:{parameter}>", str(world.values[key]))
    assert "<" not in path, f"the fuzz map entry for {route} misses a URL parameter"
    return "/" + path


def _login(client: Any, world: World, persona: str) -> None:
    client.logout()
    if persona:
        client.force_login(getattr(world.personas, persona))


class Rollback(Exception):
    pass


def _in_savepoint(function: Callable[[], Any]) -> Any:
    """Run `function` and undo every write it made."""
    result = None
    try:
        with transaction.atomic():
            result = function()
            raise Rollback
    except Rollback:
        pass
    return result


def _summary(data: dict[str, Any]) -> str:
    return repr({key: repr(value)[:80] for key, value in data.items()})


def _fuzz_route(client: Any, world: World, name: str, route: str) -> None:
    target = FUZZ_MAP[name]
    url = _url(route, target, world)
    _login(client, world, target.persona)
    probe = _in_savepoint(lambda: client.post(url, {}))
    shown = forms_shown(probe)
    # The form the view bound to the post is the one it reads; a page that shows several
    # (the workspace) shows the others unbound.
    bound = [form for form in shown if form.is_bound]
    if bound:
        shown = bound
    else:
        methods = allowed_methods(get_resolver().resolve(url).func)
        if methods is None or "GET" in methods:
            shown += forms_shown(_in_savepoint(lambda: client.get(url)))
    shown += [make(world) for make in target.forms]
    fields = {**form_fields(shown), **target.fields}
    known_ids = sorted({str(v) for v in world.values.values() if isinstance(v, int)})
    statuses: list[int] = []

    @settings(
        max_examples=max(1, round(target.examples * SCALE)),
        deadline=None,
        derandomize=True,
        database=None,
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        suppress_health_check=list(HealthCheck),
    )
    @given(data=post_data(fields, target.actions, known_ids), htmx=st.booleans())
    def post(data: dict[str, Any], htmx: bool) -> None:
        for value in data.values():
            if isinstance(value, SimpleUploadedFile):
                value.seek(0)

        headers = {"HX-Request": "true"} if htmx else {}
        seen: dict[str, Any] = {}

        def request() -> None:
            with CaptureQueriesContext(connection) as queries:
                seen["response"] = client.post(url, data, headers=headers)
            seen["tables"] = written_tables(queries.captured_queries)
            seen["after"] = snapshot(seen["tables"]) if seen["tables"] else {}

        # The request's writes are undone afterwards: each example meets the same world, and
        # the tables it wrote can be read as they were before it.
        try:
            _in_savepoint(request)
        except Exception as error:
            error.add_note(f"{name} posted {_summary(data)} (htmx: {htmx})")
            raise
        response = seen["response"]
        statuses.append(response.status_code)
        assert response.status_code < 500, (name, response.status_code)
        if not seen["tables"]:
            return
        before = snapshot(seen["tables"])
        if is_refusal(response):
            changed = differences(before, seen["after"])
            assert not changed, (
                f"{name} refused the input ({response.status_code}) but changed {changed}: "
                f"{_summary(data)}"
            )
        else:
            nul = null_characters(before, seen["after"])
            assert not nul, (
                f"{name} stored a NUL character (PostgreSQL refuses it) in {nul}: {_summary(data)}"
            )

    for worst in worst_cases(fields, target.actions):
        post = example(data=worst, htmx=False)(post)
    post()
    if os.environ.get("AMPARO_FUZZ_TIMES"):
        print(f"{name}: fields {sorted(fields)} statuses {sorted(set(statuses))}")
    # Some post must get past the door (the policy, the object, the dispatch) to the form.
    reached = [s for s in statuses if s not in (400, 403, 404, 405)]
    assert reached, (
        f"{name}: every post answered {sorted(set(statuses))}: the fuzz map's persona "
        f"({target.persona or 'anonymous'}), objects or actions do not reach the form"
    )


def _groups() -> list[str]:
    return sorted({name.partition(":")[0] if ":" in name else "" for name in FUZZ_MAP})


@pytest.mark.parametrize("group", _groups(), ids=lambda g: g or "root")
def test_forms_answer_bad_input_without_500_or_partial_write(client, personas, group):
    world = world_build(personas)
    routes = post_routes()
    names = sorted(
        name
        for name in FUZZ_MAP
        if (name.partition(":")[0] if ":" in name else "") == group and name in routes
    )
    failures = []
    for name in names:
        started = time.perf_counter()
        try:
            _fuzz_route(client, world, name, routes[name])
        except Exception as error:  # every route runs; all failures are reported
            notes = "\n".join(getattr(error, "__notes__", []))
            failures.append(f"{name}: {type(error).__name__}: {error}\n{notes}"[:4000])
        if os.environ.get("AMPARO_FUZZ_TIMES"):
            print(f"{name}: {time.perf_counter() - started:.1f} s")
    assert not failures, "\n\n".join(failures)


def test_the_snapshot_sees_a_write(personas):
    """The partial-write check would notice a changed row (a guard on the guard)."""
    before = snapshot()
    personas.placed_case.summary_en = "changed"
    personas.placed_case.save()
    assert "cases_case" in differences(before, snapshot())
