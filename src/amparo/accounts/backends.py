"""Django model permissions (used by the admin) granted by role, in one place.

Object-level access to client data is never decided here: that is the policy modules' job
(amparo.core.policy), and this backend refuses every object-level question.
"""

from __future__ import annotations

from typing import Any

from amparo.accounts.models import Role

_REFERENCE = [
    "courts.immigrationcourt",
    "courts.detentionfacility",
    "people.organization",
    "people.attorneyprofile",
    "people.baradmission",
    "people.mentorprofile",
    "accounts.user",
    "cases.case",
    "cases.hearing",
    "cases.opposingfiling",
    "deadlines.extraclosure",
    "deadlines.milestonetemplate",
    "deadlines.milestonetemplateitem",
    "deadlines.casedeadline",
    "deadlines.caseflag",
]


def _grants(models: list[str], actions: tuple[str, ...]) -> frozenset[str]:
    grants: set[str] = set()
    for label in models:
        app, model = label.split(".")
        grants.update(f"{app}.{action}_{model}" for action in actions)
    return frozenset(grants)


ROLE_MODEL_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.COORDINATOR: _grants(_REFERENCE, ("view", "add", "change"))
    | _grants(["core.auditevent"], ("view",)),
    Role.PROGRAM_ADMIN: _grants(_REFERENCE, ("view", "add", "change"))
    | _grants(["core.auditevent"], ("view",)),
}


class RoleModelPermissionBackend:
    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def _grants_for(self, user: Any) -> frozenset[str]:
        if not (user.is_active and user.is_staff):
            return frozenset()
        return ROLE_MODEL_PERMISSIONS.get(getattr(user, "role", ""), frozenset())

    def has_perm(self, user: Any, perm: str, obj: Any = None) -> bool:
        return obj is None and perm in self._grants_for(user)

    def has_module_perms(self, user: Any, app_label: str) -> bool:
        return any(perm.startswith(f"{app_label}.") for perm in self._grants_for(user))
