"""The deadline rules. Each function encodes one rule of DEADLINE-RULES.md and cites it.

Counting conventions (DEADLINE-RULES.md section 0): days are calendar days; a forward period
counts the anchor as day 0 and, when its last day is a Saturday, Sunday or legal holiday, runs to
the next business day (8 CFR 1.2 / 1001.1(h)); the ICPM's pre-hearing periods count back from the
hearing and move a non-business day toward the hearing, with a separately labelled safe target;
nothing else is ever moved backward.
"""

from amparo.deadlines.domain.rules.ages import (
    derivative_age_out_protected,
    derivative_turns_21,
    uac_turns_18,
)
from amparo.deadlines.domain.rules.asylum import asylum_ead_file, asylum_ead_grant, asylum_one_year
from amparo.deadlines.domain.rules.common import CITATIONS, family_ref, filing_ref, hearing_ref
from amparo.deadlines.domain.rules.court import (
    bia_appeal,
    icpm_prehearing,
    icpm_response,
    motion_to_reconsider,
    motion_to_reopen,
)
from amparo.deadlines.domain.rules.uscis import sij_under_21, uscis_response, uvisa_supplement_b

__all__ = [
    "CITATIONS",
    "asylum_ead_file",
    "asylum_ead_grant",
    "asylum_one_year",
    "bia_appeal",
    "derivative_age_out_protected",
    "derivative_turns_21",
    "family_ref",
    "filing_ref",
    "hearing_ref",
    "icpm_prehearing",
    "icpm_response",
    "motion_to_reconsider",
    "motion_to_reopen",
    "sij_under_21",
    "uac_turns_18",
    "uscis_response",
    "uvisa_supplement_b",
]
