"""Forms of the case workspace. They check what a person can fix in the form, in their language;
the services check again (they are the authority) and their errors come back onto these forms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import Role, User
from amparo.cases.models import Case, Hearing, Stage
from amparo.core.formfields import BoundedModelMultipleChoiceField
from amparo.people.forms import BootstrapFormMixin
from amparo.people.models import Language
from amparo.workspace.models import (
    MAX_HOURS_PER_ENTRY,
    ContactChannel,
    ContactDirection,
    DocumentKind,
    HearingResult,
    HoursActivity,
)

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _sane_year(value: dt.date | None) -> dt.date | None:
    if value is not None and not 1990 <= value.year <= 2100:
        raise ValidationError(_("Enter a date between 1990 and 2100."))
    return value


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, else on the form."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class WorkspaceForm(BootstrapFormMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()


class _HearingWhenForm(WorkspaceForm):
    """A date and a time, read in the court's time zone (hearings happen where the court sits)."""

    date = forms.DateField(label=_("Date"), widget=_DATE)
    time = forms.TimeField(label=_("Time"), widget=_TIME)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        self.case = case
        super().__init__(*args, **kwargs)

    def clean_date(self) -> dt.date | None:
        return _sane_year(self.cleaned_data.get("date"))

    @property
    def time_zone(self) -> ZoneInfo:
        name = self.case.court.time_zone if self.case.court else settings.TIME_ZONE
        return ZoneInfo(name)

    def starts_at(self) -> dt.datetime:
        naive = dt.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        return timezone.make_aware(naive, self.time_zone)


class HearingAddForm(_HearingWhenForm):
    prefix = "hearing"
    kind = forms.ChoiceField(label=_("Kind"), choices=Hearing.Kind.choices)
    ruling_requested = forms.BooleanField(
        label=_("A ruling is requested at this hearing"),
        required=False,
        help_text=_(
            "Master calendar filings are due 15 days before only when a ruling is requested."
        ),
    )

    field_order = ["kind", "date", "time", "ruling_requested"]


class HearingRescheduleForm(_HearingWhenForm):
    prefix = "reschedule"


class HearingOutcomeForm(WorkspaceForm):
    prefix = "outcome"
    result = forms.ChoiceField(label=_("What happened"), choices=HearingResult.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ClientContactForm(WorkspaceForm):
    prefix = "contact"
    contacted_on = forms.DateField(label=_("Date"), widget=_DATE)
    channel = forms.ChoiceField(label=_("Channel"), choices=ContactChannel.choices)
    direction = forms.ChoiceField(label=_("Direction"), choices=ContactDirection.choices)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices, initial="es")
    with_interpreter = forms.BooleanField(label=_("With an interpreter"), required=False)
    note = forms.CharField(
        label=_("Short note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Visible to those who can see the client file."),
    )

    def clean_contacted_on(self) -> dt.date | None:
        return _sane_year(self.cleaned_data.get("contacted_on"))


class HoursForm(WorkspaceForm):
    prefix = "hours"
    worked_on = forms.DateField(label=_("Date"), widget=_DATE)
    activity = forms.ChoiceField(label=_("Activity"), choices=HoursActivity.choices)
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=Decimal("0.1"),
        max_value=MAX_HOURS_PER_ENTRY,
        max_digits=4,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
    )
    description = forms.CharField(
        label=_("Description"), required=False, max_length=500, widget=forms.TextInput()
    )

    def clean_worked_on(self) -> dt.date | None:
        return _sane_year(self.cleaned_data.get("worked_on"))


class CaseOutcomeForm(WorkspaceForm):
    prefix = "result"
    # Which dates are needed depends on the result chosen: the service says so.
    optional_hint = False
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)
    decision_date = forms.DateField(label=_("Decision date"), required=False, widget=_DATE)
    decision_kind = forms.ChoiceField(
        label=_("Decision given"),
        required=False,
        choices=[("", "—"), ("oral", _("Orally")), ("written", _("In writing"))],
    )
    memo_mailed = forms.DateField(
        label=_("Written decision mailed or served"),
        required=False,
        widget=_DATE,
        help_text=_("For a written decision: the appeal deadline counts from this date."),
    )
    appeal_waived = forms.BooleanField(label=_("Appeal waived"), required=False)

    def __init__(self, *args: Any, outcome_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        outcome_field = self.fields["outcome"]
        assert isinstance(outcome_field, forms.ChoiceField)
        outcome_field.choices = outcome_choices

    def clean_decision_date(self) -> dt.date | None:
        return _sane_year(self.cleaned_data.get("decision_date"))

    def clean_memo_mailed(self) -> dt.date | None:
        return _sane_year(self.cleaned_data.get("memo_mailed"))


class CaseCloseForm(WorkspaceForm):
    prefix = "close"
    confirm = forms.BooleanField(
        label=_("The case is over: close it and its mentoring"),
        error_messages={"required": _("Tick the box to confirm that the case is over.")},
    )


class WithdrawalRequestForm(WorkspaceForm):
    prefix = "withdrawal"
    reason = forms.CharField(
        label=_("Reason for the withdrawal"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A coordinator reads it and finds the next attorney."),
    )


class WithdrawalDecisionForm(WorkspaceForm):
    prefix = "decision"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose to approve or decline the request.")},
    )
    note = forms.CharField(
        label=_("Note to the attorney"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AttorneyChoiceField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} <{obj.email}>"


class StatusRequestForm(WorkspaceForm):
    """Ask attorneys who hold a case today: tick some, or all of them at once."""

    everyone = forms.BooleanField(
        label=_("Every attorney who holds a case"),
        required=False,
        help_text=_("Or tick the attorneys to ask below."),
    )
    attorneys = AttorneyChoiceField(
        label=_("Attorneys"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": _("Choose attorneys from the list."),
            "invalid_pk_value": _("Choose attorneys from the list."),
        },
    )
    message = forms.CharField(
        label=_("What would you like to know?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "It is sent by e-mail: name cases by their code, never a client's name or story."
        ),
    )
    answer_by = forms.DateField(label=_("Answer by"), required=False, widget=_DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        attorneys = self.fields["attorneys"]
        assert isinstance(attorneys, forms.ModelMultipleChoiceField)
        attorneys.queryset = self._holders()

    @staticmethod
    def _holders() -> QuerySet[User]:
        """Active attorneys of record of a placed case."""
        return (
            User.objects.filter(
                role=Role.ATTORNEY, is_active=True, cases_of_record__stage=Stage.PLACED
            )
            .distinct()
            .order_by("full_name", "email")
        )

    def clean_answer_by(self) -> dt.date | None:
        return _sane_year(self.cleaned_data.get("answer_by"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("everyone"):
            data["attorneys"] = list(self._holders())
        if not data.get("attorneys") and "attorneys" not in self.errors:
            self.add_error("attorneys", _("Choose at least one attorney."))
        return data


class StatusAnswerForm(WorkspaceForm):
    answer = forms.CharField(
        label=_("Your status update"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Name cases by their code. Only program staff read your answer."),
    )


class HoursPeriodForm(forms.Form):
    """The period of the hours totals (both ends included); empty means from the start or up to
    today."""

    start = forms.DateField(label=_("From"), required=False, widget=_DATE)
    end = forms.DateField(label=_("To"), required=False, widget=_DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"

    def clean_start(self) -> dt.date | None:
        return _sane_year(self.cleaned_data.get("start"))

    def clean_end(self) -> dt.date | None:
        return _sane_year(self.cleaned_data.get("end"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise ValidationError(_("The start of the period is after its end."))
        return data


# --- documents ------------------------------------------------------------------------------


class _MilestoneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        from django.utils.translation import get_language

        return (obj.title_es if get_language() == "es" else obj.title_en) or obj.title_en


class _DocumentFileField(forms.FileField):
    """The content check is the service's (workspace/services/documents.py); the form only asks
    for a file and lets the browser offer the right types."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("File"))
        kwargs.setdefault("help_text", _("PDF, Word (DOCX), PNG or JPEG, at most 20 MB."))
        kwargs.setdefault(
            "widget",
            forms.FileInput(
                attrs={"accept": ".pdf,.docx,.png,.jpg,.jpeg"},
            ),
        )
        super().__init__(**kwargs)


class DocumentUploadForm(WorkspaceForm):
    prefix = "document"
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    milestone = _MilestoneChoiceField(
        label=_("Milestone of the plan"),
        queryset=None,
        required=False,
        empty_label=_("None"),
    )
    file = _DocumentFileField()
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["milestone"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = case.milestones.order_by("order", "id")


class DocumentVersionForm(WorkspaceForm):
    file = _DocumentFileField()
    note = forms.CharField(
        label=_("What changed"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DocumentCommentForm(WorkspaceForm):
    body = forms.CharField(
        label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
