from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from amparo.accounts.attention import attention_items_for_user, next_step_for_user
from amparo.accounts.mfa import two_factor_required
from amparo.accounts.models import Role
from amparo.accounts.services import user_set_language
from amparo.cases.selectors import case_list_for_user, case_list_urgent_unplaced, case_stage_counts
from amparo.core.http import AuthenticatedRequest
from amparo.deadlines.selectors import (
    deadline_list_upcoming_for_user,
    milestone_list_open_for_user,
)
from amparo.people.selectors import (
    attorney_list_pending_verification,
    attorney_profile_for_user,
    mentor_list_with_load,
    mentor_profile_for_user,
)
from amparo.trainings.selectors import gate_progress_for_user

DASHBOARD_CASE_LIMIT = 20


@login_required
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    context: dict[str, object] = {
        "role": user.role,
        "attention": attention_items_for_user(user=user),
        "next_step": next_step_for_user(user=user),
    }
    cases = case_list_for_user(viewer=user)
    if user.role in (Role.COORDINATOR, Role.PROGRAM_ADMIN):
        context["stage_counts"] = case_stage_counts(viewer=user)
        context["urgent_cases"] = case_list_urgent_unplaced(viewer=user, limit=DASHBOARD_CASE_LIMIT)
        if user.role == Role.COORDINATOR:
            context["pending_attorneys"] = list(
                attorney_list_pending_verification()[:DASHBOARD_CASE_LIMIT]
            )
        else:
            context["mentors"] = list(mentor_list_with_load())
    elif user.role in (Role.ATTORNEY, Role.MENTOR):
        if user.role == Role.ATTORNEY:
            context["profile"] = attorney_profile_for_user(user=user)
            context["training_gates"] = gate_progress_for_user(user=user)
        else:
            context["mentor_profile"] = mentor_profile_for_user(user=user)
        context["cases"] = list(cases.exclude(stage="closed")[:DASHBOARD_CASE_LIMIT])
        today = timezone.localdate()
        context["upcoming_deadlines"] = list(
            deadline_list_upcoming_for_user(user=user, today=today)[:DASHBOARD_CASE_LIMIT]
        )
        context["open_milestones"] = list(
            milestone_list_open_for_user(user=user, today=today)[:DASHBOARD_CASE_LIMIT]
        )
    elif user.role == Role.PARTNER:
        context["stage_counts"] = case_stage_counts(viewer=user)
        context["cases"] = list(cases[:DASHBOARD_CASE_LIMIT])
    return render(request, "accounts/dashboard.html", context)


def two_factor_required_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/two_factor_required.html",
        {"required": two_factor_required(request.user)},
    )


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Django's set_language (cookie), and the user's saved preference when signed in."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in ("en", "es"):
        user_set_language(user=request.user, language=language)
    return response
