"""Volunteer network pages: the public sign-up, the coordinators' verification queue and
decisions, and the attorney's own profile."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.forms import MultipleChoiceField
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from amparo.core.http import AuthenticatedRequest
from amparo.core.policy import authorize, can
from amparo.people import services
from amparo.people.forms import (
    BAR_ADMISSION_MAX_ROWS,
    AttorneyProfileForm,
    BarAdmissionFormSet,
    BaseBarAdmissionFormSet,
    DecisionForm,
    SuspendForm,
    VolunteerSignupForm,
    bar_admission_formset_class,
)
from amparo.people.models import AttorneyProfile, BarAdmission
from amparo.people.selectors import (
    attorney_list_pending_verification,
    attorney_profile_for_user,
    attorney_profile_get_for_user,
)

JOIN_TEMPLATE = "people/join.html"
ADMISSIONS_PREFIX = "admissions"
# At most this many sign-up submissions per address and window (spam; PRODUCT.md point 1).
JOIN_RATE_LIMIT = 5
JOIN_RATE_WINDOW_SECONDS = 60 * 60


def _join_rate_limited(request: HttpRequest) -> bool:
    """Count this submission against the address; True once it is over the limit."""
    key = "people:join:{}".format(request.META.get("REMOTE_ADDR") or "unknown")
    cache.add(key, 0, timeout=JOIN_RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=JOIN_RATE_WINDOW_SECONDS)
        count = 1
    return count > JOIN_RATE_LIMIT


def _join_context(
    form: VolunteerSignupForm,
    formset: BaseBarAdmissionFormSet,
    service_errors: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    service_errors = service_errors or {}
    admission_errors = [*formset.non_form_errors(), *service_errors.get("admissions", [])]
    general_errors = service_errors.get("__all__", [])
    return {
        "form": form,
        "formset": formset,
        "can_add_row": formset.total_form_count() < BAR_ADMISSION_MAX_ROWS,
        "admission_errors": admission_errors,
        "general_errors": general_errors,
        "has_errors": form.is_bound
        and bool(form.errors or any(formset.errors) or admission_errors or general_errors),
    }


def _join_with_another_row(data: QueryDict) -> tuple[VolunteerSignupForm, BaseBarAdmissionFormSet]:
    """The form as typed, unbound (no errors yet), with one more blank bar admission row."""
    initial: dict[str, Any] = {}
    for name, field in VolunteerSignupForm.base_fields.items():
        if name == "website":
            continue
        initial[name] = (
            data.getlist(name) if isinstance(field, MultipleChoiceField) else data.get(name)
        )
    try:
        rows = min(int(data.get(f"{ADMISSIONS_PREFIX}-TOTAL_FORMS", "0")), BAR_ADMISSION_MAX_ROWS)
    except ValueError:
        rows = 0
    admissions = [
        {
            name: data.get(f"{ADMISSIONS_PREFIX}-{index}-{name}", "")
            for name in ("state", "bar_number", "year_admitted")
        }
        for index in range(rows)
    ]
    formset_class = bar_admission_formset_class(extra=min(rows + 1, BAR_ADMISSION_MAX_ROWS))
    return VolunteerSignupForm(initial=initial), formset_class(
        initial=admissions, prefix=ADMISSIONS_PREFIX
    )


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """The public "become a pro bono partner" form (no sign-in)."""
    if request.method == "GET":
        context = _join_context(
            VolunteerSignupForm(), BarAdmissionFormSet(prefix=ADMISSIONS_PREFIX)
        )
        return render(request, JOIN_TEMPLATE, context)
    if "add_admission" in request.POST:
        return render(request, JOIN_TEMPLATE, _join_context(*_join_with_another_row(request.POST)))
    if _join_rate_limited(request):
        return render(request, "people/join_rate_limited.html", status=429)
    form = VolunteerSignupForm(request.POST)
    if form.is_spam:
        return redirect("people:join_thanks")  # pretend success; save nothing
    formset = BarAdmissionFormSet(request.POST, prefix=ADMISSIONS_PREFIX)
    service_errors: dict[str, list[str]] = {}
    if form.is_valid() & formset.is_valid():  # both, so every error shows at once
        data = form.cleaned_data
        try:
            services.attorney_signup(
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                admissions=formset.admissions(),
                firm_name=data["firm_name"],
                languages=data["languages"],
                experience=data["experience"],
                interests=data["interests"],
                capacity=data["capacity"],
                malpractice_coverage=data["malpractice_coverage"],
                declared_conflicts=data["declared_conflicts"],
                consent=data["consent"],
                language=translation.get_language() or "en",
            )
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                if field in form.fields:
                    form.add_error(field, field_errors)
                else:
                    service_errors.setdefault(
                        "admissions" if field == "admissions" else "__all__", []
                    ).extend(field_errors)
        else:
            return redirect("people:join_thanks")
    return render(request, JOIN_TEMPLATE, _join_context(form, formset, service_errors), status=422)


@require_GET
def join_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "people/join_thanks.html")


@login_required
@require_GET
def verification_queue(request: AuthenticatedRequest) -> HttpResponse:
    authorize(request.user, "people.verify_attorney")
    profiles = list(attorney_list_pending_verification())
    return render(request, "people/verification_queue.html", {"profiles": profiles})


def _detail_context(
    request: AuthenticatedRequest,
    profile: AttorneyProfile,
    admissions: list[BarAdmission],
    *,
    decision_form: DecisionForm | None = None,
    suspend_form: SuspendForm | None = None,
) -> dict[str, Any]:
    can_decide = profile.verification_status in (
        AttorneyProfile.Verification.PENDING,
        AttorneyProfile.Verification.SUSPENDED,
    ) and can(request.user, "people.verify_attorney", profile)
    can_suspend = profile.is_verified and can(request.user, "people.suspend_attorney", profile)
    return {
        "profile": profile,
        "admissions": admissions,
        "can_decide": can_decide,
        "can_decline": can_decide
        and profile.verification_status == AttorneyProfile.Verification.PENDING,
        "can_suspend": can_suspend,
        "decision_form": decision_form or DecisionForm(admissions=admissions),
        "suspend_form": suspend_form or SuspendForm(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def attorney_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    profile = attorney_profile_get_for_user(user=request.user, pk=pk)
    admissions = list(profile.bar_admissions.all())
    template = "people/attorney_detail.html"
    if request.method == "GET":
        return render(request, template, _detail_context(request, profile, admissions))
    context = _detail_context(request, profile, admissions)
    action = request.POST.get("action")
    if action == "decide" and context["can_decide"]:
        return _decide(request, profile, admissions, template)
    if action == "suspend" and context["can_suspend"]:
        return _suspend(request, profile, admissions, template)
    raise Http404


def _decide(
    request: AuthenticatedRequest,
    profile: AttorneyProfile,
    admissions: list[BarAdmission],
    template: str,
) -> HttpResponse:
    form = DecisionForm(request.POST, admissions=admissions)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "approve":
                services.attorney_verify(
                    profile=profile,
                    actor=request.user,
                    method=data["method"],
                    note=data["note"],
                    admissions_in_good_standing=form.admissions_in_good_standing(),
                    request=request,
                )
                messages.success(
                    request,
                    _("%(name)s is verified and receives an e-mail to set a password.")
                    % {"name": profile.user.full_name},
                )
            else:
                services.attorney_decline(
                    profile=profile, actor=request.user, reason=data["reason"], request=request
                )
                messages.success(
                    request,
                    _("%(name)s is declined and receives the reason by e-mail.")
                    % {"name": profile.user.full_name},
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("people:verification_queue")
    context = _detail_context(request, profile, admissions, decision_form=form)
    return render(request, template, context, status=422)


def _suspend(
    request: AuthenticatedRequest,
    profile: AttorneyProfile,
    admissions: list[BarAdmission],
    template: str,
) -> HttpResponse:
    form = SuspendForm(request.POST)
    if form.is_valid():
        try:
            services.attorney_suspend(
                profile=profile,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s is suspended and receives the reason by e-mail.")
                % {"name": profile.user.full_name},
            )
            return redirect("people:attorney_detail", pk=profile.pk)
    context = _detail_context(request, profile, admissions, suspend_form=form)
    return render(request, template, context, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def my_profile(request: AuthenticatedRequest) -> HttpResponse:
    """The attorney's own status and what they keep up to date (not their bar admissions)."""
    profile = attorney_profile_for_user(user=request.user)
    if profile is None:
        raise Http404
    authorize(request.user, "people.change_attorney_profile", profile)
    if request.method == "POST":
        form = AttorneyProfileForm(request.POST)
        if form.is_valid():
            try:
                services.attorney_profile_update(
                    profile=profile, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect("people:my_profile")
        status = 422
    else:
        form = AttorneyProfileForm(initial=AttorneyProfileForm.initial_for(profile))
        status = 200
    context = {
        "profile": profile,
        "admissions": list(profile.bar_admissions.all()),
        "form": form,
    }
    return render(request, "people/my_profile.html", context, status=status)
