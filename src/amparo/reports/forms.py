from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.cases.models import CaseType
from amparo.courts.models import ImmigrationCourt
from amparo.people.models import Organization
from amparo.reports.selectors import ReportFilters


class ReportFilterForm(forms.Form):
    start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    end = forms.DateField(
        label=_("To"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    case_type = forms.ChoiceField(
        label=_("Case type"),
        required=False,
        choices=[("", _("All case types")), *CaseType.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    court = forms.ModelChoiceField(
        label=_("Immigration court"),
        required=False,
        queryset=ImmigrationCourt.objects.order_by("name"),
        empty_label=_("All courts"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    partner = forms.ModelChoiceField(
        label=_("Partner organization"),
        required=False,
        queryset=Organization.objects.filter(kind=Organization.Kind.PARTNER).order_by("name"),
        empty_label=_("All partners"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The end of the period must not be before its start."))
        return data

    def filters(self) -> ReportFilters:
        data = self.cleaned_data
        return ReportFilters(
            start=data["start"],
            end=data["end"],
            case_type=data.get("case_type") or "",
            court_id=data["court"].pk if data.get("court") else None,
            partner_id=data["partner"].pk if data.get("partner") else None,
        )


def default_filters() -> ReportFilters:
    """This calendar year to today, every case type, court and partner."""
    today = timezone.localdate()
    return ReportFilters(start=dt.date(today.year, 1, 1), end=today)
