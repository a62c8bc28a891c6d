"""Forms of the ongoing mentorship. They check what a person can fix, in their language; the
services check again and their errors come back to these forms."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from amparo.mentoring_work.models import (
    MAX_ENTRY_MINUTES,
    FundingSource,
    MentoringPlan,
    MilestoneKind,
    MilestoneOwner,
    PlanMilestone,
    TimeActivity,
)
from amparo.mentoring_work.uploads import ACCEPTED_EXTENSIONS
from amparo.people.forms import BootstrapFormMixin

CONFIDENTIAL_HINT = _(
    "Name the case by its code; keep the client's name and other identifying details out "
    "unless the work needs them."
)


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's errors onto the form: per field where the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class StyledForm(BootstrapFormMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()


class FirstMeetingForm(StyledForm):
    met_at = forms.DateTimeField(
        label=_("When you met"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    mode = forms.ChoiceField(
        label=_("How you met"),
        choices=MentoringPlan.MeetingMode.choices,
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=_("Notes of the meeting"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=CONFIDENTIAL_HINT,
    )


class MilestoneForm(StyledForm):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=MilestoneKind.choices)
    owner = forms.ChoiceField(label=_("Owner"), choices=MilestoneOwner.choices)
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty to count it from the case's dates again, as the template does."),
    )


class MilestoneEditForm(MilestoneForm):
    status = forms.ChoiceField(label=_("Status"), choices=PlanMilestone.Status.choices)


class DraftUploadForm(StyledForm):
    file = forms.FileField(
        label=_("Draft"),
        help_text=_("PDF, Word (DOCX, DOC), OpenDocument (ODT) or plain text (TXT)."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_EXTENSIONS}),
    )
    note = forms.CharField(
        label=_("Note for the reviewer"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CommentForm(StyledForm):
    body = forms.CharField(
        label=_("Comment"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MessageForm(StyledForm):
    body = forms.CharField(
        label=_("Message"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=CONFIDENTIAL_HINT,
    )


class TimeEntryForm(StyledForm):
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    minutes = forms.IntegerField(
        label=_("Minutes"),
        min_value=1,
        max_value=MAX_ENTRY_MINUTES,
        widget=forms.NumberInput(attrs={"step": 5}),
    )
    activity = forms.ChoiceField(label=_("Activity"), choices=TimeActivity.choices)
    description = forms.CharField(
        label=_("What you did"),
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=CONFIDENTIAL_HINT,
    )


class TimeDecisionForm(forms.Form):
    entries = forms.TypedMultipleChoiceField(coerce=int, choices=())
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])
    reason = forms.CharField(required=False, max_length=2_000)

    def __init__(self, *args: Any, entry_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entries"].choices = [(pk, pk) for pk in entry_ids]  # type: ignore[attr-defined]
        self.fields["entries"].error_messages["required"] = _("Tick at least one time entry.")
        self.fields["entries"].error_messages["invalid_choice"] = _(
            "A ticked entry was decided meanwhile: look at the queue again."
        )


class CloseForm(StyledForm):
    reason = forms.CharField(
        label=_("Why the mentoring closes now"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label=_("Close this mentoring: no more plan changes, drafts or messages."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class FeedbackForm(StyledForm):
    rating = forms.TypedChoiceField(
        label=_("How useful was the mentoring?"),
        coerce=int,
        choices=[
            (5, _("5 — very useful")),
            (4, _("4")),
            (3, _("3")),
            (2, _("2")),
            (1, _("1 — not useful")),
        ],
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(
        label=_("Comments"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class MonthForm(forms.Form):
    month = forms.CharField(required=False, max_length=7)


class FundingSourceForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=FundingSource.Kind.choices)
    amount = forms.DecimalField(
        label=_("Amount (USD)"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2
    )
    start_date = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end_date = forms.DateField(
        label=_("End date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FundingSourceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        remaining = getattr(obj, "remaining", None)
        if remaining is None:
            return str(obj.name)
        return _("%(name)s (%(kind)s): $%(remaining)s remaining") % {
            "name": obj.name,
            "kind": obj.get_kind_display(),
            "remaining": f"{remaining:,.2f}",
        }


class IssueForm(StyledForm):
    source = FundingSourceChoiceField(
        label=_("Charge to"), queryset=FundingSource.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, sources: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources  # type: ignore[attr-defined]
