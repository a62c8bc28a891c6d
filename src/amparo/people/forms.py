"""Forms of the volunteer network. They check what a person can fix in the form, in their
language; the services check again (they are the authority) and their errors come back here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from amparo.core.formfields import BoundedModelMultipleChoiceField
from amparo.courts.models import ImmigrationCourt
from amparo.people import services
from amparo.people.models import (
    AttorneyProfile,
    BarAdmission,
    Interest,
    Jurisdiction,
    Language,
    VerificationMethod,
)

BAR_ADMISSION_ROWS = 3
BAR_ADMISSION_MAX_ROWS = 12
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _yes_no(value: str) -> bool:
    return value == "yes"


class BootstrapFormMixin:
    """Bootstrap classes on the widgets, and `is-invalid` on fields with errors. Django (5.x) adds
    aria-invalid and aria-describedby="<id>_helptext <id>_error"; templates give those ids."""

    fields: dict[str, forms.Field]
    # Labels of optional fields say "(optional)", unless whether a field is needed depends on
    # the button pressed (DecisionForm).
    optional_hint = True

    def _style_widgets(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                css = "form-check-input"  # on each option's input
            elif isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)  # type: ignore[misc]
        names = (
            error.error_dict.keys()
            if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict")
            else [field]
        )
        for name in names:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class VolunteerSignupForm(BootstrapFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    firm_name = forms.CharField(
        label=_("Law firm"),
        max_length=200,
        required=False,
        help_text=_("Leave empty if you practice on your own."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you work in"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language.")},
    )
    experience = forms.ChoiceField(
        label=_("Immigration experience"),
        choices=AttorneyProfile.Experience.choices,
        widget=forms.RadioSelect,
    )
    interests = forms.MultipleChoiceField(
        label=_("Cases you are interested in"),
        choices=Interest.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    capacity = forms.IntegerField(
        label=_("How many active cases can you take at once?"),
        min_value=services.CAPACITY_MIN,
        max_value=services.CAPACITY_MAX,
        initial=1,
    )
    malpractice_coverage = forms.ChoiceField(
        label=_("Does your malpractice coverage include immigration work?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Answer yes or no.")},
        help_text=_(
            "The program cannot provide malpractice insurance. Ask your provider whether you can "
            "add immigration law as a practice area for this limited purpose, or ask the "
            "organization that places your case whether it can cover it."
        ),
    )
    declared_conflicts = forms.CharField(
        label=_("Conflicts of interest"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "People or organizations you cannot act against, for example your firm's clients."
        ),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the program checks my bar standing and keeps the information in this "
            "form to place cases with me and contact me."
        ),
        error_messages={"required": _("Your consent is needed to sign up.")},
    )
    # Honeypot: hidden from people (and from screen readers), filled by bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get(self.add_prefix("website"), "").strip())

    def clean_email(self) -> str:
        email = services.email_normalize(self.cleaned_data["email"])
        if services.email_is_taken(email=email):
            raise ValidationError(_("An account with this e-mail already exists."))
        return email

    def clean_firm_name(self) -> str:
        name: str = self.cleaned_data["firm_name"]
        if services.firm_name_conflict(name=name):
            raise ValidationError(_("This name belongs to an organization that is not a law firm."))
        return " ".join(name.split())

    def clean_malpractice_coverage(self) -> bool:
        return _yes_no(self.cleaned_data["malpractice_coverage"])


class BarAdmissionForm(BootstrapFormMixin, forms.Form):
    state = forms.ChoiceField(
        label=_("State"), choices=[("", "—"), *Jurisdiction.choices], required=True
    )
    bar_number = forms.CharField(label=_("Bar number"), max_length=40)
    year_admitted = forms.IntegerField(label=_("Year admitted"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()

    def clean_bar_number(self) -> str:
        return services.bar_number_normalize(self.cleaned_data["bar_number"])

    def clean_year_admitted(self) -> int:
        year: int = self.cleaned_data["year_admitted"]
        error = services.admission_year_error(year=year)
        if error:
            raise ValidationError(error)
        return year

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        state, number = cleaned.get("state"), cleaned.get("bar_number")
        if state and number and services.bar_number_is_claimed(state=state, bar_number=number):
            self.add_error(
                "bar_number",
                _("This bar number is already registered to another attorney in this state."),
            )
        return cleaned

    def as_data(self) -> services.BarAdmissionData:
        return services.BarAdmissionData(
            state=self.cleaned_data["state"],
            bar_number=self.cleaned_data["bar_number"],
            year_admitted=self.cleaned_data["year_admitted"],
        )


if TYPE_CHECKING:
    _FormSetBase = BaseFormSet[BarAdmissionForm]
else:  # BaseFormSet is generic for the type checker only
    _FormSetBase = BaseFormSet


class BaseBarAdmissionFormSet(_FormSetBase):
    """Blank rows are allowed; at least one admission, and none twice."""

    def initial_form_count(self) -> int:
        # Every row is an "extra" row that may stay blank, also rows given back as typed (see
        # the "add a row" button) and whatever INITIAL_FORMS a client sends.
        return 0

    def clean(self) -> None:
        if any(form.errors for form in self.forms):
            return
        seen: set[tuple[str, str]] = set()
        filled = 0
        for form in self.forms:
            if not form.has_changed():
                continue
            filled += 1
            key = (form.cleaned_data["state"], form.cleaned_data["bar_number"])
            if key in seen:
                form.add_error("bar_number", _("You entered this bar admission twice."))
            seen.add(key)
        if not filled and self.forms:
            first = self.forms[0]
            for name in ("state", "bar_number", "year_admitted"):
                first.add_error(name, _("Enter at least one bar admission."))
            raise ValidationError(_("Enter at least one bar admission."))

    def admissions(self) -> list[services.BarAdmissionData]:
        return [form.as_data() for form in self.forms if form.has_changed() and form.cleaned_data]


def bar_admission_formset_class(
    *, extra: int = BAR_ADMISSION_ROWS
) -> type[BaseBarAdmissionFormSet]:
    formset_class = formset_factory(
        BarAdmissionForm,
        formset=BaseBarAdmissionFormSet,
        extra=extra,
        max_num=BAR_ADMISSION_MAX_ROWS,
        validate_max=True,
        absolute_max=BAR_ADMISSION_MAX_ROWS,
    )
    return cast("type[BaseBarAdmissionFormSet]", formset_class)


BarAdmissionFormSet = bar_admission_formset_class()


class DecisionForm(BootstrapFormMixin, forms.Form):
    """A coordinator's decision on a pending (or suspended) attorney: approve or decline."""

    DECISIONS = [("approve", _("Approve")), ("decline", _("Decline"))]
    optional_hint = False

    decision = forms.ChoiceField(choices=DECISIONS, widget=forms.HiddenInput)
    method = forms.ChoiceField(
        label=_("How did you verify bar standing?"),
        choices=[("", "—"), *VerificationMethod.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example the lookup's date and page, or whom you spoke with."),
    )
    reason = forms.CharField(
        label=_("Reason for declining"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only if you decline. The volunteer receives it by e-mail."),
    )

    def __init__(self, *args: Any, admissions: list[BarAdmission], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.admissions = admissions
        for admission in admissions:
            self.fields[self.standing_field_name(admission)] = forms.ChoiceField(
                label=_("%(admission)s in good standing?") % {"admission": admission},
                choices=YES_NO,
                widget=forms.RadioSelect,
                required=False,
            )
        self._style_widgets()

    @staticmethod
    def standing_field_name(admission: BarAdmission) -> str:
        return f"standing_{admission.pk}"

    def standing_fields(self) -> list[forms.BoundField]:
        return [self[self.standing_field_name(admission)] for admission in self.admissions]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        decision = cleaned.get("decision")
        if decision == "decline":
            if not cleaned.get("reason", "").strip():
                self.add_error(
                    "reason", _("Give the reason for declining; the volunteer receives it.")
                )
        elif decision == "approve":
            if not cleaned.get("method"):
                self.add_error("method", _("Choose how you verified bar standing."))
            elif cleaned["method"] == VerificationMethod.OTHER and not cleaned.get("note"):
                self.add_error("note", _("Describe how you verified bar standing."))
            for admission in self.admissions:
                name = self.standing_field_name(admission)
                if not cleaned.get(name):
                    self.add_error(name, _("Say whether this admission is in good standing."))
        return cleaned

    def admissions_in_good_standing(self) -> dict[int, bool]:
        return {
            admission.pk: _yes_no(self.cleaned_data[self.standing_field_name(admission)])
            for admission in self.admissions
        }


class SuspendForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for the suspension"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The attorney receives it by e-mail."),
        error_messages={
            "required": _("Give the reason for the suspension; the attorney receives it.")
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()


class CourtMultipleChoiceField(BoundedModelMultipleChoiceField):
    """Courts by name and state: 'Eloy Immigration Court (AZ)'."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.state})"


class AttorneyProfileForm(BootstrapFormMixin, forms.Form):
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you work in"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language.")},
    )
    interests = forms.MultipleChoiceField(
        label=_("Cases you are interested in"),
        choices=Interest.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    capacity = forms.IntegerField(
        label=_("How many active cases can you take at once?"),
        min_value=services.CAPACITY_MIN,
        max_value=services.CAPACITY_MAX,
    )
    declared_conflicts = forms.CharField(
        label=_("Conflicts of interest"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "People or organizations you cannot act against, for example your firm's clients."
        ),
    )
    courts = CourtMultipleChoiceField(
        label=_("Immigration courts where you can appear"),
        queryset=ImmigrationCourt.objects.filter(active=True),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "Leave empty if you can appear in any court. Hold Ctrl (Cmd on a Mac) to choose "
            "several. Cases without a court, such as affirmative asylum, are always shown."
        ),
        error_messages={
            "invalid_choice": _("Choose courts from the list."),
            "invalid_pk_value": _("Choose courts from the list."),
        },
    )
    board_digest = forms.ChoiceField(
        label=_("E-mail me new cases on the board"),
        choices=AttorneyProfile.BoardDigest.choices,
        widget=forms.RadioSelect,
        help_text=_("Only new cases that fit your languages, interests and courts."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()

    @classmethod
    def initial_for(cls, profile: AttorneyProfile) -> dict[str, Any]:
        return {
            "phone": profile.phone,
            "languages": profile.languages,
            "interests": profile.interests,
            "capacity": profile.capacity,
            "declared_conflicts": profile.declared_conflicts,
            "courts": [court.pk for court in profile.courts.all()],
            "board_digest": profile.board_digest,
        }
