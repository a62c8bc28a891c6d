"""The screening checklist per case type: what a coordinator confirms before a case is placed.

From the programs' practice (seeds/000: "carefully screen client cases"): protected ground and
nexus, the one-year deadline, bars, and the facts for asylum; the qualifying crime, certifying
agency, harm and admissibility for U visas.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ANSWERS = [("unknown", _("Not yet known")), ("yes", _("Yes")), ("no", _("No"))]

CHECKLISTS: dict[str, list[tuple[str, Promise]]] = {
    "defensive_asylum": [
        (
            "protected_ground",
            _(
                "Harm on account of a protected ground (race, religion, nationality, political opinion, particular social group)"
            ),
        ),
        ("nexus", _("Nexus between the harm and the protected ground")),
        ("persecution_facts", _("Past persecution or a well-founded fear is described")),
        (
            "one_year",
            _("One-year filing deadline met, exempt (unaccompanied child) or an exception applies"),
        ),
        ("prior_removal", _("No prior removal order or reinstatement issue")),
        ("criminal_history", _("No criminal history that could bar asylum")),
        ("firm_resettlement", _("No firm resettlement in another country")),
    ],
    "affirmative_asylum": [
        (
            "protected_ground",
            _(
                "Harm on account of a protected ground (race, religion, nationality, political opinion, particular social group)"
            ),
        ),
        ("nexus", _("Nexus between the harm and the protected ground")),
        ("persecution_facts", _("Past persecution or a well-founded fear is described")),
        ("one_year", _("One-year filing deadline met or an exception applies")),
        ("criminal_history", _("No criminal history that could bar asylum")),
        ("not_in_proceedings", _("Not in removal proceedings (otherwise the case is defensive)")),
    ],
    "u_visa": [
        ("qualifying_crime", _("Victim of a qualifying criminal activity")),
        (
            "certifying_agency",
            _("A certifying agency is identified (police, prosecutor, judge, other)"),
        ),
        ("certification_status", _("Supplement B requested or signed")),
        ("helpfulness", _("Helpful to law enforcement (past, present or likely)")),
        ("substantial_harm", _("Substantial physical or mental abuse from the crime")),
        ("admissibility", _("Admissibility issues identified (a waiver, I-192, may be needed)")),
    ],
}


def checklist_for(case_type: str) -> list[tuple[str, Promise]]:
    return CHECKLISTS.get(case_type, [])
