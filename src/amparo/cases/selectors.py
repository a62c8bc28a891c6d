"""Reads of cases, always scoped to what the viewer may see."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from amparo.accounts.mfa import two_factor_satisfied
from amparo.accounts.models import Role
from amparo.cases.models import Case, Hearing, Stage
from amparo.core.policy import get_for_user_or_404


def case_list_for_user(
    *,
    viewer: Any,
    hearing_within: datetime.timedelta | None = None,
    archived: bool | None = False,
) -> QuerySet[Case]:
    """The cases whose file (or, for mentors, whose summary) the viewer may list, soonest
    hearing first; `hearing_within` keeps those with a hearing in that window. Archived cases
    (closed, off the working lists: cases/retention.py) are left out unless `archived` is True
    (only them) or None (all)."""
    now = timezone.now()
    base = (
        Case.objects.select_related("court", "placing_organization", "attorney_of_record")
        .annotate(
            next_hearing_at=Min(
                "hearings__starts_at",
                filter=Q(hearings__starts_at__gte=now, hearings__status="scheduled"),
            )
        )
        .order_by(F("next_hearing_at").asc(nulls_last=True), "code")
    )
    if hearing_within is not None:
        base = base.filter(next_hearing_at__lte=now + hearing_within)
    if archived is not None:
        base = base.filter(archived_at__isnull=not archived)
    return _visible_to(viewer, base)


def _visible_to(viewer: Any, cases: QuerySet[Case]) -> QuerySet[Case]:
    """The cases of `cases` the viewer may list (see case_list_for_user)."""
    if not (viewer.is_authenticated and two_factor_satisfied(viewer)):
        return cases.none()
    if viewer.role in (Role.COORDINATOR, Role.PROGRAM_ADMIN):
        return cases
    if viewer.role == Role.ATTORNEY:
        return cases.filter(attorney_of_record=viewer)
    if viewer.role == Role.MENTOR:
        return cases.filter(mentor=viewer)
    if viewer.role == Role.PARTNER and viewer.organization_id:
        return cases.filter(placing_organization_id=viewer.organization_id)
    return cases.none()


def case_get_file_for_user(*, viewer: Any, code: str) -> Case:
    queryset = Case.objects.select_related(
        "client",
        "court",
        "detention_facility",
        "placing_organization",
        "attorney_of_record",
        "mentor",
    ).prefetch_related("hearings", "client__family_members", "client__adverse_parties")
    return get_for_user_or_404(queryset, user=viewer, permission="cases.view_case_file", code=code)


def case_stage_counts(*, viewer: Any) -> dict[str, int]:
    """Figures: archived cases count with the other closed ones. Counted on the case table
    alone: the hearings join of case_list_for_user would count a case once per hearing.
    COUNT(stage) lets the database count from an index on stage without reading the rows."""
    visible = _visible_to(viewer, Case.objects.all())
    rows = visible.order_by().values("stage").annotate(n=Count("stage"))
    counts = {stage.value: 0 for stage in Stage}
    counts.update({row["stage"]: row["n"] for row in rows})
    return counts


def case_list_urgent_unplaced(*, viewer: Any, within_days: int = 30, limit: int = 10) -> list[Case]:
    """The `limit` unplaced cases whose next hearing is soonest, within `within_days`.

    Walks the scheduled hearings of the window in time order (an index range) until `limit`
    distinct cases are found: a case's first hearing met is its next one. The cost follows the
    page's size, not the number of unplaced cases."""
    now = timezone.now()
    hearings = (
        Hearing.objects.filter(
            status=Hearing.Status.SCHEDULED,
            starts_at__gte=now,
            starts_at__lte=now + datetime.timedelta(days=within_days),
            case__stage__in=[Stage.SCREENING, Stage.READY],
            case__archived_at__isnull=True,
        )
        .order_by("starts_at", "case__code", "id")
        .values_list("case_id", "starts_at")
    )
    staff = getattr(viewer, "role", None) in (Role.COORDINATOR, Role.PROGRAM_ADMIN)
    if not (staff and two_factor_satisfied(viewer)):
        hearings = hearings.filter(case__in=_visible_to(viewer, Case.objects.all()))
    next_hearing: dict[int, datetime.datetime] = {}
    chunk, offset = max(4 * limit, 20), 0
    while len(next_hearing) < limit:
        rows = list(hearings[offset : offset + chunk])
        for case_id, starts_at in rows:
            next_hearing.setdefault(case_id, starts_at)
        if len(rows) < chunk:
            break
        offset += chunk
    ids = list(next_hearing)[:limit]
    cases = Case.objects.select_related("court", "placing_organization", "attorney_of_record")
    by_id = cases.in_bulk(ids)
    found = []
    for case_id in ids:
        case = by_id[case_id]
        case.next_hearing_at = next_hearing[case_id]  # type: ignore[attr-defined]
        found.append(case)
    return found


def court_list_for_board() -> list[tuple[int, str]]:
    """Courts that have cases on the board, for the filter."""
    from amparo.courts.models import ImmigrationCourt

    # EXISTS per court (an index probe each) rather than a join of every case on the board.
    on_board = Case.objects.filter(court=OuterRef("pk"), stage=Stage.READY)
    return list(
        ImmigrationCourt.objects.filter(Exists(on_board)).order_by("name").values_list("id", "name")
    )
