"""Reads of the public pages: the urgent-needs cards, the support page, and the staff's lists."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from amparo.cases.board import BoardFilters, board_case_list
from amparo.cases.models import Case
from amparo.core.policy import get_for_user_or_404
from amparo.public.models import NewsletterSubscriber, PartnerInquiry, SupportPage


def urgent_case_list() -> QuerySet[Case]:
    """The board's cases (ready for placement, no attorney yet, most urgent first) that a
    coordinator opted in to the public page at screening. Same anonymized columns as the board:
    board_case_list never selects the client's identity."""
    return board_case_list(filters=BoardFilters()).filter(on_public_urgent_page=True)


def urgent_card(*, case: Case, language: str) -> dict[str, object]:
    """The anonymized card, with the same keys as the board's (cases/_board_card.html)."""
    return {
        "code": case.code,
        "case_type": case.get_case_type_display(),
        "court": case.court.name if case.court else "",
        "detained": case.detained,
        "unaccompanied_child": case.is_unaccompanied_child,
        "age_band": case.client_age_band,
        "country": case.client.country_of_nationality,
        "languages": [code for code in case.board_languages.split(",") if code],
        "next_hearing_on": case.next_hearing_on,
        "summary": case.summary_es if language == "es" and case.summary_es else case.summary_en,
        "urgency": case.urgency,
        "factors": [f.get(language, f.get("en", "")) for f in case.urgency_factors],
    }


def support_page_get() -> SupportPage | None:
    return SupportPage.objects.order_by("pk").first()


def subscriber_list_active() -> QuerySet[NewsletterSubscriber]:
    return NewsletterSubscriber.objects.filter(
        confirmed_at__isnull=False, unsubscribed_at__isnull=True
    ).order_by("confirmed_at", "pk")


def subscriber_counts() -> dict[str, Any]:
    return NewsletterSubscriber.objects.aggregate(
        active=Count("pk", filter=Q(confirmed_at__isnull=False, unsubscribed_at__isnull=True)),
        pending=Count("pk", filter=Q(confirmed_at__isnull=True, unsubscribed_at__isnull=True)),
        unsubscribed=Count("pk", filter=Q(unsubscribed_at__isnull=False)),
    )


def partner_inquiry_list(*, status: str = "") -> QuerySet[PartnerInquiry]:
    inquiries = PartnerInquiry.objects.select_related("status_changed_by")
    if status in PartnerInquiry.Status.values:
        inquiries = inquiries.filter(status=status)
    return inquiries.order_by("-created_at", "-id")


def partner_inquiry_counts() -> dict[str, int]:
    rows = PartnerInquiry.objects.values_list("status").annotate(n=Count("pk")).order_by()
    counts = dict.fromkeys(PartnerInquiry.Status.values, 0)
    counts.update({status: n for status, n in rows})
    return counts


def partner_inquiry_get_for_user(*, user: Any, pk: int) -> PartnerInquiry:
    return get_for_user_or_404(
        PartnerInquiry.objects.select_related("status_changed_by"),
        user=user,
        permission="public.change_partner_inquiry",
        pk=pk,
    )
