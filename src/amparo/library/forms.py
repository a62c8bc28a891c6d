"""Forms of the library. They check what a person can fix in the form, in their language; the
services check again (they are the authority) and their errors come back here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from amparo.cases.models import CaseType
from amparo.core.formfields import BoundedModelMultipleChoiceField
from amparo.deadlines.models import MilestoneTemplateItem
from amparo.intake.imports import ISO_COUNTRY_CODES
from amparo.library.models import DocumentKind, Topic
from amparo.library.selectors import milestone_item_choices, topic_list
from amparo.library.uploads import max_upload_mb, upload_check
from amparo.people.forms import BootstrapFormMixin
from amparo.people.models import Language

REDACTION_REMINDER = _(
    "Library documents are samples, not client files: before uploading, remove or replace every "
    "client's name, A-number, date of birth, address, family members' names and any other detail "
    "that could identify a person."
)
ACCEPTED_FILES = ".pdf,.docx,.doc,.odt,.xlsx,.txt"


def _file_field(**kwargs: Any) -> forms.FileField:
    return forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word (DOCX, DOC), OpenDocument (ODT), Excel (XLSX) or plain text (TXT)."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_FILES}),
        **kwargs,
    )


def _redacted_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("I confirm this sample contains no client's name or other identifying detail."),
        error_messages={"required": _("Confirm that the sample has been redacted.")},
    )


class TopicsField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)  # in the active language


class DocumentForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    title_es = forms.CharField(label=_("Title in Spanish"), max_length=200, required=False)
    description_en = forms.CharField(
        label=_("Description in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description_es = forms.CharField(
        label=_("Description in Spanish"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    language = forms.ChoiceField(
        label=_("Language of the document"), choices=Language.choices, initial="en"
    )
    country = forms.CharField(
        label=_("Country (two-letter code, e.g. GT)"),
        max_length=2,
        required=False,
        help_text=_("For country-conditions packets and other country-specific materials."),
    )
    case_types = forms.MultipleChoiceField(
        label=_("Case types"),
        choices=CaseType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    topics = TopicsField(
        label=_("Topics"),
        queryset=Topic.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        topics_field = self.fields["topics"]
        assert isinstance(topics_field, forms.ModelMultipleChoiceField)
        topics_field.queryset = topic_list()
        self._style_widgets()

    def clean_country(self) -> str:
        value: str = self.cleaned_data["country"].strip().upper()
        if value and value not in ISO_COUNTRY_CODES:
            raise forms.ValidationError(_("Use the two-letter country code, for example GT or HN."))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (cleaned.get("title_en", "").strip() or cleaned.get("title_es", "").strip()):
            self.add_error("title_en", _("Give the document a title in English or in Spanish."))
        return cleaned


class DocumentCreateForm(DocumentForm):
    file = _file_field()
    notes = forms.CharField(
        label=_("Notes on this version"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    redacted = _redacted_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, Word (DOCX, DOC), OpenDocument (ODT), Excel (XLSX) or plain text (TXT), up to "
            "%(max)s MB."
        ) % {"max": max_upload_mb()}

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        upload_check(file)
        return file


class VersionForm(BootstrapFormMixin, forms.Form):
    file = _file_field()
    notes = forms.CharField(
        label=_("What changed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what changed in this version.")},
    )
    redacted = _redacted_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, Word (DOCX, DOC), OpenDocument (ODT), Excel (XLSX) or plain text (TXT), up to "
            "%(max)s MB."
        ) % {"max": max_upload_mb()}
        self._style_widgets()

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        upload_check(file)
        return file


_CASE_TYPE_LABELS = dict(CaseType.choices)


class MilestoneItemField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        item: MilestoneTemplateItem = obj
        case_type = _CASE_TYPE_LABELS.get(item.template.case_type, item.template.case_type)
        title = (item.title_es or item.title_en) if get_language() == "es" else item.title_en
        return f"{case_type} · {item.order}. {title}"


class StrategyNoteForm(BootstrapFormMixin, forms.Form):
    case_type = forms.ChoiceField(label=_("Case type"), choices=CaseType.choices)
    milestone_item = MilestoneItemField(
        label=_("Milestone it explains"),
        queryset=MilestoneTemplateItem.objects.none(),
        required=False,
        empty_label=_("None: general guidance for the case type"),
        help_text=_("The note is shown beside this milestone in each case's plan."),
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    title_es = forms.CharField(label=_("Title in Spanish"), max_length=200, required=False)
    body_en = forms.CharField(
        label=_("Text in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Plain text: a blank line starts a new paragraph."),
    )
    body_es = forms.CharField(
        label=_("Text in Spanish"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Plain text: a blank line starts a new paragraph."),
    )

    def __init__(self, *args: Any, fixed_case_type: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        item_field = self.fields["milestone_item"]
        assert isinstance(item_field, forms.ModelChoiceField)
        item_field.queryset = milestone_item_choices(case_type=fixed_case_type)
        if fixed_case_type:
            # An existing note keeps its case type; its milestones are that type's.
            del self.fields["case_type"]
        self._style_widgets()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (cleaned.get("title_en", "").strip() or cleaned.get("title_es", "").strip()):
            self.add_error("title_en", _("Give the note a title in English or in Spanish."))
        if not (cleaned.get("body_en", "").strip() or cleaned.get("body_es", "").strip()):
            self.add_error("body_en", _("Write the note in English or in Spanish."))
        item = cleaned.get("milestone_item")
        case_type = cleaned.get("case_type")
        if item is not None and case_type and item.template.case_type != case_type:
            self.add_error("milestone_item", _("Choose a milestone of this case type's plan."))
        return cleaned
