"""Every page of Amparo, in English and in Spanish, passes the accessibility check.

The test walks the URL configuration itself (as tests/core/test_access.py does): each route is
named in ACCESSIBILITY_MAP with the demo person who may open it and the demo objects it shows,
or with the reason it is not a page (a form's POST, the JSON API). A route added later and not
named here fails the test with "add <route> to the accessibility map", so no page escapes.

Each page is opened in the real browser as its person, signed in through the real form (one
browser context per person and language), and checked by axe-core (no serious or critical
violation), for <html lang>, and for not scrolling sideways in a laptop's window. Answers that
are not HTML (CSV, XLSX, iCalendar, PDF, JSON, a video) are downloads, not pages: their content
type is checked and the page check skipped. Every failure is listed at the end (lesser axe
findings and a picture of each failing page are left in test-artifacts/browser/every_page_<lang>/).
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.http import urlencode

from amparo.accounts.models import User
from amparo.cases.models import Case, Stage
from amparo.deadlines.feeds import calendar_feed_get_or_create
from amparo.library.demo import tiny_pdf
from amparo.library.models import Document, StrategyNote
from amparo.mentoring.models import AgreementSignature, MentoringRequest, Mentorship
from amparo.mentoring.services import invitation_token
from amparo.mentoring_work.models import (
    Draft,
    FundingSource,
    MentorStatement,
    PlanMilestone,
    TimeEntry,
)
from amparo.people.models import AttorneyProfile
from amparo.public import services as public_services
from amparo.public.models import NewsletterSubscriber, PartnerInquiry
from amparo.reports.forms import default_filters
from amparo.trainings.models import Certificate, Course, LiveSession, Module
from amparo.workspace.models import (
    CaseDocumentVersion,
    HandoffPacket,
    StatusRequest,
    StatusRequestRecipient,
)
from amparo.workspace.services.documents import case_document_create
from amparo.workspace.services.withdrawal import (
    withdrawal_request_create,
    withdrawal_request_decide,
)

from .a11y import assert_accessible
from .conftest import ARTIFACTS
from .helpers import set_user_language, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

LOCALES = [pytest.param("en-US", "en", id="en"), pytest.param("es-MX", "es", id="es")]

# The demo people (manage.py demo_data); "visitor" is someone not signed in.
PERSONAS = {
    "visitor": "",
    "coordinator": "coordinator@demo.amparo.org",
    "program_admin": "admin@demo.amparo.org",
    "attorney": "attorney@demo.amparo.org",
    "attorney2": "attorney2@demo.amparo.org",
    "mentor": "mentor@demo.amparo.org",
    "partner": "partner@demo.amparo.org",
}
PAGE_TYPES = ("text/html",)
WIDTH = 1280  # a laptop; tests/browser/test_workspace_flow.py and others check phones


class Demo:
    """The demo objects the pages show, found in the demo data (or added by `_complete`)."""

    @cached_property
    def attorney(self) -> User:
        return User.objects.get(email=PERSONAS["attorney"])

    @cached_property
    def mentorship(self) -> Mentorship:
        """The demo mentor's active mentorship on a case of the demo attorney (with its plan)."""
        return (
            Mentorship.objects.filter(
                status=Mentorship.Status.ACTIVE,
                mentor__email=PERSONAS["mentor"],
                case__attorney_of_record=self.attorney,
            )
            .select_related("case")
            .get()
        )

    @cached_property
    def placed_case(self) -> Case:
        return self.mentorship.case

    @cached_property
    def invited_mentorship(self) -> Mentorship:
        return Mentorship.objects.get(
            status=Mentorship.Status.INVITED, mentor__email=PERSONAS["mentor"]
        )

    @cached_property
    def ready_case(self) -> Case:
        return Case.objects.filter(stage=Stage.READY).order_by("code").first()

    @cached_property
    def screening_case(self) -> Case:
        return Case.objects.filter(stage=Stage.SCREENING).order_by("code").first()

    @cached_property
    def plan_milestone(self) -> PlanMilestone:
        return PlanMilestone.objects.filter(mentorship=self.mentorship).order_by("pk").first()

    @cached_property
    def draft(self) -> Draft:
        return Draft.objects.order_by("pk").first()

    @cached_property
    def time_entry(self) -> TimeEntry:
        return (
            TimeEntry.objects.filter(mentor__email=PERSONAS["mentor"], status="submitted")
            .order_by("pk")
            .first()
        )


def _complete(demo: Demo) -> None:
    """What the demo data does not hold but some pages show: a case document, a hand-off packet,
    a partner's inquiry, a newsletter subscriber, a module's video file, the attorney's calendar
    address."""
    attorney = demo.attorney
    coordinator = User.objects.get(email=PERSONAS["coordinator"])
    case_document_create(
        case=demo.placed_case,
        actor=attorney,
        title="Declaration, first draft",
        kind="draft",
        file=SimpleUploadedFile(
            "declaration.pdf", tiny_pdf(["Declaration (demo)"]), "application/pdf"
        ),
    )
    other_case = (
        Case.objects.filter(stage=Stage.PLACED, attorney_of_record=attorney)
        .exclude(pk=demo.placed_case.pk)
        .order_by("code")
        .first()
    )
    assert other_case is not None
    withdrawal = withdrawal_request_create(
        case=other_case, attorney=attorney, reason="A conflict came up at the firm."
    )
    withdrawal_request_decide(request=withdrawal, actor=coordinator, approve=True)
    public_services.partner_inquiry_create(
        organization_name="Valley Legal Aid (test)",
        contact_name="Ana Torres",
        email="ana.torres@example.org",
        phone="",
        wants=PartnerInquiry.Wants.choices[0][0],
        approximate_number=12,
        message="",
        language="en",
    )
    public_services.subscriber_subscribe(email="reader@example.org", language="en")
    module = Module.objects.filter(course__kind=Course.Kind.INTRO_VIDEO).order_by("pk").first()
    assert module is not None
    module.video_file.save("intro.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"), save=True)
    calendar_feed_get_or_create(user=attorney)


@dataclass(frozen=True)
class Page:
    """A page to open as `persona`, with the URL's arguments found in the demo."""

    persona: str
    kwargs: Callable[[Demo], dict[str, Any]] | None = None
    query: Callable[[Demo], str] | None = None

    def url(self, name: str, demo: Demo) -> str:
        path = reverse(name, kwargs=self.kwargs(demo) if self.kwargs else None)
        return path + (f"?{self.query(demo)}" if self.query else "")


# Routes that are not pages: they only take a form's POST (a GET answers 405).
POST_ONLY = "post only"
# The JSON API: bearer tokens, no pages (its OpenAPI description and docs are checked below).
API = "json api"

Entry = Page | tuple[Page, ...] | str


def _code(case: Callable[[Demo], Case]) -> Callable[[Demo], dict[str, Any]]:
    return lambda demo: {"code": case(demo).code}


def _pk(obj: Callable[[Demo], Any]) -> Callable[[Demo], dict[str, Any]]:
    def kwargs(demo: Demo) -> dict[str, Any]:
        found = obj(demo)
        assert found is not None, "the demo data has no such object"
        return {"pk": found.pk}

    return kwargs


def _import_job() -> Any:
    """A background import of the (empty) template file, as a coordinator starts one."""
    from amparo.intake.import_jobs import case_import_job_start
    from amparo.intake.imports import case_import_template

    coordinator = User.objects.get(email=PERSONAS["coordinator"])
    return case_import_job_start(
        actor=coordinator,
        organization=coordinator.organization,
        content=case_import_template(file_format="csv"),
        file_format="csv",
        rows=0,
    )


def _report_query() -> str:
    """The reports' default period, as the dashboard's download links carry it."""
    filters = default_filters()
    return urlencode({"start": filters.start.isoformat(), "end": filters.end.isoformat()})


PLACED = _code(lambda d: d.placed_case)
READY = _code(lambda d: d.ready_case)

ACCESSIBILITY_MAP: dict[str, Entry] = {
    "home": Page("visitor"),
    "dashboard": tuple(Page(persona) for persona in PERSONAS if persona != "visitor"),
    "program_tools": Page("coordinator"),
    "set_language": POST_ONLY,
    "audit_log": Page("coordinator"),
    # intake
    "intake:case_import": Page("coordinator"),
    "intake:case_import_job": Page("coordinator", lambda d: {"token": _import_job().token}),
    "intake:case_import_template": Page("coordinator"),
    "intake:case_import_template_xlsx": Page("coordinator"),
    # workspace
    "workspace:case": (Page("attorney", PLACED), Page("mentor", PLACED)),
    "workspace:hearing_add": POST_ONLY,
    "workspace:hearing_reschedule": POST_ONLY,
    "workspace:hearing_outcome": POST_ONLY,
    "workspace:milestone_status": POST_ONLY,
    "workspace:contact_add": POST_ONLY,
    "workspace:hours_add": POST_ONLY,
    "workspace:hours_delete": POST_ONLY,
    "workspace:outcome": POST_ONLY,
    "workspace:close": POST_ONLY,
    "workspace:withdrawal_request": POST_ONLY,
    "workspace:withdrawal_decide": POST_ONLY,
    "workspace:handoff": Page(
        "coordinator",
        lambda d: (lambda p: {"code": p.case.code, "pk": p.pk})(HandoffPacket.objects.get()),
    ),
    "workspace:document_upload": POST_ONLY,
    "workspace:document_version_add": POST_ONLY,
    "workspace:document_download": Page(
        "attorney",
        lambda d: {
            "code": d.placed_case.code,
            "pk": CaseDocumentVersion.objects.filter(document__case=d.placed_case).get().pk,
        },
    ),
    "workspace:document_comment": POST_ONLY,
    "workspace:hours_totals": Page("coordinator"),
    "workspace:hours_export": Page("coordinator"),
    "workspace:cases_at_risk": Page("coordinator"),
    "workspace:withdrawal_list": Page("coordinator"),
    "workspace:status_requests": Page("coordinator"),
    "workspace:status_request": Page("coordinator", _pk(lambda d: StatusRequest.objects.first())),
    "workspace:status_updates": Page("attorney"),
    "workspace:status_answer": Page(
        "attorney",
        _pk(lambda d: StatusRequestRecipient.objects.filter(attorney=d.attorney).first()),
    ),
    # cases
    "cases:new": (Page("coordinator"), Page("partner")),
    "cases:placement_requests": Page("coordinator"),
    "cases:screening": Page("coordinator", _code(lambda d: d.screening_case)),
    "cases:edit": Page("coordinator", PLACED),
    "cases:timeline": Page("coordinator", PLACED),
    "cases:placement": Page("coordinator", READY),
    "cases:placement_place": POST_ONLY,
    "cases:placement_withdrawal": POST_ONLY,
    "cases:placement_request_decide": POST_ONLY,
    "cases:archive": POST_ONLY,
    "cases:unarchive": POST_ONLY,
    "cases:list": (Page("coordinator"), Page("attorney")),
    "cases:detail": (Page("coordinator", PLACED), Page("attorney", PLACED)),
    # library
    "library:document_list": Page("attorney"),
    "library:document_create": Page("coordinator"),
    "library:document_detail": Page("attorney", _pk(lambda d: Document.objects.first())),
    "library:document_edit": Page("coordinator", _pk(lambda d: Document.objects.first())),
    "library:version_create": Page("coordinator", _pk(lambda d: Document.objects.first())),
    "library:version_download": Page(
        "attorney", lambda d: {"pk": Document.objects.first().versions.first().pk}
    ),
    "library:notifications": Page("attorney"),
    "library:strategy_notes": Page("attorney"),
    "library:strategy_note_create": Page("coordinator"),
    "library:strategy_note_edit": Page("coordinator", _pk(lambda d: StrategyNote.objects.first())),
    "library:strategy_note_history": Page(
        "coordinator", _pk(lambda d: StrategyNote.objects.first())
    ),
    # reports
    "reports:dashboard": Page("coordinator"),
    "reports:mine": (Page("attorney"), Page("mentor")),
    "reports:export": Page("coordinator", query=lambda d: _report_query() + "&table=summary"),
    "reports:funder_report": Page("coordinator"),
    # the ongoing mentorships
    "mentoring_work:list": (Page("mentor"), Page("program_admin")),
    "mentoring_work:time_queue": Page("program_admin"),
    "mentoring_work:statements": Page("program_admin"),
    "mentoring_work:statements_csv": Page("program_admin"),
    "mentoring_work:statement": Page(
        "program_admin", _pk(lambda d: MentorStatement.objects.first())
    ),
    "mentoring_work:statement_print": Page(
        "program_admin", _pk(lambda d: MentorStatement.objects.first())
    ),
    "mentoring_work:statement_csv": Page(
        "program_admin", _pk(lambda d: MentorStatement.objects.first())
    ),
    "mentoring_work:statement_issue": POST_ONLY,
    "mentoring_work:funding": Page("program_admin"),
    "mentoring_work:funding_source": Page(
        "program_admin", _pk(lambda d: FundingSource.objects.first())
    ),
    "mentoring_work:overdue": Page("program_admin"),
    "mentoring_work:feedback_list": Page("program_admin"),
    "mentoring_work:workspace": Page("mentor", _pk(lambda d: d.mentorship)),
    "mentoring_work:first_meeting": POST_ONLY,
    "mentoring_work:milestone_add": POST_ONLY,
    "mentoring_work:messages": Page("mentor", _pk(lambda d: d.mentorship)),
    "mentoring_work:time_log": Page("mentor", _pk(lambda d: d.mentorship)),
    "mentoring_work:close": Page("program_admin", _pk(lambda d: d.mentorship)),
    "mentoring_work:feedback": Page("program_admin", _pk(lambda d: d.mentorship)),
    "mentoring_work:milestone": Page("mentor", _pk(lambda d: d.plan_milestone)),
    "mentoring_work:draft_upload": POST_ONLY,
    "mentoring_work:draft_download": Page("mentor", _pk(lambda d: d.draft)),
    "mentoring_work:draft_comment": POST_ONLY,
    "mentoring_work:draft_reviewed": POST_ONLY,
    "mentoring_work:time_entry": Page("mentor", _pk(lambda d: d.time_entry)),
    "mentoring_work:time_entry_delete": POST_ONLY,
    # asking for a mentor
    "mentoring:home": (Page("attorney"), Page("mentor")),
    "mentoring:case": Page("attorney", PLACED),
    "mentoring:request_create": POST_ONLY,
    "mentoring:agreement": Page("attorney", PLACED),
    "mentoring:meeting_book": POST_ONLY,
    "mentoring:meeting_held": POST_ONLY,
    "mentoring:signature_print": Page(
        "attorney", _pk(lambda d: AgreementSignature.objects.get(mentee=d.attorney))
    ),
    "mentoring:queue": Page("program_admin"),
    "mentoring:request_bulk": Page("partner"),
    "mentoring:request_upload": POST_ONLY,
    "mentoring:request_detail": Page(
        "program_admin",
        _pk(lambda d: MentoringRequest.objects.order_by("pk").first()),
    ),
    "mentoring:request_confirm": POST_ONLY,
    "mentoring:request_override": POST_ONLY,
    "mentoring:request_withdraw": POST_ONLY,
    "mentoring:invitation": Page(
        "mentor", lambda d: {"token": invitation_token(d.invited_mentorship)}
    ),
    "mentoring:invitation_accept": POST_ONLY,
    "mentoring:invitation_decline": POST_ONLY,
    # the board
    "board:board": Page("attorney"),
    "board:card": Page("attorney", READY),
    "board:reveal": POST_ONLY,
    "board:take": POST_ONLY,
    # deadlines
    "deadlines:calendar_settings": Page("attorney"),
    "deadlines:calendar_feed": Page("visitor", lambda d: {"token": d.attorney.calendar_feed.token}),
    "deadlines:case_deadlines": Page("attorney", PLACED),
    # volunteers
    "people:join": Page("visitor"),
    "people:join_thanks": Page("visitor"),
    "people:verification_queue": Page("coordinator"),
    "people:my_profile": Page("attorney"),
    "people:attorney_detail": Page(
        "coordinator", _pk(lambda d: AttorneyProfile.objects.get(user=d.attorney))
    ),
    "conflicts:case_conflicts": Page("coordinator", PLACED),
    # trainings
    "trainings:catalogue": Page("attorney2"),
    "trainings:course": Page(
        "attorney2", _pk(lambda d: Course.objects.filter(kind="program").order_by("position")[0])
    ),
    "trainings:certificate_upload": Page(
        "attorney2", _pk(lambda d: Course.objects.get(kind=Course.Kind.EXTERNAL))
    ),
    "trainings:module": Page(
        "attorney2", _pk(lambda d: Module.objects.filter(questions__isnull=False).first())
    ),
    "trainings:module_complete": POST_ONLY,
    "trainings:module_quiz": POST_ONLY,
    "trainings:module_video": Page(
        "attorney2", _pk(lambda d: Module.objects.exclude(video_file="").get())
    ),
    "trainings:certificate_queue": Page("coordinator"),
    "trainings:certificate_review": Page("coordinator", _pk(lambda d: Certificate.objects.get())),
    "trainings:certificate_file": Page("coordinator", _pk(lambda d: Certificate.objects.get())),
    "trainings:sessions": Page("coordinator"),
    "trainings:session_new": Page("coordinator"),
    "trainings:session": Page("coordinator", _pk(lambda d: LiveSession.objects.get())),
    "trainings:session_attendance": POST_ONLY,
    "trainings:session_register": POST_ONLY,
    "trainings:session_calendar": Page("attorney2", _pk(lambda d: LiveSession.objects.get())),
    "trainings:registration_cancel": POST_ONLY,
    # public pages
    "public:robots_txt": Page("visitor"),
    "security_txt": Page("visitor"),
    "health": Page("visitor"),  # JSON for a load balancer: its content type is checked
    "public:urgent": Page("visitor"),
    "public:newsletter": Page("visitor"),
    "public:newsletter_sent": Page("visitor"),
    "public:newsletter_confirm": Page(
        "visitor",
        lambda d: {
            "token": public_services.subscriber_confirmation_token(
                NewsletterSubscriber.objects.get()
            )
        },
    ),
    "public:newsletter_unsubscribe": Page(
        "visitor",
        lambda d: {
            "token": public_services.subscriber_unsubscribe_token(
                NewsletterSubscriber.objects.get()
            )
        },
    ),
    "public:subscriber_list": Page("coordinator"),
    "public:subscriber_export": Page("coordinator"),
    "public:support": Page("visitor"),
    "public:partners": Page("visitor"),
    "public:partners_thanks": Page("visitor"),
    "public:inquiry_list": Page("coordinator"),
    "public:inquiry_detail": Page("coordinator", _pk(lambda d: PartnerInquiry.objects.get())),
    # the JSON API: its description is JSON; its docs page is a third-party page (Swagger UI)
    "api:openapi-json": Page("visitor"),
    "api:openapi-view": API,
    "api:deadlines_compute": API,
    "api:my_deadlines": API,
    "api:board": API,
    "api:case_submit": API,
    "api:case_status": API,
    "api:case_parties": API,
    "api:case_take_endpoint": API,
    "api:mentorship_request_create": API,
    "api:mentorship_request_detail": API,
    "api:api-root": API,
}


# allauth's sign-in pages (tests/browser/test_sign_in.py checks them) and the Django admin.
SKIPPED_PREFIXES = ("admin/", "accounts/")


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    """(route, name) of every URL pattern, as tests/core/test_access.py walks them."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), f"{namespace}:{pattern.name}".lstrip(":")


def _route_names() -> list[str]:
    return [
        name
        for route, name in _walk(get_resolver().url_patterns)
        if not route.startswith(SKIPPED_PREFIXES)
    ]


def test_the_accessibility_map_names_every_route():
    """Cheap, without a browser: a new route fails here first, an old entry too."""
    names = _route_names()
    missing = [name for name in names if name not in ACCESSIBILITY_MAP]
    assert not missing, "\n".join(f"add {name} to the accessibility map" for name in missing)
    stale = sorted(set(ACCESSIBILITY_MAP) - set(names))
    assert not stale, f"routes that no longer exist: {stale}"


def _visits(demo: Demo) -> list[tuple[str, str, str]]:
    """(persona, route name, URL) of every page to open, grouped by persona."""
    visits: list[tuple[str, str, str]] = []
    for name in _route_names():
        entry = ACCESSIBILITY_MAP.get(name)
        assert entry is not None, f"add {name} to the accessibility map"
        if isinstance(entry, str):
            continue
        for page in entry if isinstance(entry, tuple) else (entry,):
            assert page.persona in PERSONAS, f"{name}: unknown persona {page.persona!r}"
            try:
                url = page.url(name, demo)
            except (AssertionError, ObjectDoesNotExist) as error:
                raise AssertionError(f"{name}: {error}") from error
            visits.append((page.persona, name, url))
    order = list(PERSONAS)
    return sorted(visits, key=lambda visit: order.index(visit[0]))


@pytest.mark.parametrize(("locale", "language"), LOCALES)
def test_every_page_passes_the_accessibility_check(
    demo_program, browser, live_server, locale, language
):
    demo = Demo()
    _complete(demo)
    for email in PERSONAS.values():
        if email:
            set_user_language(email, language)
    visits = _visits(demo)
    folder = ARTIFACTS / f"every_page_{language}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    failures: list[str] = []
    downloads: list[str] = []
    for persona, group in itertools.groupby(visits, key=lambda visit: visit[0]):
        # Reduced motion, as in conftest.page_factory: no colour sampled mid-transition.
        context = browser.new_context(
            locale=locale, viewport={"width": WIDTH, "height": 900}, reduced_motion="reduce"
        )
        context.set_default_timeout(15_000)
        try:
            page = context.new_page()
            page.base_url = live_server.url
            if PERSONAS[persona]:
                sign_in(page, PERSONAS[persona])
            for _persona, name, url in group:
                label = f"{name.replace(':', '-')}-{persona}"
                failure = _check(page, context, live_server.url + url, language, folder, label)
                if failure == "download":
                    downloads.append(name)
                elif failure:
                    failures.append(f"{name} as {persona} ({url}): {failure}")
        finally:
            context.close()
    assert not failures, f"{len(failures)} pages fail:\n" + "\n\n".join(failures)
    assert downloads, "no download was told apart from the pages"


def _check(page: Any, context: Any, url: str, language: str, folder: Path, label: str) -> str:
    """Open `url`; '' when it passes, 'download' when it is not a page, else what is wrong."""
    # Ask first without navigating: a browser navigation to a file answers with a download.
    response = context.request.get(url, max_redirects=0)
    if response.status != 200:
        return f"answers {response.status}"
    content_type = response.headers.get("content-type", "").split(";")[0].strip()
    if content_type not in PAGE_TYPES:
        return "download"
    page.goto(url)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > WIDTH:
        return f"the page scrolls sideways: {width}px wide in a {WIDTH}px window"
    try:
        assert_accessible(page, language=language, where=label, report=folder / f"{label}.a11y.txt")
    except AssertionError as error:
        page.screenshot(path=str(folder / f"{label}.png"), full_page=True)
        return str(error)
    return ""
