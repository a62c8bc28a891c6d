"""Intake forms: the client, their family and adverse parties, and the case. Every impossible or
suspicious fact gets a clear message in the user's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.cases.models import CaseType, Hearing
from amparo.core.crypto import normalize_a_number
from amparo.courts.models import DetentionFacility, ImmigrationCourt
from amparo.intake.models import AdverseParty, FamilyMember
from amparo.intake.screening import ANSWERS
from amparo.people.models import Language

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _clean_a_number(value: str) -> str:
    if not value:
        return ""
    try:
        normalize_a_number(value)
    except ValueError:
        raise forms.ValidationError(
            _("An A-number has 8 or 9 digits, for example A-123-456-789.")
        ) from None
    return value


class IntakeCaseForm(forms.Form):
    given_names = forms.CharField(label=_("Client's given names"), max_length=120)
    family_names = forms.CharField(label=_("Client's family names"), max_length=120)
    a_number = forms.CharField(label=_("A-number"), max_length=20, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DATE, required=False)
    country_of_nationality = forms.CharField(
        label=_("Country of nationality (two-letter code, e.g. GT)"), max_length=60
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages the client speaks"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    address = forms.CharField(
        label=_("Address"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    do_not_contact_at_home = forms.BooleanField(label=_("Do not contact at home"), required=False)
    case_type = forms.ChoiceField(label=_("Case type"), choices=CaseType.choices)
    court = forms.ModelChoiceField(
        label=_("Immigration court"),
        queryset=ImmigrationCourt.objects.filter(active=True),
        required=False,
    )
    detained = forms.BooleanField(label=_("Detained"), required=False)
    detention_facility = forms.ModelChoiceField(
        label=_("Detention facility"), queryset=DetentionFacility.objects.all(), required=False
    )
    is_unaccompanied_child = forms.BooleanField(
        label=_("Designated unaccompanied child"), required=False
    )
    last_arrival = forms.DateField(
        label=_("Last arrival in the United States"), widget=DATE, required=False
    )
    supplement_b_signed = forms.DateField(
        label=_("Supplement B signed on"), widget=DATE, required=False
    )
    hearing_kind = forms.ChoiceField(
        label=_("Next hearing"),
        choices=[("", _("None scheduled")), *Hearing.Kind.choices],
        required=False,
    )
    hearing_at = forms.DateTimeField(
        label=_("Hearing date and time (court's time zone)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        required=False,
    )

    def clean_a_number(self) -> str:
        return _clean_a_number(self.cleaned_data["a_number"])

    def clean_country_of_nationality(self) -> str:
        value: str = self.cleaned_data["country_of_nationality"].strip().upper()
        if not (len(value) == 2 and value.isalpha()):
            raise forms.ValidationError(_("Use the two-letter country code, for example GT or HN."))
        return value

    def clean_date_of_birth(self) -> dt.date | None:
        born: dt.date | None = self.cleaned_data["date_of_birth"]
        if born and born > timezone.localdate():
            raise forms.ValidationError(_("The birth date is in the future."))
        if born and born.year < 1900:
            raise forms.ValidationError(_("Enter a birth date after 1900."))
        return born

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        # Far-off years are typing mistakes, and year 9999 overflows the deadline arithmetic.
        for name in ("last_arrival", "supplement_b_signed", "hearing_at"):
            value = data.get(name)
            if value is not None and not (1900 <= value.year <= today.year + 10):
                self.add_error(name, _("Check the year: it is too far from today."))
                data.pop(name, None)
        born, arrival = data.get("date_of_birth"), data.get("last_arrival")
        if arrival and arrival > today:
            self.add_error("last_arrival", _("The arrival date is in the future."))
        if arrival and born and arrival < born:
            self.add_error("last_arrival", _("The arrival date is before the birth date."))
        if data.get("detained") and not data.get("detention_facility"):
            self.add_error("detention_facility", _("A detained case needs its detention facility."))
        if not data.get("detained") and data.get("detention_facility"):
            self.add_error("detained", _("Tick 'Detained' or clear the detention facility."))
        if data.get("case_type") == CaseType.DEFENSIVE_ASYLUM and not data.get("court"):
            self.add_error("court", _("A defensive asylum case is before a court: choose it."))
        kind, when = data.get("hearing_kind"), data.get("hearing_at")
        if kind and not when:
            self.add_error("hearing_at", _("Give the hearing's date and time."))
        if when and not kind:
            self.add_error("hearing_kind", _("Say which kind of hearing it is."))
        if when and arrival and when.date() < arrival:
            self.add_error("hearing_at", _("The hearing is before the client's last arrival."))
        return data


class FamilyMemberForm(forms.Form):
    # A blank first choice: a browser submits a select's first option, and an untouched extra
    # row must stay unchanged (ignored), not become a half-filled family member.
    relationship = forms.ChoiceField(
        label=_("Relationship"), choices=[("", "—"), *FamilyMember.Relationship.choices]
    )
    given_names = forms.CharField(label=_("Given names"), max_length=120)
    family_names = forms.CharField(label=_("Family names"), max_length=120)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DATE, required=False)
    a_number = forms.CharField(label=_("A-number"), max_length=20, required=False)
    married = forms.BooleanField(label=_("Married"), required=False)
    is_derivative = forms.BooleanField(label=_("Derivative or co-respondent"), required=False)

    def clean_a_number(self) -> str:
        return _clean_a_number(self.cleaned_data["a_number"])

    def clean_date_of_birth(self) -> dt.date | None:
        born: dt.date | None = self.cleaned_data["date_of_birth"]
        if born and born > timezone.localdate():
            raise forms.ValidationError(_("The birth date is in the future."))
        return born

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("relationship") == "child" and not data.get("date_of_birth"):
            self.add_error(
                "date_of_birth", _("A child's birth date decides age-out deadlines: enter it.")
            )
        return data


class AdversePartyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *AdverseParty.Kind.choices])
    name = forms.CharField(label=_("Name"), max_length=200)
    is_organization = forms.BooleanField(label=_("Is an organization"), required=False)


# validate_max and absolute_max: a post claiming a thousand rows (TOTAL_FORMS is the sender's to
# choose) builds, checks and shows no more than the maximum; Django's default allows 1,000 more.
FamilyFormSet = forms.formset_factory(
    FamilyMemberForm, extra=2, max_num=20, validate_max=True, absolute_max=20
)
AdverseFormSet = forms.formset_factory(
    AdversePartyForm, extra=1, max_num=10, validate_max=True, absolute_max=10
)


class ScreeningForm(forms.Form):
    DECISIONS = [
        ("", _("Not decided yet")),
        ("ready", _("Ready for placement")),
        ("refer_out", _("Refer out")),
        ("decline", _("Decline")),
    ]
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, required=False)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    merits_notes = forms.CharField(
        label=_("Merits notes (confidential, never shown to volunteers before placement)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    summary_en = forms.CharField(
        label=_("Anonymized summary (English)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    summary_es = forms.CharField(
        label=_("Anonymized summary (Spanish)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    summary_reviewed = forms.BooleanField(
        label=_("I checked: the words flagged below are not the people's names"), required=False
    )
    on_public_urgent_page = forms.BooleanField(
        label=_("Also show this case, anonymized, on the public urgent-needs page"), required=False
    )

    def __init__(
        self, *args: Any, items: list[tuple[str, Any]], identifiers: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        self.identifiers = identifiers
        self.flagged: list[str] = []
        for key, label in items:
            # An unanswered item counts as "unknown": a partial screening can be saved.
            self.fields[f"answer_{key}"] = forms.ChoiceField(
                label=label, choices=ANSWERS, initial="unknown", required=False
            )
            self.fields[f"note_{key}"] = forms.CharField(
                label=_("Note"), required=False, widget=forms.TextInput()
            )

    def clean(self) -> dict[str, Any]:
        from amparo.intake.anonymity import summary_identifiers_found

        data = super().clean() or {}
        decision = data.get("decision")
        if decision in ("refer_out", "decline") and not data.get("reason", "").strip():
            self.add_error("reason", _("Give the reason for this decision."))
        if decision == "ready":
            for field in ("summary_en", "summary_es"):
                if not data.get(field, "").strip():
                    self.add_error(
                        field, _("Write the anonymized summary in English and in Spanish.")
                    )
        text = f"{data.get('summary_en', '')} {data.get('summary_es', '')}"
        self.flagged = summary_identifiers_found(text, self.identifiers)
        if self.flagged and not data.get("summary_reviewed"):
            self.add_error(
                "summary_en",
                _(
                    "The summary seems to contain a name or an A-number of the case's people: %(words)s."
                )
                % {"words": ", ".join(self.flagged)},
            )
        return data

    def answers(self) -> dict[str, dict[str, str]]:
        return {
            key: {
                "answer": self.cleaned_data.get(f"answer_{key}") or "unknown",
                "note": self.cleaned_data.get(f"note_{key}", ""),
            }
            for key, _label in self.items
        }


# A hidden field's error is shown above the form: it must make sense without the field.
FORM_OUT_OF_DATE = _("This form is out of date: open the case again and make your changes.")


class CaseEditForm(IntakeCaseForm):
    """Correct the client's and the case's facts (hearings are managed on the case's pages).

    `version` carries the case's version the form was read at: the service refuses the edit if
    someone else saved one since (optimistic versioning)."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages=dict.fromkeys(("required", "invalid", "min_value"), FORM_OUT_OF_DATE),
    )

    def __init__(self, *args: Any, case_type: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("case_type", "hearing_kind", "hearing_at"):
            del self.fields[name]
        self.fixed_case_type = case_type

    def clean(self) -> dict[str, Any]:
        self.cleaned_data["case_type"] = self.fixed_case_type
        return super().clean()
