"""Forms of the mentoring pages. They check what a person can fix in the form, in their
language; the services check again (they are the authority) and their errors come back here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import Role, User
from amparo.core.formfields import BoundedModelMultipleChoiceField
from amparo.mentoring.imports import MAX_FILE_BYTES
from amparo.mentoring.models import MentoringMeeting
from amparo.mentoring.services import MAX_DECLINE_REASON, MAX_HELP_WANTED, MAX_NOTE
from amparo.people.forms import BootstrapFormMixin
from amparo.people.models import Language


class _Styled(BootstrapFormMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()


def _languages_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Languages the mentor must speak besides English"),
        choices=[(code, label) for code, label in Language.choices if code != "en"],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Only if the mentor must read documents or talk with people in them."),
    )


def _help_wanted_field() -> forms.CharField:
    return forms.CharField(
        label=_("What help do you want from a mentor?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_HELP_WANTED,
        help_text=_(
            "For example: strategy for a particular social group claim, reviewing the "
            "declaration and the pre-hearing brief, preparing the direct examination. Do not "
            "write the client's name."
        ),
        error_messages={"required": _("Say what help you want from a mentor.")},
    )


class MentoringRequestForm(_Styled):
    help_wanted = _help_wanted_field()
    languages = _languages_field()


class CaseChoiceField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        attorney = obj.attorney_of_record.full_name if obj.attorney_of_record_id else ""
        return f"{obj.code} · {obj.get_case_type_display()} · {attorney}"


class PartnerRequestForm(_Styled):
    cases = CaseChoiceField(
        label=_("Cases"),
        # The organization's cases are set in __init__.
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Cases your organization placed with a volunteer attorney and without an open request."
        ),
        error_messages={
            "required": _("Choose at least one case."),
            "invalid_choice": _("Choose cases from the list."),
            "invalid_pk_value": _("Choose cases from the list."),
        },
    )
    help_wanted = _help_wanted_field()
    languages = _languages_field()

    def __init__(self, *args: Any, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases  # type: ignore[attr-defined]
        self.fields["help_wanted"].label = _("What help do the attorneys want from a mentor?")


class RequestUploadForm(_Styled):
    file = forms.FileField(
        label=_("CSV file of requests"),
        help_text=_("Up to 1 MB and 1,000 rows, with the column names in row 1."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".csv"):
            raise forms.ValidationError(_("Upload a CSV file (its name ends in .csv)."))
        if upload.size is not None and upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB: split it."))
        return upload


class OverrideForm(_Styled):
    requirement = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Why the program accepts the request anyway"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=MAX_NOTE,
        error_messages={"required": _("Say why the program accepts this request anyway.")},
    )


class MentorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class ConfirmForm(forms.Form):
    mentor = MentorChoiceField(
        queryset=User.objects.filter(role=Role.MENTOR, is_active=True),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose a mentor."),
            "invalid_choice": _("Choose a mentor from the proposals."),
        },
    )


class DeclineForm(_Styled):
    reason = forms.CharField(
        label=_("Why you decline"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_DECLINE_REASON,
        help_text=_("For example: no time before the hearing, a conflict, outside my expertise."),
        error_messages={"required": _("Say why you decline: it helps the program.")},
    )


class AgreementSignForm(_Styled):
    typed_name = forms.CharField(
        label=_("Type your full name to sign"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Type your full name to sign.")},
    )
    language = forms.ChoiceField(
        choices=[("en", "English"), ("es", "Español")], widget=forms.HiddenInput
    )
    sha256 = forms.CharField(max_length=64, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)


class MeetingForm(_Styled):
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": _("Choose the date and time."),
            "invalid": _("Enter the date and time as YYYY-MM-DD HH:MM."),
        },
    )
    mode = forms.ChoiceField(
        label=_("How"),
        choices=MentoringMeeting.Mode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose in person or video call.")},
    )
    place = forms.CharField(
        label=_("Place (in person)"),
        max_length=300,
        required=False,
        help_text=_("An office address, not the client's home."),
    )
    video_link = forms.URLField(
        label=_("Video call link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Enter the full link, such as https://…")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mode = data.get("mode")
        if mode == MentoringMeeting.Mode.IN_PERSON and not data.get("place", "").strip():
            self.add_error("place", _("Say where you will meet."))
        if mode == MentoringMeeting.Mode.VIDEO and not data.get("video_link"):
            self.add_error("video_link", _("Give the link of the video call."))
        starts_at = data.get("starts_at")
        if isinstance(starts_at, dt.datetime) and starts_at <= timezone.now():
            self.add_error("starts_at", _("Choose a date and time in the future."))
        return data


class MeetingHeldForm(_Styled):
    notes = forms.CharField(
        label=_("Notes (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=MAX_NOTE,
        required=False,
    )
