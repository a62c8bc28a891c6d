"""The mentee's six steps, in the program's own words (seeds/001, "How It Works"):

1. the request; 2. the requirements checked; 3. the match with a mentor; 4. the agreement signed
and the intro video watched; 5. the first meeting (in person or video) to write the mentoring
plan; 6. the mentoring through the case.

Each step is done, current (the mentee can act now), waiting (on someone else), blocked (an
earlier step stands in the way) or later.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from amparo.mentoring.models import Mentorship
from amparo.mentoring.selectors import CaseMentoring

DONE, CURRENT, WAITING, BLOCKED, LATER = "done", "current", "waiting", "blocked", "later"
STATE_LABELS = {
    DONE: gettext_lazy("Done"),
    CURRENT: gettext_lazy("Your turn"),
    WAITING: gettext_lazy("In progress"),
    BLOCKED: gettext_lazy("Not yet possible"),
    LATER: gettext_lazy("Later"),
}


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    state: str
    detail: str

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def done(self) -> bool:
        return self.state == DONE


def _when(value: object) -> str:
    # English times end with "p.m.": sentences put them in parentheses, not before a period.
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")  # type: ignore[arg-type]


def mentee_checklist(state: CaseMentoring) -> list[Step]:
    request = state.request
    mentorship = state.mentorship
    status = mentorship.status if mentorship else None
    matched = status in (Mentorship.Status.ACTIVE, Mentorship.Status.CLOSED)
    steps: list[Step] = []

    # 1. The request.
    if request is not None or matched:
        steps.append(
            Step(
                1,
                _("Ask for a mentor"),
                DONE,
                _("Requested on %(date)s.")
                % {"date": formats.date_format(timezone.localdate(request.created_at))}
                if request
                else _("Requested."),
            )
        )
    else:
        steps.append(
            Step(
                1,
                _("Ask for a mentor"),
                CURRENT,
                _("Say what help you want and in which languages, with the form below."),
            )
        )

    # 2. The requirements.
    eligibility = state.eligibility
    if matched or (eligibility is not None and eligibility.ok):
        steps.append(
            Step(2, _("Requirements checked"), DONE, _("You meet the mentee requirements."))
        )
    elif eligibility is not None:
        missing = len(eligibility.missing)
        steps.append(
            Step(
                2,
                _("Requirements checked"),
                CURRENT,
                ngettext(
                    "%(n)d requirement not met yet: see below how to meet it.",
                    "%(n)d requirements not met yet: see below how to meet them.",
                    missing,
                )
                % {"n": missing},
            )
        )
    else:
        steps.append(
            Step(
                2,
                _("Requirements checked"),
                LATER,
                _("Checked automatically when you ask for a mentor."),
            )
        )

    # 3. The match.
    if matched and mentorship is not None:
        steps.append(
            Step(
                3,
                _("Matched with a mentor"),
                DONE,
                _("Your mentor: %(name)s.") % {"name": mentorship.mentor.full_name},
            )
        )
    elif status == Mentorship.Status.INVITED:
        steps.append(
            Step(
                3,
                _("Matched with a mentor"),
                WAITING,
                _("A mentor has been invited; waiting for their answer."),
            )
        )
    elif eligibility is not None and eligibility.ok:
        steps.append(
            Step(
                3,
                _("Matched with a mentor"),
                WAITING,
                _("The program is choosing the mentor who fits your case best."),
            )
        )
    else:
        steps.append(
            Step(
                3,
                _("Matched with a mentor"),
                LATER,
                _("Once the requirements are met, the program matches an available mentor."),
            )
        )

    # 4. The agreement and the intro video.
    signed = state.signature is not None
    parts = [
        _("Agreement: signed (%(date)s).") % {"date": _when(state.signature.signed_at)}
        if state.signature is not None
        else _("Agreement: not signed yet."),
        _("Intro video and trainings before the first meeting: complete.")
        if state.gate_ok
        else _("Intro video and trainings before the first meeting: %(courses)s to complete.")
        % {"courses": ", ".join(f"“{m.course.title}”" for m in state.gate_missing)},
    ]
    if signed and state.gate_ok:
        steps.append(
            Step(4, _("Sign the agreement and watch the intro video"), DONE, " ".join(parts))
        )
    else:
        steps.append(
            Step(
                4,
                _("Sign the agreement and watch the intro video"),
                CURRENT if request is not None or matched else LATER,
                " ".join(parts),
            )
        )

    # 5. The first meeting.
    first = state.first_meeting
    if state.first_meeting_held:
        steps.append(
            Step(5, _("First meeting with your mentor"), DONE, _("Held: write the mentoring plan."))
        )
    elif first is not None:
        steps.append(
            Step(
                5,
                _("First meeting with your mentor"),
                WAITING,
                _("Booked (%(when)s).") % {"when": _when(first.starts_at)},
            )
        )
    elif status == Mentorship.Status.ACTIVE and not state.first_meeting_blockers:
        steps.append(
            Step(
                5,
                _("First meeting with your mentor"),
                CURRENT,
                _("Book it below: in person or by video, to write the mentoring plan."),
            )
        )
    elif status == Mentorship.Status.ACTIVE:
        steps.append(
            Step(
                5,
                _("First meeting with your mentor"),
                BLOCKED,
                " ".join(state.first_meeting_blockers),
            )
        )
    else:
        steps.append(
            Step(
                5,
                _("First meeting with your mentor"),
                LATER,
                _(
                    "Booked once your mentor has accepted, the agreement is signed and the intro "
                    "video watched."
                ),
            )
        )

    # 6. The mentoring through the case.
    if status == Mentorship.Status.CLOSED:
        steps.append(Step(6, _("Mentoring through the case"), DONE, _("The mentoring has ended.")))
    elif status == Mentorship.Status.ACTIVE and state.first_meeting_held:
        steps.append(
            Step(
                6,
                _("Mentoring through the case"),
                CURRENT,
                _(
                    "Your mentor stays with you until the case ends. Answer their e-mails within "
                    "2 business days and meet the deadlines you set together for drafts."
                ),
            )
        )
    else:
        steps.append(
            Step(
                6,
                _("Mentoring through the case"),
                LATER,
                _("After the first meeting, the mentoring continues until the case ends."),
            )
        )
    return steps
