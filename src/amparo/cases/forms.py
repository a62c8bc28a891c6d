"""Coordinator forms for placing a case and recording a withdrawal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import Role, User


class AttorneyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} <{obj.email}>"


class CasePlaceForm(forms.Form):
    attorney = AttorneyChoiceField(
        label=_("Volunteer attorney"),
        queryset=User.objects.filter(
            role=Role.ATTORNEY,
            is_active=True,
            attorney_profile__verification_status="verified",
        ).order_by("first_name", "last_name"),
        error_messages={"invalid_choice": _("Choose a verified volunteer attorney.")},
    )
    over_capacity_ok = forms.BooleanField(
        label=_("The attorney agreed to take this case even though it is over their capacity"),
        required=False,
    )


class CaseWithdrawalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the withdrawal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    back_on_board = forms.BooleanField(
        label=_("Put the case back on the board for another attorney"),
        required=False,
        initial=True,
    )
