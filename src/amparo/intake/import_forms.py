"""Forms of the bulk case import: the upload, and the confirmation of a validated upload."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from amparo.intake.imports import MAX_FILE_BYTES, case_import_file_format


class CaseImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File to upload (CSV or XLSX)"),
        help_text=_("Up to 5 MB and 10,000 cases, with the column names in row 1."),
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control",
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if case_import_file_format(filename=upload.name or "") is None:
            raise forms.ValidationError(
                _("Upload a CSV or XLSX file (its name ends in .csv or .xlsx).")
            )
        if upload.size is not None and upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB. Split it into smaller files.")
                % {"size": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return upload


class CaseImportConfirmForm(forms.Form):
    # Names the upload kept in the session, so that a page left open on an older preview cannot
    # save a different file uploaded since in another tab.
    upload_id = forms.CharField(widget=forms.HiddenInput, max_length=64)
