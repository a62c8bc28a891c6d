"""Intake (coordinators and partner staff record a case) and screening (coordinators decide)."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
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
    CaseChangedError,
    case_facts_changes,
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
    initial["version"] = case.version
    return initial


def _fact_display(field: forms.Field, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(field, forms.MultipleChoiceField):
        choices: Any = field.choices
        labels = {str(key): str(label) for key, label in choices}
        return ", ".join(labels.get(str(item), str(item)) for item in value)
    if isinstance(value, datetime.date):
        return date_format(value)
    return str(value)


def _case_edit_stale(
    request: AuthenticatedRequest,
    case: Case,
    client_data: dict[str, Any],
    case_data: dict[str, Any],
    family: Any,
    adverse: Any,
) -> HttpResponse:
    """Someone else saved the case since this form was read: show the current facts in the form
    (saving again must not undo their correction) and, beside them, what this user entered, so
    nothing typed is lost. The people being added stay in their forms."""
    current = Case.objects.select_related("client").get(pk=case.pk)
    initial = _case_edit_initial(current)
    form = CaseEditForm(initial=initial, case_type=current.case_type)
    changes = case_facts_changes(case=current, client_data=client_data, case_data=case_data)
    unsaved = [
        {
            "label": form.fields[name].label,
            "yours": _fact_display(form.fields[name], value),
            "current": _fact_display(form.fields[name], initial[name]),
        }
        for name, value in changes.items()
    ]
    context = {
        "case": current,
        "form": form,
        "family": family,
        "adverse": adverse,
        "stale": True,
        "unsaved": unsaved,
        "people_pending": family.has_changed() or adverse.has_changed(),
    }
    return render(request, "intake/case_edit.html", context, status=409)


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
    client_data = {field: data[field] for field in CLIENT_EDITABLE}
    case_data = {field: data[field] for field in CASE_EDITABLE}
    try:
        changed = intake_case_update(
            case=case,
            actor=request.user,
            client_data=client_data,
            case_data=case_data,
            family=[f.cleaned_data for f in family if f.cleaned_data],
            adverse_parties=[f.cleaned_data for f in adverse if f.cleaned_data],
            expected_version=data["version"],
        )
    except CaseChangedError:
        return _case_edit_stale(request, case, client_data, case_data, family, adverse)
    if changed:
        messages.success(
            request, _("Changes saved. Deadlines and the conflict check are up to date.")
        )
    else:
        messages.info(request, _("Nothing changed."))
    return redirect("cases:detail", code=case.code)
