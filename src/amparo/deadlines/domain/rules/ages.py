"""Age rules: the UAC 18th birthday and derivative children's 21st birthday (DEADLINE-RULES.md s.6)."""

from __future__ import annotations

from datetime import date

from amparo.deadlines.domain.dates import birthday
from amparo.deadlines.domain.facts import CaseType, FamilyMember
from amparo.deadlines.domain.results import Deadline, RuleId, details
from amparo.deadlines.domain.rules.common import ASYLUM_DERIVATIVE_CITATION, CITATIONS, family_ref
from amparo.deadlines.domain.text import en, es, sentence

# The enum members used for every case, as module globals: on Python 3.11 each ``RuleId.X``
# lookup goes through ``EnumType.__getattr__`` and costs about ten global-name reads.
_DERIVATIVE_TURNS_21 = RuleId.DERIVATIVE_TURNS_21
_UAC_TURNS_18 = RuleId.UAC_TURNS_18
_U_VISA = CaseType.U_VISA


def uac_turns_18(*, date_of_birth: date) -> Deadline:
    """UAC_TURNS_18: the 18th birthday of a designated unaccompanied child (6 U.S.C. 279(g)(2)).

    A birthday, not a filing deadline: never moved. Feb 29 births use Feb 28 (conservative).
    """
    day = birthday(date_of_birth, 18)
    return Deadline(
        rule=_UAC_TURNS_18,
        date=day,
        citation=CITATIONS[_UAC_TURNS_18],
        explanation=sentence(
            f"The child designated as an unaccompanied child turns 18 on {en(day)}, when the "
            f"unaccompanied-child definition stops applying (effects on custody, the one-year "
            f"exemption and USCIS jurisdiction need attorney review)",
            f"El/la menor designado/a como menor no acompañado/a cumple 18 años el {es(day)}, "
            f"cuando deja de aplicarse esa definición (los efectos sobre la custodia, la exención "
            f"del plazo de un año y la competencia de USCIS requieren revisión del/de la "
            f"abogado/a)",
        ),
    )


def derivative_age_out_protected(
    *, member: FamilyMember, case_type: CaseType | None, i918_filed: date | None
) -> bool | None:
    """Whether a child's age is locked (U visa: under 21 and unmarried when the I-918 was filed).

    INA 214(p)(7). For other case types the protection (INA 208(b)(3) for asylum derivatives) is
    UNVERIFIED, so the answer is None (attorney review).
    """
    if member.date_of_birth is None:
        return None
    if case_type is not _U_VISA:
        return None
    if member.married or i918_filed is None:
        return False
    return i918_filed < birthday(member.date_of_birth, 21)


def derivative_turns_21(
    *, member: FamilyMember, case_type: CaseType | None, i918_filed: date | None
) -> Deadline:
    """DERIVATIVE_TURNS_21: a child family member's 21st birthday and age-out protection.

    U visa: ages are fixed on the principal's I-918 filing date (INA 214(p)(7); 8 CFR
    214.14(a)(10)). A birthday: never moved.
    """
    if member.date_of_birth is None:
        raise ValueError("derivative_turns_21 needs the family member's date of birth")
    day = birthday(member.date_of_birth, 21)
    protected = derivative_age_out_protected(
        member=member, case_type=case_type, i918_filed=i918_filed
    )
    if case_type is not _U_VISA:
        why_en = "whether age-out protection applies in this case type needs attorney review"
        why_es = (
            "si la protección contra el cumplimiento de la edad aplica en este tipo de caso "
            "requiere revisión del/de la abogado/a"
        )
    elif member.married:
        why_en = "a married child does not qualify as a U visa derivative child"
        why_es = "un/a hijo/a casado/a no califica como hijo/a derivado/a de la visa U"
    elif i918_filed is None:
        why_en = "age-out protection starts only when the principal's I-918 is filed"
        why_es = (
            "la protección contra el cumplimiento de la edad empieza solo cuando se presenta el "
            "Formulario I-918 del/de la solicitante principal"
        )
    elif protected:
        why_en = (
            f"the age was fixed when the principal's I-918 was filed on {en(i918_filed)}, so "
            f"the child stays a child (INA 214(p)(7))"
        )
        why_es = (
            f"la edad quedó fija al presentarse el Formulario I-918 del/de la solicitante "
            f"principal el {es(i918_filed)}, por lo que sigue siendo hijo/a (INA 214(p)(7))"
        )
    else:
        why_en = f"the child was already 21 when the I-918 was filed on {en(i918_filed)}"
        why_es = f"ya tenía 21 años cuando se presentó el Formulario I-918 el {es(i918_filed)}"
    return Deadline(
        rule=_DERIVATIVE_TURNS_21,
        date=day,
        applies_to=family_ref(member.id),
        citation=(
            CITATIONS[_DERIVATIVE_TURNS_21] if case_type is _U_VISA else ASYLUM_DERIVATIVE_CITATION
        ),
        explanation=sentence(
            f"Family member {member.id} turns 21 on {en(day)}; {why_en}",
            f"El familiar {member.id} cumple 21 años el {es(day)}; {why_es}",
        ),
        details=details(age_out_protected=protected),
    )
