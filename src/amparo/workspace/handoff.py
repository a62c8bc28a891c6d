"""The hand-off packet: what the next attorney needs when the attorney of record withdraws
(issue 7, point 7) — the facts, hearings, deadlines with their rules, the plan, the documents
list and the communication log, as they stood when the withdrawal was approved.

It is a snapshot (codes and dates, no labels), stored encrypted because the communication log
and hearing notes tell the client's story; `handoff_display` turns it into rows in the reader's
language. The client's identity stays in the case file, which the next attorney opens (audited).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import get_language

from amparo.cases.models import Case, CaseType, Hearing, Outcome
from amparo.deadlines.labels import rule_label
from amparo.deadlines.models import DeadlineSource, Milestone, OwnerRole
from amparo.people.models import Language
from amparo.workspace.models import (
    CaseDocument,
    CaseDocumentVersion,
    ContactChannel,
    ContactDirection,
    DocumentKind,
    HearingResult,
)
from amparo.workspace.selectors import as_hours

SNAPSHOT_VERSION = 1


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def documents_for_handoff(*, case: Case) -> list[dict[str, Any]]:
    """The case's documents for the packet: title, kind, latest version number and date (names
    and versions only, never the files, which the next attorney downloads from the workspace).
    Two queries whatever the number of documents."""
    latest: dict[int, tuple[int, dt.datetime]] = {}
    for document_id, number, uploaded_at in CaseDocumentVersion.objects.filter(
        document__case=case
    ).values_list("document_id", "number", "uploaded_at"):
        if document_id not in latest or number > latest[document_id][0]:
            latest[document_id] = (number, uploaded_at)
    rows = []
    for document in CaseDocument.objects.filter(case=case).order_by("created_at", "id"):
        entry = latest.get(document.pk)
        rows.append(
            {
                "name": document.title,
                "kind": document.kind,
                "version": entry[0] if entry else None,
                "date": _iso(entry[1]) if entry else None,
            }
        )
    return rows


def handoff_snapshot(*, case: Case) -> dict[str, Any]:
    """The packet's content, read in a fixed number of queries."""
    hearings = Hearing.objects.filter(case=case).select_related("outcome").order_by("starts_at")
    hours = as_hours(case.hours.aggregate(total=Sum("hours"))["total"])
    return {
        "version": SNAPSHOT_VERSION,
        "prepared_at": timezone.now().isoformat(),
        "facts": {
            "code": case.code,
            "case_type": case.case_type,
            "court": case.court.name if case.court else "",
            "court_time_zone": case.court.time_zone if case.court else "",
            "detained": case.detained,
            "detention_facility": case.detention_facility.name if case.detention_facility else "",
            "unaccompanied_child": case.is_unaccompanied_child,
            "languages": list(case.languages or []),
            "last_arrival": _iso(case.last_arrival),
            "i589_received": _iso(case.i589_received),
            "supplement_b_signed": _iso(case.supplement_b_signed),
            "i918_filed": _iso(case.i918_filed),
            "outcome": case.outcome,
            "outcome_date": _iso(case.outcome_date),
            "mentor": case.mentor.full_name if case.mentor else "",
            "hours": str(hours),
        },
        "hearings": [
            {
                "kind": h.kind,
                "starts_at": _iso(h.starts_at),
                "status": h.status,
                "result": getattr(getattr(h, "outcome", None), "result", ""),
                "note": getattr(getattr(h, "outcome", None), "note", ""),
            }
            for h in hearings
        ],
        "deadlines": [
            {
                "rule": d.rule,
                "source": d.source,
                "title": d.title,
                "date": _iso(d.date),
                "safe_target": _iso(d.safe_target),
                "citation": d.citation,
                "explanation_en": d.explanation_en,
                "explanation_es": d.explanation_es,
                "done": d.completed_at is not None,
            }
            for d in case.deadlines.order_by("date", "rule")
        ],
        "milestones": [
            {
                "title_en": m.title_en,
                "title_es": m.title_es,
                "status": m.status,
                "due_date": _iso(m.due_date),
                "owner_role": m.owner_role,
            }
            for m in case.milestones.order_by("order", "id")
        ],
        "documents": documents_for_handoff(case=case),
        "contacts": [
            {
                "date": _iso(c.contacted_on),
                "channel": c.channel,
                "direction": c.direction,
                "with_interpreter": c.with_interpreter,
                "language": c.language,
                "note": c.note,
            }
            for c in case.client_contacts.order_by("-contacted_on", "-id")
        ],
    }


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def handoff_display(data: dict[str, Any]) -> dict[str, Any]:
    """The snapshot as the packet page shows it, in the active language."""
    spanish = get_language() == "es"
    facts = dict(data.get("facts", {}))
    facts["case_type_label"] = _label(CaseType, facts.get("case_type", ""))
    facts["outcome_label"] = _label(Outcome, facts.get("outcome", ""))
    for key in ("last_arrival", "i589_received", "supplement_b_signed", "i918_filed"):
        facts[key] = _date(facts.get(key))
    facts["outcome_date"] = _date(facts.get("outcome_date"))
    facts["language_labels"] = [_label(Language, code) for code in facts.get("languages", [])]
    facts["hours"] = Decimal(facts.get("hours") or "0")
    facts["court_time_zone"] = facts.get("court_time_zone") or settings.TIME_ZONE
    hearings = [
        {
            "kind": _label(Hearing.Kind, h["kind"]),
            "starts_at": dt.datetime.fromisoformat(h["starts_at"]) if h["starts_at"] else None,
            "status": _label(Hearing.Status, h["status"]),
            "result": _label(HearingResult, h["result"]) if h["result"] else "",
            "note": h["note"],
        }
        for h in data.get("hearings", [])
    ]
    deadlines = [
        {
            "label": d["title"] or rule_label(d["rule"]),
            "is_custom": d["source"] == DeadlineSource.CUSTOM,
            "date": _date(d["date"]),
            "safe_target": _date(d["safe_target"]),
            "citation": d["citation"],
            "explanation": (d["explanation_es"] if spanish else d["explanation_en"])
            or d["explanation_en"],
            "done": d["done"],
        }
        for d in data.get("deadlines", [])
    ]
    milestones = [
        {
            "title": (m["title_es"] if spanish else m["title_en"]) or m["title_en"],
            "status": _label(Milestone.Status, m["status"]),
            "is_done": m["status"] == Milestone.Status.DONE,
            "due_date": _date(m["due_date"]),
            "owner": _label(OwnerRole, m["owner_role"]),
        }
        for m in data.get("milestones", [])
    ]
    contacts = [
        {
            "date": _date(c["date"]),
            "channel": _label(ContactChannel, c["channel"]),
            "direction": _label(ContactDirection, c["direction"]),
            "with_interpreter": c["with_interpreter"],
            "language": _label(Language, c["language"]),
            "note": c["note"],
        }
        for c in data.get("contacts", [])
    ]
    return {
        "prepared_at": dt.datetime.fromisoformat(data["prepared_at"])
        if data.get("prepared_at")
        else None,
        "facts": facts,
        "hearings": hearings,
        "deadlines": deadlines,
        "milestones": milestones,
        "documents": [
            {
                "name": d.get("name", ""),
                "kind": _label(DocumentKind, d.get("kind", "")),
                "version": d.get("version"),
                "date": dt.datetime.fromisoformat(d["date"]) if d.get("date") else None,
            }
            for d in data.get("documents", [])
        ],
        "contacts": contacts,
    }
