"""U visa derivatives: who qualifies, whether age-out protection holds, and age-out risk flags.

8 CFR 214.14(a)(10) and INA 214(p)(7) (DEADLINE-RULES.md section 4): a principal 21 or older at
filing may include a spouse and unmarried children under 21; a principal under 21 at filing may
also include parents and unmarried siblings under 18. Ages are fixed on the principal's I-918
filing date. Before filing, the assessment is made for the earliest possible filing date: the
later of ``as_of`` and the planned filing date. Perpetrators are excluded (8 CFR 214.14(f)(1));
the facts carry no perpetrator field, so that exclusion is left to the attorney.
"""

from __future__ import annotations

from datetime import date

from amparo.deadlines.domain.dates import birthday, days_delta, is_under
from amparo.deadlines.domain.facts import CaseFacts, CaseType, FamilyMember, Relationship
from amparo.deadlines.domain.results import DerivativeAssessment, Flag, FlagCode, Text
from amparo.deadlines.domain.rules import family_ref
from amparo.deadlines.domain.settings import DeadlineSettings
from amparo.deadlines.domain.text import en, es, relationship, sentence

# The enum members used for every case, as module globals: on Python 3.11 each ``RuleId.X``
# lookup goes through ``EnumType.__getattr__`` and costs about ten global-name reads.
_DERIVATIVE_AGE_OUT_RISK = FlagCode.DERIVATIVE_AGE_OUT_RISK
_U_VISA = CaseType.U_VISA
_CHILD = Relationship.CHILD
_PARENT = Relationship.PARENT
_SIBLING = Relationship.SIBLING
_SPOUSE = Relationship.SPOUSE


def filing_date_for_ages(facts: CaseFacts) -> date:
    """The date on which derivative ages are (or will at the earliest be) fixed."""
    if facts.i918_filed is not None:
        return facts.i918_filed
    if facts.i918_planned is not None and facts.i918_planned > facts.as_of:
        return facts.i918_planned
    return facts.as_of


def _on(facts: CaseFacts) -> Text:
    day = filing_date_for_ages(facts)
    if facts.i918_filed is not None:
        return Text(
            en=f"on the I-918 filing date, {en(day)}", es=f"en la fecha de presentación, {es(day)}"
        )
    return Text(
        en=f"on {en(day)}, the earliest filing date (the I-918 is not filed yet)",
        es=f"el {es(day)}, la fecha de presentación más temprana (aún no se presenta el I-918)",
    )


def _assessment(
    member: FamilyMember, qualifies: bool | None, protected: bool | None, why: Text
) -> DerivativeAssessment:
    rel = relationship(member.relationship)
    return DerivativeAssessment(
        family_id=member.id,
        qualifies=qualifies,
        age_out_protected=protected,
        reason=sentence(f"{rel.en.capitalize()}: {why.en}", f"{rel.es.capitalize()}: {why.es}"),
    )


_LOCKED = Text(
    en=" and the age is fixed by the filing", es=" y la edad quedó fija con la presentación"
)
_NOT_LOCKED = Text(
    en=", but protection starts only when the I-918 is filed",
    es=", pero la protección empieza solo cuando se presenta el I-918",
)


def assess_member(facts: CaseFacts, member: FamilyMember) -> DerivativeAssessment:
    """Assess one family member of a U visa principal (8 CFR 214.14(a)(10); INA 214(p)(7))."""
    return _assess_member(facts, member, filing_date_for_ages(facts), _on(facts))


def _assess_member(
    facts: CaseFacts, member: FamilyMember, on_day: date, on: Text
) -> DerivativeAssessment:
    """``assess_member`` with the filing date for ages and its wording worked out once per case."""
    filed = facts.i918_filed is not None
    lock = _LOCKED if filed else _NOT_LOCKED

    if member.relationship is _SPOUSE:
        return _assessment(
            member,
            True,
            None,
            Text(en="a spouse qualifies at any age", es="el/la cónyuge califica a cualquier edad"),
        )

    if member.relationship is _CHILD:
        if member.married:
            return _assessment(
                member,
                False,
                False,
                Text(en="a married child does not qualify", es="un/a hijo/a casado/a no califica"),
            )
        if member.date_of_birth is None:
            return _assessment(
                member,
                None,
                None,
                Text(en="the birth date is needed", es="se necesita la fecha de nacimiento"),
            )
        turns = birthday(member.date_of_birth, 21)
        if is_under(member.date_of_birth, 21, on_day):
            return _assessment(
                member,
                True,
                filed,
                Text(
                    en=f"unmarried and under 21 {on.en}{lock.en}",
                    es=f"soltero/a y menor de 21 años {on.es}{lock.es}",
                ),
            )
        return _assessment(
            member,
            False,
            False,
            Text(
                en=f"turns or turned 21 on {en(turns)}, not under 21 {on.en}",
                es=f"cumple o cumplió 21 años el {es(turns)}, no es menor de 21 años {on.es}",
            ),
        )

    # Parents and siblings depend on the principal being under 21 at filing.
    if facts.date_of_birth is None:
        return _assessment(
            member,
            None,
            None,
            Text(
                en="the principal's birth date is needed (the principal must be under 21 at filing)",
                es="se necesita la fecha de nacimiento del/de la solicitante principal (debe ser "
                "menor de 21 años al presentar)",
            ),
        )
    principal_21 = birthday(facts.date_of_birth, 21)
    if not is_under(facts.date_of_birth, 21, on_day):
        return _assessment(
            member,
            False,
            False,
            Text(
                en=f"qualifies only if the principal is under 21 at filing, and the principal "
                f"turns or turned 21 on {en(principal_21)}",
                es=f"califica solo si el/la solicitante principal es menor de 21 años al "
                f"presentar, y cumple o cumplió 21 años el {es(principal_21)}",
            ),
        )
    if member.relationship is _PARENT:
        return _assessment(
            member,
            True,
            filed,
            Text(
                en=f"the principal is under 21 {on.en}{lock.en}",
                es=f"el/la solicitante principal es menor de 21 años {on.es}{lock.es}",
            ),
        )
    if member.married:
        return _assessment(
            member,
            False,
            False,
            Text(en="a married sibling does not qualify", es="un/a hermano/a casado/a no califica"),
        )
    if member.date_of_birth is None:
        return _assessment(
            member,
            None,
            None,
            Text(en="the birth date is needed", es="se necesita la fecha de nacimiento"),
        )
    if is_under(member.date_of_birth, 18, on_day):
        return _assessment(
            member,
            True,
            filed,
            Text(
                en=f"unmarried, under 18, and the principal is under 21 {on.en}{lock.en}",
                es=f"soltero/a, menor de 18 años, y el/la solicitante principal es menor de 21 "
                f"años {on.es}{lock.es}",
            ),
        )
    turns = birthday(member.date_of_birth, 18)
    return _assessment(
        member,
        False,
        False,
        Text(
            en=f"turns or turned 18 on {en(turns)}, not under 18 {on.en}",
            es=f"cumple o cumplió 18 años el {es(turns)}, no es menor de 18 años {on.es}",
        ),
    )


def assess_u_visa_derivatives(facts: CaseFacts) -> tuple[DerivativeAssessment, ...]:
    """Assess every family member of a U visa principal; empty for other case types."""
    if facts.case_type is not _U_VISA:
        return ()
    if not facts.family:
        return ()
    on_day = filing_date_for_ages(facts)
    on = _on(facts)
    return tuple([_assess_member(facts, member, on_day, on) for member in facts.family])


def _approaching(
    facts: CaseFacts, turning_day: date, settings: DeadlineSettings, *, keep_after: bool
) -> bool:
    """Whether ``turning_day`` is within the warning lead time (or passed, if ``keep_after``),
    or falls on or before the planned filing date."""
    if facts.as_of >= turning_day - days_delta(settings.age_out_warning_days):
        return keep_after or facts.as_of < turning_day
    return facts.i918_planned is not None and facts.i918_planned >= turning_day


def age_out_risk_flags(facts: CaseFacts, settings: DeadlineSettings) -> tuple[Flag, ...]:
    """DERIVATIVE_AGE_OUT_RISK flags (DEADLINE-RULES.md sections 4 and 6).

    U visa, I-918 not filed: an unmarried child within the lead time of 21 (or already 21), an
    unmarried sibling within the lead time of 18 (or already 18), or the principal within the
    lead time of 21 (for parents and siblings); also whenever the planned filing date is on or
    after the birthday. Other case types: an unmarried child within the lead time of 21 or older,
    because the protection for asylum derivatives is UNVERIFIED here.
    """
    flags: list[Flag] = []
    u_visa = facts.case_type is _U_VISA
    if (u_visa and facts.i918_filed is not None) or not facts.family:
        return ()
    principal_21 = birthday(facts.date_of_birth, 21) if facts.date_of_birth is not None else None
    for member in facts.family:
        dob = member.date_of_birth
        if member.relationship is _CHILD and dob is not None and not member.married:
            turns = birthday(dob, 21)
            if u_visa and _approaching(facts, turns, settings, keep_after=True):
                flags.append(
                    Flag(
                        code=_DERIVATIVE_AGE_OUT_RISK,
                        applies_to=family_ref(member.id),
                        message=sentence(
                            f"Family member {member.id} (child) turns or turned 21 on {en(turns)} "
                            f"and the principal's I-918 is not filed: a child's age is fixed only "
                            f"by filing before that date (INA 214(p)(7))",
                            f"El familiar {member.id} (hijo/a) cumple o cumplió 21 años el "
                            f"{es(turns)} y no se ha presentado el Formulario I-918 del/de la "
                            f"solicitante principal: la edad solo queda fija si se presenta antes "
                            f"de esa fecha (INA 214(p)(7))",
                        ),
                    )
                )
            elif not u_visa and facts.as_of >= turns - days_delta(settings.age_out_warning_days):
                flags.append(
                    Flag(
                        code=_DERIVATIVE_AGE_OUT_RISK,
                        applies_to=family_ref(member.id),
                        message=sentence(
                            f"Family member {member.id} (child) turns or turned 21 on {en(turns)}: "
                            f"whether the child keeps derivative eligibility (INA 208(b)(3) for "
                            f"asylum) needs attorney review",
                            f"El familiar {member.id} (hijo/a) cumple o cumplió 21 años el "
                            f"{es(turns)}: si conserva la elegibilidad como derivado/a (INA "
                            f"208(b)(3) para asilo) requiere revisión del/de la abogado/a",
                        ),
                    )
                )
        if not u_visa:
            continue
        principal_may_be_under_21 = principal_21 is None or facts.as_of < principal_21
        if (
            member.relationship is _SIBLING
            and dob is not None
            and not member.married
            and principal_may_be_under_21
        ):
            turns = birthday(dob, 18)
            if _approaching(facts, turns, settings, keep_after=True):
                flags.append(
                    Flag(
                        code=_DERIVATIVE_AGE_OUT_RISK,
                        applies_to=family_ref(member.id),
                        message=sentence(
                            f"Family member {member.id} (sibling) turns or turned 18 on "
                            f"{en(turns)} and the principal's I-918 is not filed: a sibling must "
                            f"be under 18 on the filing date (8 CFR 214.14(a)(10))",
                            f"El familiar {member.id} (hermano/a) cumple o cumplió 18 años el "
                            f"{es(turns)} y no se ha presentado el Formulario I-918: un/a "
                            f"hermano/a debe ser menor de 18 años en la fecha de presentación "
                            f"(8 CFR 214.14(a)(10))",
                        ),
                    )
                )
        if (
            member.relationship in (_PARENT, _SIBLING)
            and principal_21 is not None
            and _approaching(facts, principal_21, settings, keep_after=False)
        ):
            flags.append(
                Flag(
                    code=_DERIVATIVE_AGE_OUT_RISK,
                    applies_to=family_ref(member.id),
                    message=sentence(
                        f"The principal turns 21 on {en(principal_21)} and the I-918 is not "
                        f"filed: family member {member.id} ({member.relationship.value}) "
                        f"qualifies only if the principal is under 21 on the filing date "
                        f"(8 CFR 214.14(a)(10))",
                        f"El/la solicitante principal cumple 21 años el {es(principal_21)} y no "
                        f"se ha presentado el Formulario I-918: el familiar {member.id} "
                        f"({relationship(member.relationship).es}) califica solo si el/la "
                        f"solicitante principal es menor de 21 años en la fecha de presentación "
                        f"(8 CFR 214.14(a)(10))",
                    ),
                )
            )
    return tuple(flags)
