"""Demo data for the case workspace: a communication log and pro bono hours on the demo
attorney's placed cases (one of them left without an in-person meeting, so the warning can be
seen when its individual hearing is near), and a status-update request half answered. Called
once by `manage.py demo_data`; everything here is fictional and goes through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from amparo.cases.models import Case, Stage
from amparo.workspace.models import StatusRequestRecipient
from amparo.workspace.services import (
    client_contact_log,
    hours_log,
    status_request_answer,
    status_request_send,
)

# (days ago, channel, direction, interpreter, note)
_CONTACTS = [
    (21, "in_person", "to_client", True, "First meeting at the office; engagement letter signed."),
    (14, "whatsapp", "from_client", False, "Sent photos of the police report and the threats."),
    (6, "phone", "to_client", True, "Went through the timeline for the declaration."),
]
# (days ago, activity, hours)
_HOURS = [
    (20, "client_meeting", "2"),
    (18, "research", "3.5"),
    (12, "drafting", "4"),
    (5, "evidence", "1.5"),
    (2, "mentoring", "1"),
]


def workspace_demo_seed(*, coordinator: Any, attorney: Any, attorney2: Any) -> None:
    today = timezone.localdate()
    cases = list(
        Case.objects.filter(attorney_of_record=attorney, stage=Stage.PLACED).order_by("code")
    )
    for index, case in enumerate(cases):
        language = (case.languages or ["es"])[0]
        # The last case has only remote contacts: no in-person meeting logged yet.
        contacts = _CONTACTS if index < len(cases) - 1 else _CONTACTS[1:]
        for days, channel, direction, interpreter, note in contacts:
            client_contact_log(
                case=case,
                actor=attorney,
                contacted_on=today - dt.timedelta(days=days + index),
                channel=channel,
                direction=direction,
                language=language,
                with_interpreter=interpreter,
                note=note,
            )
        for days, activity, hours in _HOURS:
            hours_log(
                case=case,
                attorney=attorney,
                worked_on=today - dt.timedelta(days=days + index),
                activity=activity,
                hours=Decimal(hours),
            )
    request = status_request_send(
        actor=coordinator,
        attorneys=[attorney, attorney2],
        message=(
            "Quarterly check-in: where is each of your cases, and is anything blocking you? "
            "Please name cases by their code."
        ),
        answer_by=today + dt.timedelta(days=7),
    )
    answered = StatusRequestRecipient.objects.get(status_request=request, attorney=attorney)
    status_request_answer(
        recipient=answered,
        answer="All cases on track; one declaration is with the interpreter this week.",
    )
