"""Conflict-of-interest checks: the blind index of party names (indexing), finding likely
matches without decrypting more than a few names (search), and running a case's check and
resolving its hits (checks). Import the services from here."""

from amparo.conflicts.services.checks import (
    AUDIT_HIT_RESOLVED,
    AttorneyConflict,
    conflict_check_attorney,
    conflict_check_case,
    conflict_hit_resolve,
    conflict_hits_record_view,
)
from amparo.conflicts.services.indexing import (
    BLIND_INDEX_PURPOSE,
    attorney_declared_conflicts_index,
    conflicts_reindex_all,
    party_index,
    party_index_for_client,
)
from amparo.conflicts.services.search import RARE_TOKEN_PARTIES

__all__ = [
    "AUDIT_HIT_RESOLVED",
    "BLIND_INDEX_PURPOSE",
    "RARE_TOKEN_PARTIES",
    "AttorneyConflict",
    "attorney_declared_conflicts_index",
    "conflict_check_attorney",
    "conflict_check_case",
    "conflict_hit_resolve",
    "conflict_hits_record_view",
    "conflicts_reindex_all",
    "party_index",
    "party_index_for_client",
]
