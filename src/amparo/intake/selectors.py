from __future__ import annotations

from django.db.models import QuerySet

from amparo.core.crypto import a_number_index
from amparo.intake.models import Client


def client_find_by_a_number(*, a_number: str) -> QuerySet[Client]:
    """Exact A-number search through the blind index; raises ValueError for a malformed number."""
    return Client.objects.filter(a_number_index=a_number_index(a_number))
