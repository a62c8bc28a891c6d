"""The staff's program tools: every queue and report page, grouped, each shown only to those
the policy lets open it (the pages check again)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from amparo.core.policy import can


@dataclass(frozen=True)
class Tool:
    url_name: str
    label: Promise
    permission: str


TOOL_GROUPS: list[tuple[Promise, list[Tool]]] = [
    (
        _("Cases and placement"),
        [
            Tool("people:verification_queue", _("Volunteers to verify"), "people.verify_attorney"),
            Tool("intake:case_import", _("Import cases from a file"), "cases.add_case"),
            Tool("cases:placement_requests", _("Placement requests"), "cases.place_case"),
            Tool(
                "workspace:withdrawal_list", _("Withdrawal requests"), "workspace.decide_withdrawal"
            ),
            Tool("workspace:cases_at_risk", _("Cases at risk"), "workspace.view_cases_at_risk"),
            Tool(
                "workspace:status_requests",
                _("Status requests to attorneys"),
                "workspace.send_status_request",
            ),
            Tool("workspace:hours_totals", _("Pro bono hours"), "workspace.view_hours_totals"),
            Tool("reports:dashboard", _("Reports"), "reports.view_dashboard"),
        ],
    ),
    (
        _("Mentoring"),
        [
            Tool("mentoring:queue", _("Mentoring requests"), "mentoring.manage"),
            Tool(
                "mentoring_work:overdue",
                _("Overdue replies and milestones"),
                "mentoring_work.view_overview",
            ),
            Tool(
                "mentoring_work:time_queue",
                _("Mentor time to approve"),
                "mentoring_work.approve_time",
            ),
            Tool("mentoring_work:statements", _("Mentor statements"), "mentoring_work.manage_pay"),
            Tool("mentoring_work:funding", _("Funding sources"), "mentoring_work.manage_pay"),
            Tool(
                "mentoring_work:feedback_list",
                _("Mentoring feedback"),
                "mentoring_work.view_overview",
            ),
        ],
    ),
    (
        _("Trainings and materials"),
        [
            Tool(
                "trainings:certificate_queue",
                _("Certificates to review"),
                "trainings.view_certificate_queue",
            ),
            Tool("trainings:sessions", _("Live trainings"), "trainings.view_sessions"),
            Tool("library:document_create", _("Add a sample document"), "library.add_document"),
            Tool("library:strategy_notes", _("Strategy notes"), "library.view_strategy_notes"),
        ],
    ),
    (
        _("Oversight"),
        [Tool("audit_log", _("Audit log"), "core.view_audit_log")],
    ),
    (
        _("Outreach"),
        [
            Tool("public:inquiry_list", _("Partner inquiries"), "public.view_partner_inquiries"),
            Tool(
                "public:subscriber_list",
                _("Newsletter subscribers"),
                "public.export_newsletter_subscribers",
            ),
        ],
    ),
]


def program_tools_for_user(*, user: Any) -> list[tuple[Promise, list[dict[str, Any]]]]:
    from amparo.accounts.models import Role

    if user.role not in (Role.COORDINATOR, Role.PROGRAM_ADMIN):
        return []  # volunteers reach what they need from their dashboard and cases
    groups = []
    for title, tools in TOOL_GROUPS:
        links = [
            {"url": reverse(tool.url_name), "label": tool.label}
            for tool in tools
            if can(user, tool.permission)
            and (
                tool.url_name != "cases:placement_requests"
                or settings.AMPARO_PLACEMENT_REQUIRES_APPROVAL
            )
        ]
        if links:
            groups.append((title, links))
    return groups
