from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.conflicts.models import ConflictHit


class ConflictResolveForm(forms.Form):
    hit = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[
            (ConflictHit.Status.CLEARED, _("Clear: not the same person, or no conflict")),
            (ConflictHit.Status.CONFIRMED, _("Confirm: a conflict of interest")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required: how you decided (for example, a different date of birth)."),
    )
