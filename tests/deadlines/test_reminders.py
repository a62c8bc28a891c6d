"""The daily reminder e-mail: who hears about what, in which language, and what it never says."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.utils import timezone

from amparo.accounts.models import Role
from amparo.cases.models import CaseType, Stage
from amparo.deadlines.models import Anchor, Milestone, OwnerRole
from amparo.deadlines.reminders import reminders_collect, reminders_send_daily
from amparo.deadlines.tasks import send_daily_reminders
from tests.deadlines.factories import CaseDeadlineFactory, CustomDeadlineFactory, MilestoneFactory
from tests.factories import AttorneyProfileFactory, CaseFactory, ClientFactory, UserFactory

TODAY = dt.date(2026, 11, 23)  # a Monday


def _days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def _messages_to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def _lines(items):
    return [(i.case_code, str(i.what), i.date) for i in items]


def test_reminders_collect_attorney_upcoming_and_overdue(personas):
    case = personas.placed_case
    CaseDeadlineFactory(case=case, date=_days(5))
    CaseDeadlineFactory(case=case, rule="USCIS_RESPONSE", date=_days(14))
    MilestoneFactory(case=case, due_date=_days(-2), status=Milestone.Status.IN_PROGRESS)
    CustomDeadlineFactory(case=case, date=_days(-1))
    # Not counted: past computed dates, beyond the window, done, or on someone else's case.
    CaseDeadlineFactory(case=case, date=_days(-3))
    CaseDeadlineFactory(case=case, date=_days(15))
    CustomDeadlineFactory(case=case, date=_days(2), completed_at=timezone.now())
    CustomDeadlineFactory(case=case, date=_days(-4), completed_at=timezone.now())
    MilestoneFactory(case=case, due_date=_days(3), status=Milestone.Status.DONE)
    MilestoneFactory(case=case, due_date=_days(-3), status=Milestone.Status.NOT_APPLICABLE)
    MilestoneFactory(case=case, due_date=None)
    other = CaseFactory(stage=Stage.PLACED, attorney_of_record=personas.other_attorney)
    CaseDeadlineFactory(case=other, date=_days(4))

    reminders = reminders_collect(user=personas.attorney, today=TODAY)

    code = case.code
    assert _lines(reminders.upcoming) == [
        (code, "filing deadline", _days(5)),
        (code, "response deadline", _days(14)),
    ]
    assert _lines(reminders.overdue) == [
        (code, "milestone", _days(-2)),
        (code, "deadline", _days(-1)),
    ]
    assert reminders.escalations == []


def test_reminders_collect_mentor_sees_the_cases_they_mentor(personas):
    CaseDeadlineFactory(case=personas.placed_case, date=_days(6))
    MilestoneFactory(case=personas.placed_case, due_date=_days(1), owner_role=OwnerRole.MENTOR)

    mine = reminders_collect(user=personas.mentor, today=TODAY)
    theirs = reminders_collect(user=personas.other_mentor, today=TODAY)

    assert _lines(mine.upcoming) == [
        (personas.placed_case.code, "milestone", _days(1)),
        (personas.placed_case.code, "filing deadline", _days(6)),
    ]
    assert theirs.is_empty


def test_reminders_collect_skips_cases_not_placed(personas):
    personas.ready_case.attorney_of_record = personas.attorney
    personas.ready_case.save()
    CaseDeadlineFactory(case=personas.ready_case, date=_days(3))
    MilestoneFactory(case=personas.ready_case, due_date=_days(-3))

    assert reminders_collect(user=personas.attorney, today=TODAY).is_empty


def test_reminders_collect_coordinator_sees_own_milestones_only(personas):
    case = personas.placed_case
    MilestoneFactory(case=case, due_date=_days(4), owner_role=OwnerRole.COORDINATOR)
    MilestoneFactory(case=case, due_date=_days(-1), owner_role=OwnerRole.COORDINATOR)
    MilestoneFactory(case=case, due_date=_days(2), owner_role=OwnerRole.ATTORNEY)
    CaseDeadlineFactory(case=case, date=_days(3))

    reminders = reminders_collect(user=personas.coordinator, today=TODAY)

    assert _lines(reminders.upcoming) == [(case.code, "milestone", _days(4))]
    assert _lines(reminders.overdue) == [(case.code, "milestone", _days(-1))]
    assert reminders_collect(user=personas.program_admin, today=TODAY).is_empty
    assert reminders_collect(user=personas.partner, today=TODAY).is_empty


def test_reminders_escalate_open_legal_milestone_within_7_days(personas):
    case = personas.placed_case
    CaseDeadlineFactory(case=case, date=_days(5))
    MilestoneFactory(case=case, anchor=Anchor.PREHEARING_FILING_SAFE_TARGET, due_date=_days(1))

    reminders = reminders_collect(user=personas.coordinator, today=TODAY)
    assert _lines(reminders.escalations) == [(case.code, "filing deadline", _days(5))]

    assert reminders_send_daily(today=TODAY) == 3  # attorney, mentor and the coordinator
    (message,) = _messages_to(personas.coordinator)
    assert message.subject == f"{case.code}: filing deadline in 5 days"
    assert "Needs a coordinator" in message.body
    assert f"- {case.code}: filing deadline, " in message.body
    assert f"{settings.AMPARO_SITE_URL}/cases/{case.code}/" in message.body


def test_reminders_escalate_overdue_legal_milestone(personas):
    CaseDeadlineFactory(case=personas.placed_case, rule="USCIS_RESPONSE", date=_days(7))
    MilestoneFactory(
        case=personas.placed_case, anchor=Anchor.USCIS_RESPONSE_DUE, due_date=_days(-2)
    )

    reminders = reminders_collect(user=personas.coordinator, today=TODAY)

    assert _lines(reminders.escalations) == [
        (personas.placed_case.code, "response deadline", _days(7))
    ]


@pytest.mark.parametrize(
    ("anchor", "milestone_due", "deadline_date", "status"),
    [
        (Anchor.PREHEARING_FILING_SAFE_TARGET, 1, 5, Milestone.Status.DONE),  # done
        (Anchor.PREHEARING_FILING_SAFE_TARGET, 1, 8, Milestone.Status.TO_DO),  # 8 days away
        (Anchor.PREHEARING_FILING_SAFE_TARGET, 6, 5, Milestone.Status.TO_DO),  # due after it
        (Anchor.PLACEMENT, 1, 5, Milestone.Status.TO_DO),  # not a legal deadline
    ],
)
def test_reminders_no_escalation(personas, anchor, milestone_due, deadline_date, status):
    CaseDeadlineFactory(case=personas.placed_case, date=_days(deadline_date))
    MilestoneFactory(
        case=personas.placed_case, anchor=anchor, due_date=_days(milestone_due), status=status
    )

    assert reminders_collect(user=personas.coordinator, today=TODAY).is_empty
    reminders_send_daily(today=TODAY)
    assert _messages_to(personas.coordinator) == []


def test_reminders_send_daily_attorney_message(personas):
    case = personas.placed_case
    CaseDeadlineFactory(case=case, date=_days(5))
    MilestoneFactory(case=case, due_date=_days(-2))
    CustomDeadlineFactory(case=case, date=TODAY)

    reminders_send_daily(today=TODAY)

    (message,) = _messages_to(personas.attorney)
    # The most overdue item leads; the rest are counted.
    assert message.subject == f"{case.code}: milestone overdue by 2 days (and 2 more)"
    overdue, upcoming = message.body.split("Overdue:")[1].split("Due in the next 14 days:")
    assert f"- {case.code}: milestone, " in overdue and "(2 days overdue)" in overdue
    assert f"- {case.code}: deadline, " in upcoming and "(today)" in upcoming
    assert f"- {case.code}: filing deadline, " in upcoming and "(in 5 days)" in upcoming
    assert "Needs a coordinator" not in message.body


def test_reminders_send_daily_single_item_subject(personas):
    CaseDeadlineFactory(case=personas.placed_case, date=_days(1))
    reminders_send_daily(today=TODAY)
    (message,) = _messages_to(personas.attorney)
    assert message.subject == f"{personas.placed_case.code}: filing deadline in 1 day"


def test_reminders_send_daily_in_the_recipients_language(personas):
    personas.attorney.language = "es"
    personas.attorney.save()
    case = personas.placed_case
    CaseDeadlineFactory(case=case, date=_days(5))
    MilestoneFactory(case=case, due_date=_days(-1))

    reminders_send_daily(today=TODAY)

    (message,) = _messages_to(personas.attorney)
    assert message.subject == f"{case.code}: etapa clave, vencido/a hace 1 día (y 1 más)"
    assert "Vencido/a:" in message.body
    assert "Vence en los próximos 14 días:" in message.body
    assert f"- {case.code}: fecha límite de presentación, " in message.body
    assert "(en 5 días)" in message.body
    # Others keep their own language.
    (english,) = _messages_to(personas.mentor)
    assert "Due in the next 14 days:" in english.body


def test_reminders_never_name_the_client_or_the_relief(personas):
    for person, name in ((personas.attorney, "Ana Ruiz"), (personas.mentor, "Luis Paz")):
        person.full_name = name
        person.save()
    personas.coordinator.full_name = "Eva Solis"
    personas.coordinator.save()
    client = ClientFactory(given_names="Marisol", family_names="Etxeberria Quispe")
    u_visa = CaseFactory(
        stage=Stage.PLACED,
        case_type=CaseType.U_VISA,
        client=client,
        attorney_of_record=personas.attorney,
        mentor=personas.mentor,
    )
    for rule in ("ASYLUM_ONE_YEAR", "UVISA_SUPB_6_MONTHS", "ASYLUM_EAD_FILE_150", "SIJ_UNDER_21"):
        CaseDeadlineFactory(case=personas.placed_case, rule=rule, date=_days(3))
        CaseDeadlineFactory(case=u_visa, rule=rule, date=_days(3))
    CustomDeadlineFactory(case=u_visa, title="Marisol's asylum and U visa packet", date=_days(-1))
    MilestoneFactory(
        case=u_visa,
        title_en="File the U visa petition for Marisol Etxeberria",
        title_es="Presentar la petición de visa U",
        anchor=Anchor.SUPPLEMENT_B_LAST_SAFE_RECEIPT,
        due_date=_days(1),
        owner_role=OwnerRole.COORDINATOR,
    )

    assert reminders_send_daily(today=TODAY) == 3
    for message in mail.outbox:
        for text in (message.subject, message.body):
            lowered = text.lower()
            for forbidden in ("asylum", "visa", "marisol", "etxeberria", "i-918", "sij"):
                assert forbidden not in lowered
            assert personas.placed_case.client.family_names.lower() not in lowered
    assert u_visa.code in _messages_to(personas.attorney)[0].body


def test_reminders_send_nothing_when_nothing_is_due(personas):
    CaseDeadlineFactory(case=personas.placed_case, date=_days(20))
    MilestoneFactory(case=personas.placed_case, due_date=_days(-5), status=Milestone.Status.DONE)

    assert reminders_send_daily(today=TODAY) == 0
    assert mail.outbox == []


def test_reminders_skip_inactive_users(personas):
    personas.attorney.is_active = False
    personas.attorney.save()
    CaseDeadlineFactory(case=personas.placed_case, date=_days(2))

    assert reminders_send_daily(today=TODAY) == 1
    assert mail.outbox[0].to == [personas.mentor.email]


@pytest.mark.parametrize("attorneys", [2, 12])
def test_reminders_send_daily_query_count_bounded(
    personas, attorneys, django_assert_max_num_queries
):
    coordinator = UserFactory(role=Role.COORDINATOR)
    for _ in range(attorneys):
        attorney = AttorneyProfileFactory().user
        mentor = UserFactory(role=Role.MENTOR)
        case = CaseFactory(stage=Stage.PLACED, attorney_of_record=attorney, mentor=mentor)
        CaseDeadlineFactory(case=case, date=_days(3))
        CustomDeadlineFactory(case=case, date=_days(-2))
        MilestoneFactory(case=case, due_date=_days(-1), owner_role=OwnerRole.COORDINATOR)
        MilestoneFactory(case=case, anchor=Anchor.ONE_YEAR_DEADLINE, due_date=_days(2))

    # One query each for the people, the deadlines and the milestones.
    with django_assert_max_num_queries(3):
        sent = reminders_send_daily(today=TODAY)

    assert sent == 2 * attorneys + 2  # each attorney and mentor, and both coordinators
    assert len(_messages_to(coordinator)) == 1


def test_reminders_send_daily_defaults_to_the_programs_today(personas):
    CaseDeadlineFactory(case=personas.placed_case, date=dt.date(2026, 11, 30))
    # 14:30 UTC is 06:30 in Los Angeles: still Monday 23 November there.
    with time_machine.travel(dt.datetime(2026, 11, 23, 14, 30, tzinfo=dt.UTC), tick=False):
        assert reminders_send_daily() == 2
    assert _messages_to(personas.attorney)[0].subject.endswith("filing deadline in 7 days")


def test_reminders_task_is_scheduled_daily_after_the_digest():
    hour = int(settings.AMPARO_DIGEST_HOUR_UTC)
    task = send_daily_reminders.task_class()
    assert task.validate_datetime(dt.datetime(2026, 11, 23, hour, 30))
    assert not task.validate_datetime(dt.datetime(2026, 11, 23, hour, 0))
    assert not task.validate_datetime(dt.datetime(2026, 11, 23, (hour + 1) % 24, 30))


def test_reminders_task_runs_the_service(personas):
    CaseDeadlineFactory(case=personas.placed_case, date=timezone.localdate())
    assert send_daily_reminders.call_local() == 2
    assert {m.to[0] for m in mail.outbox} == {personas.attorney.email, personas.mentor.email}
