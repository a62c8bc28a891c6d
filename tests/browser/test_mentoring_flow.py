"""The whole mentoring path, in the browser: the attorney of record asks for a mentor, the program
admin confirms the proposed mentor, the mentor accepts from the e-mailed link, the mentee signs
the agreement, watches the intro video and books the first meeting; on the meeting's day the
mentor logs it, writes the plan and sends a message; the mentee does not answer, and once the
2-business-day clock has run out the daily job flags the message on the mentor's page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone, translation
from playwright.sync_api import expect

from amparo.accounts.models import Role, User
from amparo.cases.models import Case, Stage
from amparo.mentoring.eligibility import eligibility_evaluate_for
from amparo.mentoring.models import (
    AgreementSignature,
    MentoringMeeting,
    MentoringRequest,
    Mentorship,
)
from amparo.mentoring.proposals import request_proposals
from amparo.mentoring_work.models import MentoringPlan, Message
from amparo.mentoring_work.tasks import mentoring_daily_run
from amparo.trainings.models import Course, CourseCompletion

from .helpers import set_user_language, sign_in, t

pytestmark = pytest.mark.django_db(transaction=True)

LOCALES = [pytest.param("en-US", "en", id="en"), pytest.param("es-MX", "es", id="es")]
MENTEE = "attorney2@demo.amparo.org"
ADMIN = "admin@demo.amparo.org"
HELP_WANTED = "Reviewing the declaration and preparing the direct examination."
VIDEO_LINK = "https://meet.example.org/amparo-first-meeting"
MEETING_NOTES = "Agreed the theory of the case and the order of the drafts."
MESSAGE = "Please send me the draft declaration by Friday."
INVITATION_PATH = re.compile(r"/mentoring/invitations/[^/\s]+/")


def _heading(page, message: str, language: str, *, level: int = 1) -> None:
    # Not helpers.expect_heading: the mentoring pages await the lead translator's pass, and the
    # Spanish run must not fail on an English heading until then.
    heading = page.get_by_role("heading", level=level).filter(has_text=t(message, language))
    expect(heading.first).to_be_visible()


def _flash(page, text: str) -> None:
    expect(page.locator("main .messages")).to_contain_text(text)


def _case_to_mentor(mentee: User, admin: User) -> Case:
    """A placed case of the demo mentee, without a mentor or an open request, on which the mentee
    meets every requirement once their Center of Excellence training is on file.

    That training is an external course proven by a certificate a program admin verifies (another
    flow): its completion is recorded here, as staff would record it."""
    excellence = Course.objects.get(kind=Course.Kind.EXTERNAL, title_en__icontains="Excellence")
    CourseCompletion.objects.create(
        user=mentee,
        course=excellence,
        completed_on=timezone.localdate(),
        source=CourseCompletion.Source.STAFF,
        recorded_by=admin,
    )
    cases = (
        Case.objects.filter(attorney_of_record=mentee, stage=Stage.PLACED, mentor__isnull=True)
        .exclude(mentoring_requests__status__in=MentoringRequest.OPEN_STATUSES)
        .order_by("code")
    )
    for case in cases:
        if eligibility_evaluate_for(case=case, attorney=mentee).ok:
            return case
    raise AssertionError(f"No case of {mentee.email} meets every mentee requirement.")


@pytest.mark.parametrize(("locale", "language"), LOCALES)
def test_mentoring_from_the_request_to_an_overdue_reply(
    demo_program, page_factory, mailoutbox, settings, locale, language
):
    # The mentor's page stays open across the days the test skips: a session outlives them.
    settings.SESSION_COOKIE_AGE = 60 * 60 * 24 * 30
    settings.AMPARO_SESSION_IDLE_MINUTES = 60 * 24 * 30  # nor does the idle sign-out end it
    settings.AMPARO_SESSION_MAX_HOURS = 24 * 30
    User.objects.filter(role=Role.MENTOR).update(language=language)
    for email in (MENTEE, ADMIN):
        set_user_language(email, language)
    mentee = User.objects.get(email=MENTEE)
    admin = User.objects.get(email=ADMIN)
    case = _case_to_mentor(mentee, admin)
    case_path = f"/mentoring/cases/{case.code}/"

    # 1. The attorney of record asks for a mentor; the requirements are checked at once.
    attorney, attorney_steps = page_factory(locale=locale)
    sign_in(attorney, MENTEE, steps=attorney_steps)
    attorney.get_by_role("link", name=t("Mentoring", language), exact=True).click()
    attorney.wait_for_url("**/mentoring/")
    _heading(attorney, "Mentoring", language)
    attorney_steps.shot("mentee-home")
    attorney.get_by_role("link", name=case.code, exact=True).click()
    attorney.wait_for_url(f"**{case_path}")
    attorney_steps.shot("mentee-case")
    attorney.get_by_label(t("What help do you want from a mentor?", language)).fill(HELP_WANTED)
    attorney.locator("input[name=languages][value=es]").check()
    attorney_steps.shot("request-filled")
    attorney.get_by_role("button", name=t("Ask for a mentor", language)).click()
    attorney.wait_for_url(f"**{case_path}")
    _flash(
        attorney,
        t(
            "Your request was sent. The requirements are checked below; the program matches a "
            "mentor once they are met.",
            language,
        ),
    )
    expect(attorney.locator("main")).to_contain_text(t("Every requirement is met.", language))
    attorney_steps.shot("requested")
    mentoring_request = MentoringRequest.objects.get(case=case, status="pending")
    assert mentoring_request.attorney == mentee
    assert mentoring_request.languages == ["es"]

    # 2. The program admin finds it in the queue, reads its requirements, confirms the proposal.
    proposals = request_proposals(request=mentoring_request)
    assert proposals, "No demo mentor fits the request."
    mentor = proposals[0].mentor
    admin_page, admin_steps = page_factory(locale=locale)
    sign_in(admin_page, ADMIN, steps=admin_steps)
    admin_page.get_by_role("link", name=t("Mentoring", language), exact=True).click()
    admin_page.wait_for_url("**/mentoring/requests/")
    _heading(admin_page, "Mentor requests", language)
    admin_steps.shot("queue")
    admin_page.get_by_role("link", name=case.code, exact=True).click()
    admin_page.wait_for_url(f"**/mentoring/requests/{mentoring_request.pk}/")
    requirements = admin_page.get_by_role("heading", name=t("Requirements", language))
    expect(requirements).to_contain_text(t("Met", language))
    expect(admin_page.locator("main")).to_contain_text(HELP_WANTED)
    admin_steps.shot("request")
    confirm = t("Confirm and invite %(name)s", language) % {"name": mentor.full_name}
    admin_page.get_by_role("button", name=confirm).click()
    admin_page.wait_for_url(f"**/mentoring/requests/{mentoring_request.pk}/")
    _flash(
        admin_page,
        t("%(name)s is invited by e-mail to mentor on %(code)s.", language)
        % {"name": mentor.full_name, "code": case.code},
    )
    admin_steps.shot("confirmed")
    mentorship = Mentorship.objects.get(request=mentoring_request, mentor=mentor)
    assert mentorship.status == Mentorship.Status.INVITED
    assert mentorship.confirmed_by == admin

    # 3. The mentor opens the link of the invitation e-mail and accepts.
    invitation = [m for m in mailoutbox if m.to == [mentor.email] and case.code in m.subject]
    assert len(invitation) == 1
    link = INVITATION_PATH.search(invitation[0].body)
    assert link, invitation[0].body
    mentor_page, mentor_steps = page_factory(locale=locale)
    sign_in(mentor_page, mentor.email, steps=mentor_steps)
    mentor_page.goto(mentor_page.base_url + link.group(0))
    _heading(mentor_page, "Mentoring invitation", language)
    expect(mentor_page.locator("main")).to_contain_text(HELP_WANTED)
    mentor_steps.shot("invitation")
    mentor_page.get_by_role("button", name=t("Accept the mentorship", language)).click()
    mentor_page.wait_for_url(f"**{case_path}")
    _flash(
        mentor_page,
        t("Thank you: you now mentor on %(code)s. The attorney was told by e-mail.", language)
        % {"code": case.code},
    )
    mentor_steps.shot("accepted")
    mentorship.refresh_from_db()
    assert mentorship.status == Mentorship.Status.ACTIVE
    assert any(m.to == [MENTEE] and case.code in m.subject for m in mailoutbox)

    # 4. The mentee signs the agreement with their typed full name...
    attorney.reload()
    expect(attorney.locator("#mentor-heading + p")).to_contain_text(mentor.full_name)
    attorney_steps.shot("matched")
    attorney.get_by_role("link", name=t("Read and sign the agreement", language)).click()
    attorney.wait_for_url(f"**/mentoring/cases/{case.code}/agreement/")
    _heading(attorney, "Mentoring agreement", language)
    attorney_steps.shot("agreement")
    attorney.get_by_label(t("Type your full name to sign", language)).fill(mentee.full_name)
    attorney.get_by_role("button", name=t("Sign the agreement", language)).click()
    attorney.wait_for_url(f"**{case_path}")
    _flash(
        attorney,
        t("You signed version %(version)s of the mentoring agreement.", language) % {"version": 1},
    )
    attorney_steps.shot("signed")
    signature = AgreementSignature.objects.get(mentee=mentee)
    assert signature.typed_name == mentee.full_name
    assert signature.language == language

    # ... and watches the intro video, the one module of its course, from the case's page.
    intro = Course.objects.get(kind=Course.Kind.INTRO_VIDEO)
    module = intro.modules.get()
    with translation.override(language):
        intro_title, module_title = intro.title, module.title
    attorney.get_by_role("link", name=intro_title).click()
    attorney.wait_for_url(f"**/trainings/courses/{intro.pk}/")
    attorney_steps.shot("intro-course")
    attorney.get_by_role("link", name=module_title).click()
    attorney.wait_for_url(f"**/trainings/modules/{module.pk}/")
    attorney_steps.shot("intro-module")
    done = t("I watched and read this module: mark it done", language)
    attorney.get_by_role("button", name=done).click()
    attorney.wait_for_url(f"**/trainings/courses/{intro.pk}/")
    _flash(attorney, t("Module done.", language))
    attorney_steps.shot("intro-done")

    # 5. The mentee books the first meeting, tomorrow at 10:00, by video.
    attorney.goto(attorney.base_url + case_path)
    _heading(attorney, "Book the first meeting", language, level=3)
    attorney_steps.shot("ready-to-book")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    meeting_at = dt.datetime.combine(
        tomorrow, dt.time(10, 0), tzinfo=timezone.get_default_timezone()
    )
    attorney.get_by_label(t("Date and time", language)).fill(f"{tomorrow.isoformat()}T10:00")
    attorney.get_by_label(t("Video call", language), exact=True).check()
    attorney.get_by_label(t("Video call link", language)).fill(VIDEO_LINK)
    attorney_steps.shot("meeting-filled")
    attorney.get_by_role("button", name=t("Book the meeting", language)).click()
    attorney.wait_for_url(f"**{case_path}")
    _flash(attorney, t("The meeting is booked; the other person was told by e-mail.", language))
    attorney_steps.shot("meeting-booked")
    meeting = MentoringMeeting.objects.get(mentorship=mentorship)
    assert meeting.is_first
    assert meeting.starts_at == meeting_at

    # The clock moves (time-machine, never sleep): every request below, the live server's
    # included, runs on the meeting's day, then after the clock of the mentor's message ran out.
    with time_machine.travel(meeting_at + dt.timedelta(hours=1), tick=True) as clock:
        # 6. The mentor logs the meeting as held, then writes the plan in the workspace.
        mentor_page.goto(mentor_page.base_url + case_path)
        mentor_steps.shot("meeting-day")
        mentor_page.get_by_label(t("Notes (optional)", language)).fill(MEETING_NOTES)
        mentor_page.get_by_role("button", name=t("Log as held", language)).click()
        mentor_page.wait_for_url(f"**{case_path}")
        _flash(mentor_page, t("The meeting is logged as held.", language))
        mentor_steps.shot("meeting-held")
        meeting.refresh_from_db()
        assert meeting.held

        mentor_page.get_by_role("link", name=t("Plan and drafts", language)).click()
        mentor_page.wait_for_url(f"**/mentoring/work/{mentorship.pk}/")
        _heading(mentor_page, "First meeting", language, level=2)
        mentor_steps.shot("workspace")
        mentor_page.get_by_label(t("When you met", language)).fill(f"{tomorrow.isoformat()}T10:00")
        mentor_page.get_by_label(t("Video call", language), exact=True).check()
        mentor_page.get_by_label(t("Notes of the meeting", language)).fill(MEETING_NOTES)
        mentor_page.get_by_role(
            "button", name=t("Log the meeting and write the plan", language)
        ).click()
        mentor_page.wait_for_url(f"**/mentoring/work/{mentorship.pk}/")
        _flash(mentor_page, t("The first meeting is logged and the plan is written.", language))
        _heading(mentor_page, "Mentoring plan", language, level=2)
        mentor_steps.shot("plan")
        plan = MentoringPlan.objects.get(mentorship=mentorship)
        assert plan.first_meeting_at == meeting_at
        assert plan.created_by == mentor

        # 7. The mentor writes to the mentee: the mentee's 2-business-day clock starts.
        sections = mentor_page.get_by_role("navigation", name=t("Mentorship sections", language))
        sections.get_by_role("link", name=t("Messages", language)).click()
        mentor_page.wait_for_url(f"**/mentoring/work/{mentorship.pk}/messages/")
        mentor_page.get_by_label(t("Message", language), exact=True).fill(MESSAGE)
        mentor_steps.shot("message-filled")
        mentor_page.get_by_role("button", name=t("Send", language), exact=True).click()
        mentor_page.wait_for_url(f"**/mentoring/work/{mentorship.pk}/messages/")
        _flash(mentor_page, t("Message sent.", language))
        message = Message.objects.get(mentorship=mentorship, author=mentor)
        assert message.response_due_at is not None
        sent = mentor_page.locator(f"#message-{message.pk}")
        expect(sent).to_contain_text(MESSAGE)
        expect(sent.locator(".badge")).not_to_contain_text(t("Reply overdue", language))
        mentor_steps.shot("message-sent")

        # 8. The mentee does not answer. An hour after the clock ran out, the daily job runs...
        clock.move_to(message.response_due_at + dt.timedelta(hours=1))
        mailoutbox.clear()
        mentoring_daily_run()
        message.refresh_from_db()
        assert message.answered_at is None
        assert message.overdue_flagged_at is not None
        assert any(m.to == [mentor.email] and case.code in m.body for m in mailoutbox)

        # ... and the mentor's page, reloaded, shows the reply overdue.
        mentor_page.reload()
        expect(sent.locator(".badge")).to_have_text(t("Reply overdue", language))
        mentor_steps.shot("reply-overdue")
        mentor_page.get_by_role("link", name=t("Mentorships", language)).click()
        mentor_page.wait_for_url("**/mentoring/work/")
        row = mentor_page.get_by_role("row").filter(has_text=case.code)
        expect(row).to_contain_text(t("Reply overdue", language))
        mentor_steps.shot("mentorships")
