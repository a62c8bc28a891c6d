"""Intake (coordinators and partner staff record a case) and screening (coordinators decide)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from amparo.cases.models import Case
from amparo.cases.services import case_file_record_view
from amparo.core.http import AuthenticatedRequest
from amparo.core.policy import authorize, get_for_user_or_404
from amparo.intake.forms import (
    AdverseFormSet,
    CaseEditForm,
    FamilyFormSet,
    IntakeCaseForm,
    ScreeningForm,
)
from amparo.intake.models import Screening
from amparo.intake.screening import checklist_for
from amparo.intake.services import (
    CASE_EDITABLE,
    CLIENT_EDITABLE,
    intake_case_record,
    intake_case_update,
    screening_decide,
    screening_identifiers,
)

CLIENT_FIELDS = (
    "given_names",
    "family_names",
    "a_number",
    "date_of_birth",
    "country_of_nationality",
    "languages",
    "phone",
    "address",
    "do_not_contact_at_home",
)
CASE_FIELDS = (
    "case_type",
    "court",
    "detained",
    "detention_facility",
    "is_unaccompanied_child",
    "last_arrival",
    "supplement_b_signed",
)


@login_required
def case_new(request: AuthenticatedRequest) -> HttpResponse:
    authorize(request.user, "cases.add_case")
    if request.method != "POST":
        context = {
            "form": IntakeCaseForm(),
            "family": FamilyFormSet(prefix="family"),
            "adverse": AdverseFormSet(prefix="adverse"),
        }
        return render(request, "intake/case_new.html", context)
    form = IntakeCaseForm(request.POST)
    family = FamilyFormSet(request.POST, prefix="family")
    adverse = AdverseFormSet(request.POST, prefix="adverse")
    if not (form.is_valid() and family.is_valid() and adverse.is_valid()):
        context = {"form": form, "family": family, "adverse": adverse}
        return render(request, "intake/case_new.html", context, status=422)
    data = form.cleaned_data
    hearing = None
    if data["hearing_kind"]:
        hearing = {"kind": data["hearing_kind"], "starts_at": data["hearing_at"]}
    case = intake_case_record(
        actor=request.user,
        client_data={field: data[field] for field in CLIENT_FIELDS},
        case_data={field: data[field] for field in CASE_FIELDS},
        family=[f.cleaned_data for f in family if f.cleaned_data],
        adverse_parties=[f.cleaned_data for f in adverse if f.cleaned_data],
        hearing=hearing,
    )
    messages.success(
        request, _("Case %(code)s recorded. The conflict check has run.") % {"code": case.code}
    )
    return redirect("cases:detail", code=case.code)


def _screening_form(case: Case, screening: Screening, data: Any = None) -> ScreeningForm:
    answers = json.loads(screening.answers) if screening.answers else {}
    initial: dict[str, Any] = {
        "decision": screening.decision,
        "reason": screening.reason,
        "merits_notes": screening.merits_notes,
        "summary_en": case.summary_en,
        "summary_es": case.summary_es,
        "on_public_urgent_page": case.on_public_urgent_page,
    }
    for key, value in answers.items():
        initial[f"answer_{key}"] = value.get("answer", "unknown")
        initial[f"note_{key}"] = value.get("note", "")
    return ScreeningForm(
        data,
        initial=initial,
        items=checklist_for(case.case_type),
        identifiers=screening_identifiers(case=case),
    )


@login_required
def case_screening(request: AuthenticatedRequest, code: str) -> HttpResponse:
    case = get_for_user_or_404(
        Case.objects.select_related("client"),
        user=request.user,
        permission="intake.screen_case",
        code=code,
    )
    screening, _created = Screening.objects.get_or_create(case=case)
    if request.method != "POST":
        form = _screening_form(case, screening)
        return render(request, "intake/case_screening.html", {"case": case, "form": form})
    form = _screening_form(case, screening, request.POST)
    if not form.is_valid():
        return render(
            request, "intake/case_screening.html", {"case": case, "form": form}, status=422
        )
    data = form.cleaned_data
    screening_decide(
        case=case,
        actor=request.user,
        answers=form.answers(),
        merits_notes=data["merits_notes"],
        decision=data["decision"],
        reason=data["reason"],
        summary_en=data["summary_en"],
        summary_es=data["summary_es"],
        on_public_urgent_page=data["on_public_urgent_page"],
    )
    messages.success(request, _("Screening saved."))
    return redirect("cases:detail", code=case.code)


def _case_edit_initial(case: Case) -> dict[str, Any]:
    client = case.client
    initial: dict[str, Any] = {field: getattr(client, field) for field in CLIENT_EDITABLE}
    initial.update({field: getattr(case, field) for field in CASE_EDITABLE})
    return initial


@login_required
def case_edit(request: AuthenticatedRequest, code: str) -> HttpResponse:
    case = get_for_user_or_404(
        Case.objects.select_related("client"),
        user=request.user,
        permission="cases.change_case",
        code=code,
    )
    # The form shows the client's identity: a read of the file, audited like the file page.
    case_file_record_view(case=case, viewer=request.user, request=request)
    if request.method != "POST":
        context = {
            "case": case,
            "form": CaseEditForm(initial=_case_edit_initial(case), case_type=case.case_type),
            "family": FamilyFormSet(prefix="family"),
            "adverse": AdverseFormSet(prefix="adverse"),
        }
        return render(request, "intake/case_edit.html", context)
    form = CaseEditForm(request.POST, case_type=case.case_type)
    family = FamilyFormSet(request.POST, prefix="family")
    adverse = AdverseFormSet(request.POST, prefix="adverse")
    if not (form.is_valid() and family.is_valid() and adverse.is_valid()):
        context = {"case": case, "form": form, "family": family, "adverse": adverse}
        return render(request, "intake/case_edit.html", context, status=422)
    data = form.cleaned_data
    changed = intake_case_update(
        case=case,
        actor=request.user,
        client_data={field: data[field] for field in CLIENT_EDITABLE},
        case_data={field: data[field] for field in CASE_EDITABLE},
        family=[f.cleaned_data for f in family if f.cleaned_data],
        adverse_parties=[f.cleaned_data for f in adverse if f.cleaned_data],
    )
    if changed:
        messages.success(
            request, _("Changes saved. Deadlines and the conflict check are up to date.")
        )
    else:
        messages.info(request, _("Nothing changed."))
    return redirect("cases:detail", code=case.code)
