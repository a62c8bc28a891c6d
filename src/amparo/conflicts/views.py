"""The coordinator's conflict-check page of a case: the hits with both names, score and reason,
a button to run the check again, and a form per open hit to clear or confirm it with a note."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from amparo.cases.models import Case
from amparo.conflicts.forms import ConflictResolveForm
from amparo.conflicts.models import ConflictHit
from amparo.conflicts.selectors import (
    HitRow,
    case_get_for_conflicts,
    conflict_hit_rows_for_case,
)
from amparo.conflicts.services import (
    conflict_check_case,
    conflict_hit_resolve,
    conflict_hits_record_view,
)
from amparo.core.http import AuthenticatedRequest
from amparo.core.policy import authorize, can

TEMPLATE = "conflicts/case_conflicts.html"


def _context(
    request: AuthenticatedRequest,
    case: Case,
    *,
    failed_hit_id: int | None = None,
    failed_form: ConflictResolveForm | None = None,
) -> dict[str, Any]:
    rows = conflict_hit_rows_for_case(case=case)
    return {
        "case": case,
        "rows": rows,
        "open_count": sum(row.hit.is_open for row in rows),
        "can_resolve": can(request.user, "conflicts.resolve_hit", case),
        "can_run": can(request.user, "conflicts.run_check", case),
        "failed_hit_id": failed_hit_id,
        "failed_form": failed_form,
    }


@login_required
@require_http_methods(["GET", "POST"])
def case_conflicts(request: AuthenticatedRequest, code: str) -> HttpResponse:
    case = case_get_for_conflicts(viewer=request.user, code=code)
    if request.method == "GET":
        conflict_hits_record_view(case=case, viewer=request.user, request=request)
        return render(request, TEMPLATE, _context(request, case))
    action = request.POST.get("action", "")
    if action == "run":
        authorize(request.user, "conflicts.run_check", case)
        hits = conflict_check_case(case=case, actor=request.user)
        messages.success(
            request,
            ngettext(
                "Conflict check run: %(count)s possible match found.",
                "Conflict check run: %(count)s possible matches found.",
                len(hits),
            )
            % {"count": len(hits)},
        )
        return redirect("conflicts:case_conflicts", code=case.code)
    if action == "resolve":
        authorize(request.user, "conflicts.resolve_hit", case)
        return _resolve(request, case)
    return render(request, "conflicts/bad_request.html", status=400)


def _resolve(request: AuthenticatedRequest, case: Case) -> HttpResponse:
    form = ConflictResolveForm(request.POST)
    try:
        hit_id = int(request.POST.get("hit", ""))
    except ValueError as exc:
        raise Http404 from exc
    hit = ConflictHit.objects.filter(case=case, pk=hit_id).first()
    if hit is None:
        raise Http404
    if form.is_valid():
        try:
            conflict_hit_resolve(
                hit=hit,
                actor=request.user,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
    # Every answer below but the redirect shows the hits' names again: a read of the files.
    if not form.is_valid():
        conflict_hits_record_view(case=case, viewer=request.user, request=request)
        context = _context(request, case, failed_hit_id=hit.pk, failed_form=form)
        if request.htmx:
            context["row"] = _row(context, hit.pk)
            return render(request, TEMPLATE + "#hit", context, status=422)
        return render(request, TEMPLATE, context, status=422)
    if request.htmx:
        conflict_hits_record_view(case=case, viewer=request.user, request=request)
        context = _context(request, case)
        context["row"] = _row(context, hit.pk)
        return render(request, TEMPLATE + "#hit", context)
    messages.success(request, _("The hit is resolved and the decision recorded."))
    return redirect("conflicts:case_conflicts", code=case.code)


def _row(context: dict[str, Any], hit_id: int) -> HitRow:
    rows: list[HitRow] = context["rows"]
    return next(row for row in rows if row.hit.pk == hit_id)
