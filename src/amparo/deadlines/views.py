"""The case's deadlines and plan: computed dates with their rule, judge-set and custom dates,
flags for attorney review, and the milestones of the case plan."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from amparo.cases.models import Case
from amparo.core.http import AuthenticatedRequest
from amparo.core.policy import authorize, can
from amparo.deadlines import services
from amparo.deadlines.forms import (
    CustomDeadlineForm,
    DeadlineDoneForm,
    JudgeDeadlineForm,
    MilestoneStatusForm,
)
from amparo.deadlines.models import Milestone
from amparo.deadlines.selectors import (
    case_deadline_list,
    case_flag_list,
    case_get_for_deadlines,
    case_hearings_for_engine,
    case_milestone_list,
)
from amparo.library.selectors import strategy_notes_for_case

TEMPLATE = "deadlines/case_deadlines.html"


def _context(request: AuthenticatedRequest, case: Case, **forms: Any) -> dict[str, Any]:
    return {
        "case": case,
        "deadlines": list(case_deadline_list(case=case)),
        "flags": list(case_flag_list(case=case)),
        "milestones": list(case_milestone_list(case=case)),
        "hearings": case_hearings_for_engine(case=case),
        "can_change": can(request.user, "cases.change_case", case),
        "status_choices": Milestone.Status.choices,
        "custom_form": forms.get("custom_form") or CustomDeadlineForm(),
        "judge_form_errors": forms.get("judge_form_errors"),
        "strategy_notes": strategy_notes_for_case(case=case, viewer=request.user),
    }


@login_required
def case_deadlines(request: AuthenticatedRequest, code: str) -> HttpResponse:
    case = case_get_for_deadlines(viewer=request.user, code=code)
    if request.method == "GET":
        return render(request, TEMPLATE, _context(request, case))
    authorize(request.user, "cases.change_case", case)
    action = request.POST.get("action", "")
    handler = _ACTIONS.get(action)
    if handler is None:
        return render(request, "deadlines/bad_request.html", status=400)
    return handler(request, case)


def _add_deadline(request: AuthenticatedRequest, case: Case) -> HttpResponse:
    form = CustomDeadlineForm(request.POST)
    if not form.is_valid():
        return render(request, TEMPLATE, _context(request, case, custom_form=form), status=422)
    services.deadline_add_custom(
        case=case,
        actor=request.user,
        title=form.cleaned_data["title"],
        date=form.cleaned_data["date"],
    )
    messages.success(request, _("Deadline added."))
    return redirect("deadlines:case_deadlines", code=case.code)


def _judge_deadline(request: AuthenticatedRequest, case: Case) -> HttpResponse:
    form = JudgeDeadlineForm(request.POST)
    hearing = None
    if form.is_valid():
        hearing = case.hearings.filter(pk=form.cleaned_data["hearing"]).first()
    if hearing is None:
        return render(
            request,
            TEMPLATE,
            _context(
                request,
                case,
                judge_form_errors=[_("Choose a hearing of this case and a valid date.")],
            ),
            status=422,
        )
    try:
        services.hearing_record_ij_deadline(
            hearing=hearing, actor=request.user, deadline=form.cleaned_data["deadline"]
        )
    except ValidationError as error:
        return render(
            request, TEMPLATE, _context(request, case, judge_form_errors=error.messages), status=422
        )
    messages.success(request, _("The judge's filing deadline is recorded; it now controls."))
    return redirect("deadlines:case_deadlines", code=case.code)


def _milestone_status(request: AuthenticatedRequest, case: Case) -> HttpResponse:
    form = MilestoneStatusForm(request.POST)
    milestone = None
    if form.is_valid():
        milestone = case.milestones.filter(pk=form.cleaned_data["milestone"]).first()
    if milestone is None:
        if not form.is_valid():
            return render(request, "deadlines/bad_request.html", status=422)
        raise Http404
    services.milestone_set_status(
        milestone=milestone, actor=request.user, status=form.cleaned_data["status"]
    )
    if request.htmx:
        context = _context(request, case)
        context["milestone"] = next(m for m in context["milestones"] if m.pk == milestone.pk)
        return render(request, TEMPLATE + "#milestone-row", context)
    messages.success(request, _("Milestone updated."))
    return redirect("deadlines:case_deadlines", code=case.code)


def _deadline_done(request: AuthenticatedRequest, case: Case) -> HttpResponse:
    form = DeadlineDoneForm(request.POST)
    deadline = (
        case.deadlines.filter(pk=form.cleaned_data["deadline"]).first() if form.is_valid() else None
    )
    if deadline is None:
        raise Http404
    try:
        services.deadline_set_done(
            deadline=deadline, actor=request.user, done=form.cleaned_data["done"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("deadlines:case_deadlines", code=case.code)


_ACTIONS = {
    "add_deadline": _add_deadline,
    "judge_deadline": _judge_deadline,
    "milestone_status": _milestone_status,
    "deadline_done": _deadline_done,
}
