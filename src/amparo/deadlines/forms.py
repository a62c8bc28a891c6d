from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.deadlines.models import Milestone

_DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CustomDeadlineForm(forms.Form):
    title = forms.CharField(label=_("What is due"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=_DATE_WIDGET)

    def clean_date(self) -> dt.date:
        date: dt.date = self.cleaned_data["date"]
        if date.year < 1990 or date.year > 2100:
            raise forms.ValidationError(_("Enter a date between 1990 and 2100."))
        return date


class JudgeDeadlineForm(forms.Form):
    hearing = forms.IntegerField(widget=forms.HiddenInput)
    deadline = forms.DateField(
        label=_("Filing deadline set by the judge"),
        widget=_DATE_WIDGET,
        required=False,
        help_text=_("Leave empty to go back to the court manual's default."),
    )


class MilestoneStatusForm(forms.Form):
    milestone = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=Milestone.Status.choices)


class DeadlineDoneForm(forms.Form):
    deadline = forms.IntegerField(widget=forms.HiddenInput)
    done = forms.BooleanField(required=False)
