"""No personal data where it does not belong: logs, error pages, e-mails, search engines.

A client with a distinctive name, A-number, birth date, phone and address goes through the
program's real flows in the test client (intake, a failing form, screening, the board, the
conflict check, placement, the workspace, mentoring messages, an import with a bad row, a 404 on
someone else's case, an exception in a view with DEBUG off). Every log record of every logger is
captured at DEBUG level, with what an error report would render of its request, and every
e-mail sent is collected; none may carry the client's data (e-mails may only where the policy
lets the recipient see the case file). Error pages show neither data nor a stack trace, and only
the public pages are open to search engines, without any client's data.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
import tablib
from django.conf import settings as django_settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client as DjangoClient
from django.urls import reverse
from django.utils import timezone
from django.views.debug import ExceptionReporter

from amparo.accounts.models import User
from amparo.cases.digest import board_digest_send
from amparo.cases.models import Case, Stage
from amparo.core.middleware import indexable_paths
from amparo.core.policy import can
from amparo.courts.models import ImmigrationCourt
from amparo.deadlines.reminders import reminders_send_daily
from amparo.intake.models import Client
from amparo.mentoring import notifications as mentoring_notifications
from amparo.mentoring.models import MentoringRequest, Mentorship
from amparo.mentoring_work.tasks import mentoring_daily_run
from amparo.people.models import AttorneyProfile
from amparo.workspace import services as workspace_services

GIVEN = "Xochiquetzal Amaranta"
FAMILY = "Ixcamparij Betancourt"
A_NUMBER = "A-204-617-359"
BIRTH = "1986-11-23"
PHONE = "(628) 555-0187"
ADDRESS = "1187 Calle Tzununá, Richmond"
CHILD = ("Itzayana", "Ixcamparij")
ADVERSE = "Baltazar Ozuna Quiroga"
#: Any of these in a log line, an error page, a public page or an unauthorised e-mail is a leak
#: (compared without case). The birth date in the forms a page or an e-mail could write it.
MARKERS = [
    "Xochiquetzal",
    "Ixcamparij",
    "204617359",
    "204-617-359",
    "204 617 359",
    BIRTH,
    "11/23/1986",
    "23/11/1986",
    "Nov. 23, 1986",
    "November 23, 1986",
    "23 de noviembre de 1986",
    "555-0187",
    "Tzununá",
    "Itzayana",
    "Ozuna Quiroga",
]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _around(text: str, marker: str) -> str:
    at = text.lower().find(marker.lower())
    return text[max(0, at - 150) : at + 150]


def leaks(text: str) -> list[str]:
    lowered = text.lower()
    return [marker for marker in MARKERS if marker.lower() in lowered]


# --- every log record ------------------------------------------------------------------------


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def all_logs() -> Iterator[list[logging.LogRecord]]:
    """Every record of every logger at DEBUG level: the root and each existing logger are
    opened to DEBUG, and loggers that do not propagate get the handler too."""
    assert django_settings.LOGGING.get("disable_existing_loggers") is False
    root = logging.getLogger()
    loggers = [root] + [
        logger for logger in root.manager.loggerDict.values() if isinstance(logger, logging.Logger)
    ]
    assert not [logger.name for logger in loggers if logger.disabled]
    saved = [(logger, logger.level) for logger in loggers]
    collector = _Collector()
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        if logger is root or not logger.propagate:
            logger.addHandler(collector)
    try:
        yield collector.records
    finally:
        for logger, level in saved:
            logger.setLevel(level)
            logger.removeHandler(collector)


_STANDARD = set(vars(logging.LogRecord("x", logging.INFO, "x", 1, "x", None, None))) | {
    "message",
    "asctime",
}


def rendered(record: logging.LogRecord) -> str:
    """The record as any handler could write it: the formatted line with its exception and
    stack, every extra attribute, and, for a request, Django's error report of it (what the
    e-mail to ADMINS or an error tracker shows: POST data, cookies, META) through the configured
    DEFAULT_EXCEPTION_REPORTER_FILTER."""
    text = logging.Formatter("%(name)s %(levelname)s %(message)s").format(record)
    extras = {key: value for key, value in vars(record).items() if key not in _STANDARD}
    request = extras.pop("request", None)
    text += "\n" + repr(extras)
    if isinstance(request, HttpRequest):
        exc_info = record.exc_info or (None, None, None)
        text += "\n" + repr(request)
        text += "\n" + ExceptionReporter(request, *exc_info, is_email=True).get_traceback_text()
    return text


# --- the flows -------------------------------------------------------------------------------


def intake_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "given_names": GIVEN,
        "family_names": FAMILY,
        "a_number": A_NUMBER,
        "date_of_birth": BIRTH,
        "country_of_nationality": "gt",
        "languages": ["es"],
        "phone": PHONE,
        "address": ADDRESS,
        "case_type": "defensive_asylum",
        "court": str(ImmigrationCourt.objects.get(code="SFR").pk),
        "last_arrival": (timezone.localdate() - dt.timedelta(days=120)).isoformat(),
        "hearing_kind": "individual",
        "hearing_at": f"{timezone.localdate() + dt.timedelta(days=200):%Y-%m-%d}T09:00",
        "family-TOTAL_FORMS": "1",
        "family-INITIAL_FORMS": "0",
        "family-0-relationship": "child",
        "family-0-given_names": CHILD[0],
        "family-0-family_names": CHILD[1],
        "family-0-date_of_birth": "2015-04-02",
        "adverse-TOTAL_FORMS": "1",
        "adverse-INITIAL_FORMS": "0",
        "adverse-0-kind": "persecutor",
        "adverse-0-name": ADVERSE,
    }
    data.update(overrides)
    return data


def import_csv() -> bytes:
    """Two rows: the distinctive client again, and a row whose A-number and date are wrong."""
    headers = [
        "client_given_names",
        "client_family_names",
        "a_number",
        "date_of_birth",
        "country_of_nationality",
        "languages",
        "phone",
        "case_type",
        "court_code",
        "detained",
        "last_arrival",
        "is_unaccompanied_child",
        "next_hearing_kind",
        "next_hearing_at",
        "supplement_b_signed",
        "adverse_party_name",
        "children",
    ]
    arrival = (timezone.localdate() - dt.timedelta(days=100)).isoformat()
    hearing = f"{timezone.localdate() + dt.timedelta(days=90):%Y-%m-%d} 09:00"
    good = [GIVEN, FAMILY, A_NUMBER, BIRTH, "GT", "es", PHONE, "defensive_asylum", "SFR"]
    good += ["no", arrival, "no", "individual", hearing, "", ADVERSE, ""]
    bad = list(good)
    bad[2] = "A-204-617"  # too short
    bad[3] = "1986-13-45"  # no such date
    dataset = tablib.Dataset(good, bad, headers=headers)
    return dataset.export("csv").encode("utf-8")


def join_data() -> dict[str, Any]:
    """A volunteer who declares a conflict with the distinctive adverse party."""
    data: dict[str, Any] = {
        "full_name": "Renata Volunteer",
        "email": "renata.volunteer@firm.example",
        "phone": "(415) 555-0100",
        "firm_name": "Volunteer Law LLP",
        "languages": ["en", "es"],
        "experience": "none",
        "interests": ["asylum"],
        "capacity": "2",
        "malpractice_coverage": "yes",
        "declared_conflicts": ADVERSE,
        "consent": "on",
        "website": "",
        "admissions-TOTAL_FORMS": "1",
        "admissions-INITIAL_FORMS": "0",
        "admissions-MIN_NUM_FORMS": "0",
        "admissions-MAX_NUM_FORMS": "12",
        "admissions-0-state": "CA",
        "admissions-0-bar_number": "309876",
        "admissions-0-year_admitted": "2016",
    }
    return data


def _ok(response: Any, *statuses: int) -> Any:
    assert response.status_code in statuses, (response.status_code, response.content[:2000])
    return response


def run_flows(personas: Any, monkeypatch: Any, capture: Any) -> Case:
    """The program's flows through the test client, with the distinctive client; returns the
    client's case (placed with personas.attorney, mentored by personas.mentor)."""
    web = DjangoClient()
    web.raise_request_exception = False  # a 500 is answered (and logged) as in production
    with capture(execute=True):
        # Partner staff record the client; a first try with a bad A-number fails (422).
        web.force_login(personas.partner)
        _ok(web.post(reverse("cases:new"), intake_data(a_number="A-204-617")), 422)
        _ok(web.post(reverse("cases:new"), intake_data()), 302)
        case = Case.objects.order_by("-pk").first()
        assert case is not None and case.client.a_number == A_NUMBER
        _ok(web.get(reverse("cases:detail", args=[case.code])), 200)
        # An import of the same client with a bad row: every problem listed, nothing saved.
        upload = SimpleUploadedFile("cases.csv", import_csv(), content_type="text/csv")
        _ok(web.post("/cases/import/", {"action": "upload", "file": upload}), 200, 422)

        # The coordinator reads the file, the conflict check, screens and publishes.
        web.force_login(personas.coordinator)
        _ok(web.get(reverse("cases:detail", args=[case.code])), 200)
        _ok(web.get(reverse("conflicts:case_conflicts", args=[case.code])), 200)
        _ok(web.get(reverse("cases:timeline", args=[case.code])), 200)
        screening = {
            "answer_protected_ground": "yes",
            "note_protected_ground": f"{GIVEN} was threatened by {ADVERSE}",
            "answer_one_year": "yes",
            "decision": "ready",
            "summary_en": "Mother threatened by a gang leader; hearing in the spring.",
            "summary_es": "Madre amenazada por un líder de pandilla; audiencia en primavera.",
            "merits_notes": f"Strong nexus; {FAMILY} family known to the gang.",
            "on_public_urgent_page": "on",
        }
        _ok(web.post(reverse("cases:screening", args=[case.code]), screening), 302)
        case.refresh_from_db()
        assert case.stage == Stage.READY

        # Attorneys who asked for the board digest hear of the new case.
        AttorneyProfile.objects.filter(user=personas.other_attorney).update(board_digest="daily")
        board_digest_send(frequency="daily", now=timezone.now() + dt.timedelta(minutes=5))

        # A volunteer signs up (declaring a conflict with the adverse party) and is verified.
        web.logout()
        _ok(web.post(reverse("people:join"), join_data()), 302)
        profile = AttorneyProfile.objects.get(user__email="renata.volunteer@firm.example")
        web.force_login(personas.coordinator)
        decision = {"action": "decide", "decision": "approve", "method": "state_bar_lookup"}
        for admission in profile.bar_admissions.all():
            decision[f"standing_{admission.pk}"] = "yes"
        _ok(web.post(reverse("people:attorney_detail", args=[profile.pk]), decision), 302)

        # The attorney finds it on the board, reveals the parties and takes it.
        web.force_login(personas.attorney)
        _ok(web.get(reverse("board:board")), 200)
        _ok(web.get(reverse("board:card", args=[case.code])), 200)
        _ok(web.post(reverse("board:reveal", args=[case.code])), 200)
        _ok(web.post(reverse("board:take", args=[case.code]), {"no_conflict": "on"}), 302)
        case.refresh_from_db()
        assert case.stage == Stage.PLACED and case.attorney_of_record == personas.attorney

        # A mentor joins (without access to the file), then the attorney works the case.
        request = MentoringRequest.objects.create(
            case=case,
            attorney=personas.attorney,
            requested_by=personas.partner,
            status=MentoringRequest.Status.MATCHED,
        )
        mentorship = Mentorship.objects.create(
            request=request,
            case=case,
            mentor=personas.mentor,
            mentee=personas.attorney,
            status=Mentorship.Status.ACTIVE,
            started_at=timezone.now() - dt.timedelta(days=3),
        )
        # The mentoring notices: the request (admins, and the mentee it was made for), the
        # invitation (the mentor, who may not open the file) and the acceptance (the mentee).
        mentoring_notifications.send_requested(request_ids=[request.pk])
        mentoring_notifications.send_invitation(mentorship_id=mentorship.pk)
        mentoring_notifications.send_accepted(mentorship_id=mentorship.pk)
        Case.objects.filter(pk=case.pk).update(mentor=personas.mentor, mentor_file_access=False)
        workspace = reverse("workspace:case", args=[case.code])
        _ok(web.get(workspace), 200)
        contact = {
            "contact-contacted_on": timezone.localdate().isoformat(),
            "contact-channel": "phone",
            "contact-direction": "to_client",
            "contact-language": "es",
            "contact-note": f"Called {GIVEN} at {PHONE} about {ADVERSE}.",
        }
        _ok(web.post(reverse("workspace:contact_add", args=[case.code]), contact), 200, 302)
        hours = {
            "hours-worked_on": timezone.localdate().isoformat(),
            "hours-activity": "drafting",
            "hours-hours": "2",
            "hours-description": f"Declaration of {GIVEN} {FAMILY}",
        }
        _ok(web.post(reverse("workspace:hours_add", args=[case.code]), hours), 200, 302)
        document = {
            "document-title": f"Declaration of {GIVEN} {FAMILY}",
            "document-kind": "draft",
            "document-file": SimpleUploadedFile(f"{FAMILY} {A_NUMBER}.pdf", PDF),
        }
        _ok(web.post(reverse("workspace:document_upload", args=[case.code]), document), 200, 302)
        hearing = case.hearings.get(status="scheduled")
        moved = timezone.localdate() + dt.timedelta(days=230)
        prefix = f"reschedule-{hearing.pk}"
        _ok(
            web.post(
                reverse("workspace:hearing_reschedule", args=[case.code, hearing.pk]),
                {f"{prefix}-date": moved.isoformat(), f"{prefix}-time": "10:00"},
            ),
            200,
            302,
        )
        # A mentoring request for another mentor (refused or accepted, its text names the client).
        web.post(
            reverse("mentoring:request_create", args=[case.code]),
            {"help_wanted": f"Help with {GIVEN}'s declaration", "languages": ["es"]},
        )
        # Mentor and mentee write to each other.
        messages_url = reverse("mentoring_work:messages", args=[mentorship.pk])
        web.force_login(personas.mentor)
        _ok(web.get(messages_url), 200)
        _ok(web.post(messages_url, {"body": f"How is {GIVEN}? Ask about {ADVERSE}."}), 200, 302)
        web.force_login(personas.attorney)
        _ok(web.post(messages_url, {"body": f"{GIVEN} is well; {A_NUMBER} confirmed."}), 200, 302)
        _ok(web.post(messages_url, {"body": ""}), 200, 422)  # a failing form

        # Another attorney tries the case: 404, as for a case that does not exist.
        web.force_login(personas.other_attorney)
        _ok(web.get(workspace), 404)
        _ok(web.get(reverse("cases:detail", args=[case.code])), 404)

        # A view fails with DEBUG off: Django logs the error with the request.
        def broken(**kwargs: Any) -> None:
            raise RuntimeError("the database went away")

        working = workspace_services.client_contact_log
        monkeypatch.setattr(workspace_services, "client_contact_log", broken)
        web.force_login(personas.attorney)
        _ok(web.post(reverse("workspace:contact_add", args=[case.code]), contact), 500)
        monkeypatch.setattr(workspace_services, "client_contact_log", working)

        # The daily e-mails: reminders, digests, mentoring clocks.
        reminders_send_daily(today=timezone.localdate())
        from amparo.accounts.digest import digest_send_daily

        digest_send_daily(now=timezone.now() + dt.timedelta(days=1))
        mentoring_daily_run()

        # The attorney signs in from a second browser: the new-sign-in notice.
        web.logout()
        for agent in ("Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0", "Mozilla/5.0 Safari/605"):
            browser = DjangoClient(HTTP_USER_AGENT=agent)
            signed_in = browser.post(
                reverse("account_login"),
                {"login": personas.attorney.email, "password": "a-long-test-password"},
            )
            _ok(signed_in, 302)

        # Public forms: the newsletter and a partner's inquiry that names the client.
        newsletter = {"email": "lector@example.org", "language": "en", "website": ""}
        _ok(web.post(reverse("public:newsletter"), newsletter), 302)
        inquiry = {
            "organization_name": "Bay Area Refugee Aid",
            "contact_name": "Ana Torres",
            "email": "ana@refugee-aid.example.org",
            "phone": "(415) 555-0142",
            "wants": "cases",
            "approximate_number": "3",
            "message": f"We have {GIVEN} {FAMILY} and two more families.",
            "website": "",
        }
        _ok(web.post(reverse("public:partners"), inquiry), 302)
    return case


@pytest.fixture
def flows(
    personas: Any,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
    all_logs: list[logging.LogRecord],
    settings: Any,
) -> dict[str, Any]:
    settings.DEBUG = False
    settings.ADMINS = [("Operations", "ops@amparo.example")]  # the error report goes by e-mail
    case = run_flows(personas, monkeypatch, django_capture_on_commit_callbacks)
    return {"case": case, "logs": list(all_logs), "mail": list(mail.outbox)}


def test_no_personal_data_in_any_log_record(flows: dict[str, Any]):
    records = flows["logs"]
    lines = [rendered(record) for record in records]
    # The capture is real: the refused pages and the failure were logged, with their requests.
    messages = [record.getMessage() for record in records]
    assert any(m.startswith("Internal Server Error") for m in messages)
    assert any(m.startswith("Not Found") for m in messages)
    assert any(m.startswith("Unprocessable") for m in messages)
    assert any(getattr(r, "request", None) is not None and r.exc_info for r in records)
    found = [
        (record.name, leak, _around(line, leak))
        for record, line in zip(records, lines, strict=True)
        for leak in leaks(line)
    ]
    assert found == []


def test_error_reports_hide_post_values_and_frame_variables(flows: dict[str, Any]):
    """The e-mail to ADMINS (and any handler rendering the request) names the POST fields but
    shows none of their values, and no frame's variables."""
    reports = [m for m in flows["mail"] if "ops@amparo.example" in m.to]
    assert len(reports) == 1
    body = reports[0].subject + reports[0].body
    assert "RuntimeError" in body and "contact-note" in body
    assert leaks(body) == []
    failure = next(r for r in flows["logs"] if r.exc_info and getattr(r, "request", None))
    html = ExceptionReporter(failure.request, *failure.exc_info).get_traceback_html()
    assert leaks(html) == []


def test_emails_name_clients_only_to_people_who_may_see_the_file(flows: dict[str, Any]):
    sent = [m for m in flows["mail"] if "ops@amparo.example" not in m.to]
    subjects = " | ".join(m.subject for m in sent)
    # The flows sent the program's e-mails: placement, rescheduling, messages, verification,
    # digests and public forms.
    case = flows["case"]
    for expected in [
        f"{case.code} was placed",
        f"{case.code}: hearing rescheduled",
        "New volunteer attorney to verify",
        "You are verified as a volunteer attorney",
        "New partner inquiry",
        "New mentor requests",
        f"A mentor was requested for your case {case.code}",
        f"Mentoring invitation: case {case.code}",
        f"Your mentor for case {case.code}",
        "new message from your mentor",
        "New sign-in to your Amparo account",
        "Confirm your subscription",
        "new case on the board fits your practice",
    ]:
        assert expected in subjects, expected
    assert len(sent) >= 18
    clients = list(Client.objects.all())
    for message in sent:
        text = f"{message.subject}\n{message.body}"
        for alternative, _mimetype in getattr(message, "alternatives", []):
            text += str(alternative)
        recipients = [*message.to, *message.cc, *message.bcc]
        for client in clients:
            named = [client.full_name, client.family_names]
            if client.a_number:
                named += [client.a_number, client.a_number.removeprefix("A-").replace("-", "")]
            if not any(value.lower() in text.lower() for value in named if value):
                continue
            for address in recipients:
                user = User.objects.filter(email__iexact=address).first()
                assert user is not None and any(
                    can(user, "cases.view_case_file", c) for c in client.cases.all()
                ), (address, message.subject)
    # Better still: the distinctive client reaches no e-mail at all, not even the attorney's
    # (e-mails name the case by its code; the rest is behind sign-in).
    for message in sent:
        assert leaks(f"{message.subject}\n{message.body}") == [], message.subject


def test_no_personal_data_in_the_session_or_cookies(flows: dict[str, Any]):
    from django.contrib.sessions.models import Session

    for session in Session.objects.all():
        assert leaks(str(session.get_decoded())) == []
        assert leaks(session.session_data) == []


# --- error pages -----------------------------------------------------------------------------


def _no_trace(html: str) -> None:
    for word in (
        "Traceback",
        'File "',
        "SECRET_KEY",
        "DEBUG = True",
        "Exception Value",
        "Request Method",
        "WSGIRequest",
    ):
        assert word not in html, word


def test_error_pages_show_no_data_and_no_trace(personas: Any, monkeypatch: Any, settings: Any):
    settings.DEBUG = False
    case = personas.placed_case
    name = case.client.full_name
    web = DjangoClient(raise_request_exception=False)
    # 404: someone else's case, and a path that does not exist.
    web.force_login(personas.other_attorney)
    for path in (
        reverse("cases:detail", args=[case.code]),
        reverse("workspace:case", args=[case.code]),
        f"/cases/{case.code}-nope/",
    ):
        response = web.get(path)
        assert response.status_code == 404
        html = response.content.decode()
        # (The page may repeat the address asked for, as the language switch does: no more.)
        assert name not in html and case.client.family_names not in html
        _no_trace(html)
    # 403: a POST without its CSRF token.
    strict = DjangoClient(enforce_csrf_checks=True)
    strict.force_login(personas.attorney)
    response = strict.post(
        reverse("workspace:contact_add", args=[case.code]), {"contact-note": name}
    )
    assert response.status_code == 403
    assert name not in response.content.decode()
    _no_trace(response.content.decode())
    # 400: a request for a host the site does not serve.
    response = web.get(reverse("workspace:case", args=[case.code]), HTTP_HOST="evil.example")
    assert response.status_code == 400
    _no_trace(response.content.decode())

    # 500: a view fails while it holds the client's data.
    def broken(**kwargs: Any) -> None:
        raise RuntimeError(f"failed on case {case.pk}")

    monkeypatch.setattr(workspace_services, "client_contact_log", broken)
    web.force_login(personas.attorney)
    response = web.post(
        reverse("workspace:contact_add", args=[case.code]),
        {
            "contact-contacted_on": timezone.localdate().isoformat(),
            "contact-channel": "phone",
            "contact-direction": "to_client",
            "contact-language": "es",
            "contact-note": f"Called {name}",
        },
    )
    assert response.status_code == 500
    html = response.content.decode()
    assert name not in html and "RuntimeError" not in html and "failed on case" not in html
    _no_trace(html)


# --- search engines --------------------------------------------------------------------------


def robots_allows(robots: str, path: str) -> bool:
    """RFC 9309 for `User-agent: *`: the longest matching rule wins, Allow on a tie; `*` is any
    run of characters and `$` ends the path."""
    best: tuple[int, bool] = (-1, True)
    for line in robots.splitlines():
        field, _sep, value = line.partition(":")
        field, value = field.strip().lower(), value.strip()
        if field not in ("allow", "disallow") or not value:
            continue
        pattern = re.escape(value).replace(r"\*", ".*")
        if pattern.endswith(r"\$"):
            pattern = pattern[:-2] + "$"
        if re.match(pattern, path):
            candidate = (len(value), field == "allow")
            if candidate[0] > best[0] or (candidate[0] == best[0] and candidate[1]):
                best = candidate
    return best[1]


PUBLIC_PAGES = ["/", "/urgent/", "/newsletter/", "/support/", "/partners/", "/join/"]


def test_robots_txt_allows_the_public_pages_only(client: Any, db: Any):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    robots = response.content.decode()
    assert "User-agent: *" in robots
    assert sorted(indexable_paths()) == sorted(PUBLIC_PAGES)
    for path in [*PUBLIC_PAGES, "/urgent/?page=2", "/static/amparo/app.css"]:
        assert robots_allows(robots, path), path
    for path in [
        "/dashboard/",
        "/board/",
        "/cases/",
        "/cases/AMP-26-0001/",
        "/cases/AMP-26-0001/workspace/",
        "/newsletter/subscribers/",
        "/newsletter/subscribers.csv",
        "/newsletter/confirm/some-token/",
        "/partners/inquiries/",
        "/join/thanks/",
        "/calendar/some-token.ics",
        "/accounts/login/",
        "/admin/",
        "/api/v1/cases",
        "/mentoring/",
        "/library/",
        "/reports/",
    ]:
        assert not robots_allows(robots, path), path


def test_only_public_pages_may_be_indexed(client: Any, personas: Any):
    for path in PUBLIC_PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "X-Robots-Tag" not in response, path
        assert 'name="robots"' not in response.content.decode(), path
    pages = [
        "/accounts/login/",
        "/newsletter/sent/",
        "/partners/thanks/",
        "/join/thanks/",
        "/no-such-page/",
        "/dashboard/",
    ]
    for path in pages:
        response = client.get(path)
        assert response["X-Robots-Tag"] == "noindex, nofollow", path
    client.force_login(personas.coordinator)
    for path in [
        "/dashboard/",
        reverse("cases:detail", args=[personas.placed_case.code]),
        reverse("workspace:case", args=[personas.placed_case.code]),
        reverse("public:subscriber_list"),
        reverse("public:inquiry_list"),
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["X-Robots-Tag"] == "noindex, nofollow", path
        assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_public_pages_of_a_populated_program_hold_no_client_data(
    db: Any, client: Any, settings: Any
):
    settings.DEBUG = True  # demo_data refuses to run otherwise
    call_command("demo_data", verbosity=0, stdout=io.StringIO())
    settings.DEBUG = False
    settings.AMPARO_DEMO_SKIPS_2FA = True
    # The distinctive client's case on the public urgent page as well.
    coordinator = User.objects.get(email="coordinator@demo.amparo.org")
    web = DjangoClient()
    web.force_login(coordinator)
    _ok(web.post(reverse("cases:new"), intake_data()), 302)
    case = Case.objects.order_by("-pk").first()
    assert case is not None and case.client.a_number == A_NUMBER
    screening = {
        "answer_protected_ground": "yes",
        "answer_one_year": "yes",
        "decision": "ready",
        "summary_en": "Mother threatened by a gang leader.",
        "summary_es": "Madre amenazada por un líder de pandilla.",
        "on_public_urgent_page": "on",
    }
    _ok(web.post(reverse("cases:screening", args=[case.code]), screening), 302)
    case.refresh_from_db()
    assert case.stage == Stage.READY and case.on_public_urgent_page

    secrets: list[str] = []
    for person in Client.objects.all():
        secrets += [person.full_name, person.family_names]
        if person.a_number:
            secrets.append(person.a_number)
        if person.date_of_birth:
            secrets.append(person.date_of_birth.isoformat())
        if person.phone:
            secrets.append(person.phone)
    urgent_pages = 1 + Case.objects.filter(on_public_urgent_page=True).count() // 20
    paths = [*PUBLIC_PAGES, *(f"/urgent/?page={n}" for n in range(2, urgent_pages + 1))]
    seen_codes: set[str] = set()
    for path in paths:
        for language in ("en", "es"):
            response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, path
            html = response.content.decode()
            assert [s for s in secrets if s in html] == [], path
            assert leaks(html) == [], path
            seen_codes |= set(re.findall(r"AMP-\d\d-\d{4}", html))
    # The urgent page does show the opted-in cases, anonymized (by code), ours among them.
    assert case.code in seen_codes
    assert len(seen_codes) >= 2
