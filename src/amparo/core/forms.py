"""The staff's audit log search."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from amparo.core.models import AuditEvent
from amparo.core.selectors import AuditCursor, AuditLogFilters

BAD_PAGE_LINK = _("This page link is not valid. Search again from the first page.")
_DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def _sane_year(value: dt.date | None) -> dt.date | None:
    # A far-off year is a typo; refusing it also keeps "the day after" within the calendar.
    if value is not None and not 1990 <= value.year <= 2100:
        raise ValidationError(_("Enter a date between 1990 and 2100."))
    return value


class AuditLogFilterForm(forms.Form):
    """Every filter is optional; together they narrow the log. `before`/`after` are the keyset
    cursors of the page links, not shown in the form."""

    #: The fields the page shows, in order (the cursors travel in the page links only).
    FILTERS = ("person", "action", "target", "date_from", "date_to", "ip_address")

    person = forms.CharField(
        label=_("Person (e-mail contains)"),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("Any action")), *AuditEvent.Action.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    target = forms.CharField(
        label=_("Case code or object id"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=_DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=_DATE)
    ip_address = forms.GenericIPAddressField(
        label=_("IP address"),
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    before = forms.CharField(required=False)
    after = forms.CharField(required=False)

    def clean_person(self) -> str:
        return str(self.cleaned_data.get("person") or "").strip()

    def clean_target(self) -> str:
        return str(self.cleaned_data.get("target") or "").strip()

    def clean_date_from(self) -> dt.date | None:
        return _sane_year(self.cleaned_data.get("date_from"))

    def clean_date_to(self) -> dt.date | None:
        return _sane_year(self.cleaned_data.get("date_to"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The start of the period is after its end."))
        try:
            for name in ("before", "after"):
                value = data.get(name) or ""
                data[name] = AuditCursor.decode(value) if value else None
        except ValueError:
            data["before"] = data["after"] = None
            raise ValidationError(BAD_PAGE_LINK) from None
        if data["before"] and data["after"]:
            raise ValidationError(BAD_PAGE_LINK)
        return data

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    @property
    def filter_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.FILTERS]

    def filters(self) -> AuditLogFilters:
        data = self.cleaned_data
        return AuditLogFilters(
            person=data["person"],
            action=data["action"],
            target=data["target"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            ip_address=data["ip_address"] or "",
        )
