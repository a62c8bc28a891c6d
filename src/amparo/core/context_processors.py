from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import Role

STAFF_ROLES = (Role.COORDINATOR, Role.PROGRAM_ADMIN)
STAFF_SECONDARY = (
    "library:document_list",
    "trainings:catalogue",
    "deadlines:calendar_settings",
    "admin:index",
)


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    items: list[tuple[str, object]] = []
    if user is not None and user.is_authenticated:
        items.append((reverse("dashboard"), _("Dashboard")))
        case_label = {
            Role.ATTORNEY: _("My cases"),
            Role.MENTOR: _("My mentees' cases"),
            Role.PARTNER: _("Our cases"),
        }.get(user.role, _("Cases"))
        items.append((reverse("cases:list"), case_label))
        if user.role in (Role.ATTORNEY, Role.COORDINATOR, Role.PROGRAM_ADMIN):
            items.append((reverse("board:board"), _("Cases that need an attorney")))
        if user.role in (Role.COORDINATOR, Role.PARTNER):
            items.append((reverse("cases:new"), _("New case")))
        if user.role == Role.COORDINATOR:
            items.append((reverse("people:verification_queue"), _("Volunteers to verify")))
            if settings.AMPARO_PLACEMENT_REQUIRES_APPROVAL:
                items.append((reverse("cases:placement_requests"), _("Placement requests")))
        if user.role == Role.ATTORNEY:
            items.append((reverse("people:my_profile"), _("My volunteer profile")))
        if user.role == Role.PROGRAM_ADMIN:
            items.append((reverse("mentoring_work:time_queue"), _("Mentor pay")))
        from amparo.core.policy import can

        if can(user, "library.view_library"):
            items.append((reverse("library:document_list"), _("Library")))
        if can(user, "mentoring.view_home"):
            items.append((reverse("mentoring:home"), _("Mentoring")))
        if user.role in (Role.ATTORNEY, Role.MENTOR, Role.COORDINATOR, Role.PROGRAM_ADMIN):
            items.append((reverse("trainings:catalogue"), _("Trainings")))
        if user.role in (Role.COORDINATOR, Role.PROGRAM_ADMIN):
            items.append((reverse("program_tools"), _("Program tools")))
            items.append((reverse("reports:dashboard"), _("Reports")))
        items.append((reverse("deadlines:calendar_settings"), _("Calendar")))
        if user.is_staff:
            items.append((reverse("admin:index"), _("Administration")))
    more: list[tuple[str, object]] = []
    if user is not None and user.is_authenticated and user.role in STAFF_ROLES:
        # Staff see a dozen sections: the less used go under "More", so the bar stays short
        # enough for a laptop (the program tools page lists every queue and report as well).
        secondary = {reverse(name) for name in STAFF_SECONDARY}
        if user.role == Role.COORDINATOR:
            secondary.add(reverse("mentoring:home"))
        more = [item for item in items if item[0] in secondary]
        items = [item for item in items if item[0] not in secondary]
    return {
        "nav_items": [
            {"url": url, "label": label, "active": request.path.startswith(url)}
            for url, label in items
        ],
        "nav_more": [
            {"url": url, "label": label, "active": request.path.startswith(url)}
            for url, label in more
        ],
        "program_name": settings.AMPARO_PROGRAM_NAME,
    }
