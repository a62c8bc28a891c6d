"""Forms of the trainings pages. They check what a person can fix in the form; the services check
again (they are the authority) and their errors come back to the form's fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from amparo.core.formfields import BoundedModelMultipleChoiceField
from amparo.people.forms import BootstrapFormMixin
from amparo.trainings.models import Course, Module, Registration


class CourseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.title)


class AttendeeChoiceField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.user.full_name)


class StyledForm(BootstrapFormMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's errors on the fields they name (the rest on the form)."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        else:
            self.add_error(None, error)


class QuizForm(StyledForm):
    """One radio group per question, in the reader's language."""

    def __init__(self, *args: Any, module: Module, **kwargs: Any) -> None:
        self.module = module
        self.questions = list(module.questions.all())
        super().__init__(*args, **kwargs)
        for number, question in enumerate(self.questions, start=1):
            self.fields[f"question_{question.pk}"] = forms.TypedChoiceField(
                label=f"{number}. {question.text}",
                choices=[(choice.pk, choice.text) for choice in question.choices.all()],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer.")},
            )
        self._style_widgets()

    def answers(self) -> dict[int, int | None]:
        return {q.pk: self.cleaned_data.get(f"question_{q.pk}") for q in self.questions}


class CertificateUploadForm(StyledForm):
    file = forms.FileField(
        label=_("Certificate"),
        help_text=_("A PDF, PNG or JPEG file of the certificate of completion."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
        error_messages={"required": _("Choose the certificate file.")},
    )
    completed_on = forms.DateField(
        label=_("Date you completed the course"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Give the date you completed the course."),
            "invalid": _("Enter a valid date."),
        },
    )


class CertificateRejectForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason (the person receives it by e-mail)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Give the reason; the person receives it by e-mail.")},
    )


class SessionForm(StyledForm):
    course = CourseChoiceField(
        label=_("Course"),
        queryset=Course.objects.none(),
        error_messages={"required": _("Choose the course.")},
    )
    starts = forms.DateTimeField(
        label=_("Starts"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": _("Give the start."), "invalid": _("Enter a date and time.")},
    )
    ends = forms.DateTimeField(
        label=_("Ends"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": _("Give the end."), "invalid": _("Enter a date and time.")},
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone of these times"),
        help_text=_("The program's time zone, or the time zone of a court."),
    )
    location = forms.CharField(label=_("Place"), max_length=300, required=False)
    video_url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=1000, initial=20)
    details = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, time_zones: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        course_field = self.fields["course"]
        assert isinstance(course_field, forms.ModelChoiceField)
        course_field.queryset = Course.objects.filter(
            active=True, kind__in=Course.SESSION_KINDS
        ).order_by("position", "title_en")
        time_zone = self.fields["time_zone"]
        assert isinstance(time_zone, forms.ChoiceField)
        time_zone.choices = time_zones
        if not self.is_bound:
            self.initial.setdefault("time_zone", time_zones[0][0] if time_zones else "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("location") or "").strip() and not data.get("video_url"):
            self.add_error("location", _("Give the place, the video link, or both."))
        return data


class AttendanceForm(StyledForm):
    attended = AttendeeChoiceField(
        label=_("Who attended"),
        queryset=Registration.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Mark only people registered for this session.")},
    )

    def __init__(self, *args: Any, registrations: list[Registration], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attended"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = (
            Registration.objects.filter(pk__in=[r.pk for r in registrations])
            .select_related("user")
            .order_by("created_at", "pk")
        )
        if not self.is_bound:
            self.initial["attended"] = [r.pk for r in registrations if r.attended]
