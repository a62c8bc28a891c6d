"""Model fields that encrypt personal data at rest (see crypto.py).

The database column is TEXT holding a Fernet token; Python code sees the clear value. Encrypted
columns cannot be filtered or ordered on: search them through a blind-index column instead.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models

from amparo.core import crypto


class EncryptedTextField(models.TextField):
    description = "Text encrypted at rest"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt_text(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return crypto.decrypt_text(value)


class EncryptedCharField(EncryptedTextField):
    """An encrypted short string: a max_length is enforced on the clear value by forms only."""

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return models.Field.formfield(self, form_class=forms.CharField, **kwargs)


class EncryptedDateField(models.TextField):
    description = "Date encrypted at rest"
    # Tell django-stubs what Python type this field holds (the column itself is text).
    _pyi_private_set_type: datetime.date | str | None  # type: ignore[assignment]
    _pyi_private_get_type: datetime.date | None  # type: ignore[assignment]

    def to_python(self, value: Any) -> datetime.date | None:
        if value is None or value == "" or isinstance(value, datetime.date):
            return value or None
        return datetime.date.fromisoformat(str(value))

    def get_prep_value(self, value: Any) -> Any:
        value = self.to_python(value)
        if value is None:
            return None
        return crypto.encrypt_text(value.isoformat())

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return None
        return datetime.date.fromisoformat(crypto.decrypt_text(value))

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return models.Field.formfield(self, form_class=forms.DateField, **kwargs)

    def value_to_string(self, obj: Any) -> str:
        value: Any = self.value_from_object(obj)
        return value.isoformat() if value else ""


ENCRYPTED_FIELD_TYPES = (EncryptedTextField, EncryptedDateField)


def encrypted_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if isinstance(f, ENCRYPTED_FIELD_TYPES)]
