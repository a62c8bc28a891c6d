"""Form fields shared by the apps' forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

# Primary keys are 64-bit signed integers (BigAutoField) on SQLite and PostgreSQL alike.
_SMALLEST_KEY = -(2**63)
_LARGEST_KEY = 2**63 - 1


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses a key no row can have before asking the database.

    Django checks each posted value with an exact lookup (which answers "no such row" for a
    number out of range) and then fetches them all with `pk__in`, which on SQLite raises
    OverflowError for a number beyond 64 bits: a form posted with "99999999999999999999" as a
    choice answered 500 instead of "choose from the list" (found by the form fuzzing in
    tests/security/test_forms_fuzz.py).
    """

    def _check_values(self, value: Any) -> Any:
        key = self.to_field_name or "pk"
        meta = self.queryset.model._meta if self.queryset is not None else None
        field = None
        if meta is not None:
            field = meta.pk if key == "pk" else meta.get_field(key)
        if isinstance(field, models.IntegerField | models.AutoField):
            for item in value if isinstance(value, list | tuple | set | frozenset) else ():
                try:
                    number = int(str(item).strip())
                except ValueError:
                    continue  # Django's own check says "not a valid value"
                if not _SMALLEST_KEY <= number <= _LARGEST_KEY:
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": str(item)[:40]},
                    )
        return super()._check_values(value)  # type: ignore[misc]  # not in django-stubs
