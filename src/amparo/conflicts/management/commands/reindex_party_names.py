"""``manage.py reindex_party_names``: rebuild the blind index of party names.

Run it after rotating AMPARO_BLIND_INDEX_KEY (every stored hash changes), after a bulk load of
clients that bypassed the intake services, or after a change to the name normalisation.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from amparo.conflicts.services import conflicts_reindex_all


class Command(BaseCommand):
    help = "Rebuild the blind index of party names used by the conflict check."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = conflicts_reindex_all()
        summary = ", ".join(f"{kind}: {n}" for kind, n in sorted(counts.items())) or "no parties"
        self.stdout.write(f"Party names indexed ({summary}).")
