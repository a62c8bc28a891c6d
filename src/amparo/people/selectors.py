from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from amparo.cases.models import Stage
from amparo.core.policy import get_for_user_or_404
from amparo.people.models import AttorneyProfile, MentorProfile


def attorney_list_pending_verification() -> QuerySet[AttorneyProfile]:
    return (
        AttorneyProfile.objects.filter(verification_status=AttorneyProfile.Verification.PENDING)
        .select_related("user", "firm")
        .prefetch_related("bar_admissions")
        .order_by("created_at")
    )


def attorney_profile_for_user(*, user: Any) -> AttorneyProfile | None:
    return (
        AttorneyProfile.objects.filter(user=user)
        .select_related("firm", "verified_by")
        .prefetch_related("bar_admissions")
        .annotate(
            active_cases=Count(
                "user__cases_of_record", filter=Q(user__cases_of_record__stage=Stage.PLACED)
            )
        )
        .first()
    )


def mentor_list_with_load() -> QuerySet[MentorProfile]:
    return (
        MentorProfile.objects.select_related("user")
        .annotate(
            load=Count("user__mentored_cases", filter=~Q(user__mentored_cases__stage=Stage.CLOSED))
        )
        .order_by("user__full_name")
    )


def mentor_profile_for_user(*, user: Any) -> MentorProfile | None:
    return mentor_list_with_load().filter(user=user).first()


def attorney_profile_get_for_user(*, user: Any, pk: int) -> AttorneyProfile:
    """One attorney's profile for its detail page; 404 unless the viewer may see it."""
    queryset = AttorneyProfile.objects.select_related(
        "user", "firm", "verified_by"
    ).prefetch_related("bar_admissions")
    return get_for_user_or_404(
        queryset, user=user, permission="people.view_attorney_profile", pk=pk
    )


def attorney_list_digest_subscribers(*, frequency: str) -> QuerySet[AttorneyProfile]:
    """Verified, active attorneys who asked for the e-mail of new board cases at this frequency
    ('daily' or 'weekly'; 'none' finds nobody), with their user (e-mail, language) loaded."""
    if frequency == AttorneyProfile.BoardDigest.NONE:
        return AttorneyProfile.objects.none()
    return (
        AttorneyProfile.objects.filter(
            board_digest=frequency,
            verification_status=AttorneyProfile.Verification.VERIFIED,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("pk")
    )
