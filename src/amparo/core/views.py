from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from amparo.core.audit import audit_record
from amparo.core.forms import AuditLogFilterForm
from amparo.core.http import AuthenticatedRequest
from amparo.core.models import AuditEvent
from amparo.core.policy import authorize
from amparo.core.selectors import AuditCursor, audit_event_list, audit_log_people_ids
from amparo.core.tools import program_tools_for_user


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "core/home.html")


@login_required
def program_tools(request: AuthenticatedRequest) -> HttpResponse:
    groups = program_tools_for_user(user=request.user)
    if not groups:
        raise Http404
    return render(request, "core/program_tools.html", {"groups": groups})


def _details(data: Any) -> str:
    """The event's details (ids and codes only) as one short line."""
    if not isinstance(data, dict):
        return str(data)
    return ", ".join(f"{key}: {value}" for key, value in sorted(data.items()))


def _filter_query(form: AuditLogFilterForm, **cursor: AuditCursor) -> str:
    """The page link's query: the filters as typed, and the keyset cursor, if any."""
    query = {name: form.data[name] for name in AuditLogFilterForm.FILTERS if form.data.get(name)}
    query.update({name: value.encode() for name, value in cursor.items()})
    return urlencode(query)


@login_required
@require_safe
def audit_log(request: AuthenticatedRequest) -> HttpResponse:
    """Program staff search the audit log (who read, downloaded or exported what, when and from
    where). The log cannot be changed here or anywhere else; each search is itself audited."""
    authorize(request.user, "core.view_audit_log")
    form = AuditLogFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "core/audit_log.html", {"form": form}, status=422)
    filters = form.filters()
    before, after = form.cleaned_data["before"], form.cleaned_data["after"]
    page = audit_event_list(filters=filters, before=before, after=after)
    searched: dict[str, Any] = {
        "filters": filters.for_audit(),
        "page": "older" if before else "newer" if after else "newest",
        "shown": len(page.events),
    }
    if filters.person:
        # Who was looked up, by id: the log keeps no e-mail addresses in its details.
        searched["person_ids"], truncated = audit_log_people_ids(person=filters.person)
        if truncated:
            searched["person_ids_truncated"] = True
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.AUDIT_LOG_SEARCHED,
        request=request,
        data=searched,
    )
    rows = [
        {
            "event": event,
            "case_code": event.data.get("case_code", "") if isinstance(event.data, dict) else "",
            "details": _details(event.data),
        }
        for event in page.events
    ]
    context = {
        "form": form,
        "rows": rows,
        "page": page,
        "newer_query": _filter_query(form, after=page.newer) if page.newer else "",
        "older_query": _filter_query(form, before=page.older) if page.older else "",
        "first_query": _filter_query(form),
    }
    return render(request, "core/audit_log.html", context)
