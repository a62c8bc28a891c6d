"""Compute every deadline, flag and derivative assessment of one case.

Pure and deterministic: the result depends only on the facts (including ``as_of``), the calendar
and the settings. Deadlines come in the order of the rule table of the issue, then in the order
of the facts (hearing 0, 1, ...); flags follow the same order, closure warnings last.
"""

from __future__ import annotations

from datetime import date

from amparo.deadlines.domain.business_days import BusinessCalendar
from amparo.deadlines.domain.dates import age_on, birthday, days_delta
from amparo.deadlines.domain.derivatives import age_out_risk_flags, assess_u_visa_derivatives
from amparo.deadlines.domain.facts import CaseFacts, CaseType, Relationship
from amparo.deadlines.domain.results import (
    CaseResult,
    Deadline,
    Flag,
    FlagCode,
    RuleId,
    Text,
)
from amparo.deadlines.domain.rules import (
    asylum_ead_file,
    asylum_ead_grant,
    asylum_one_year,
    bia_appeal,
    derivative_turns_21,
    icpm_prehearing,
    icpm_response,
    motion_to_reconsider,
    motion_to_reopen,
    sij_under_21,
    uac_turns_18,
    uscis_response,
    uvisa_supplement_b,
)
from amparo.deadlines.domain.settings import DEFAULT_SETTINGS, DeadlineSettings
from amparo.deadlines.domain.text import en, es, sentence

# The enum members used for every case, as module globals: on Python 3.11 each ``RuleId.X``
# lookup goes through ``EnumType.__getattr__`` and costs about ten global-name reads.
_ASYLUM_ONE_YEAR = RuleId.ASYLUM_ONE_YEAR
_BIA_APPEAL_30 = RuleId.BIA_APPEAL_30
_ICPM_PREHEARING = RuleId.ICPM_PREHEARING
_ICPM_RESPONSE_10 = RuleId.ICPM_RESPONSE_10
_MOTION_RECONSIDER_30 = RuleId.MOTION_RECONSIDER_30
_MOTION_REOPEN_90 = RuleId.MOTION_REOPEN_90
_SIJ_UNDER_21 = RuleId.SIJ_UNDER_21
_USCIS_RESPONSE = RuleId.USCIS_RESPONSE
_UVISA_SUPB_6_MONTHS = RuleId.UVISA_SUPB_6_MONTHS
_ONE_YEAR_DEADLINE_MISSED = FlagCode.ONE_YEAR_DEADLINE_MISSED
_ONE_YEAR_EXEMPT_UAC = FlagCode.ONE_YEAR_EXEMPT_UAC
_POSSIBLE_CLOSURE = FlagCode.POSSIBLE_CLOSURE
_REQUEST_NEW_SUPB = FlagCode.REQUEST_NEW_SUPB
_SIJ_FILE_BEFORE_21 = FlagCode.SIJ_FILE_BEFORE_21
_UAC_STATUS_CONTESTED = FlagCode.UAC_STATUS_CONTESTED
_U_VISA = CaseType.U_VISA
_CHILD = Relationship.CHILD

#: Rules whose date is a last day to act, so a listed closure on it matters (POSSIBLE_CLOSURE).
#: Earliest dates (EAD clock) and birthdays are not acts that a closed office could block.
_LAST_DAY_RULES = frozenset(
    {
        _ASYLUM_ONE_YEAR,
        _ICPM_PREHEARING,
        _ICPM_RESPONSE_10,
        _BIA_APPEAL_30,
        _MOTION_REOPEN_90,
        _MOTION_RECONSIDER_30,
        _UVISA_SUPB_6_MONTHS,
        _SIJ_UNDER_21,
        _USCIS_RESPONSE,
    }
)
_PAPER_TIMELY_BY = "paper_filing_timely_if_received_by"
_TIMELY_BY = "timely_if_received_by"
_ALSO_CHECKED_DETAILS = (_PAPER_TIMELY_BY, _TIMELY_BY)
#: The rules whose details carry one of those second dates (SIJ_UNDER_21: the paper filing date;
#: USCIS_RESPONSE: the timely-if-received date).
_RULES_WITH_SECOND_DATES = frozenset({_SIJ_UNDER_21, _USCIS_RESPONSE})


def _uac_contest_reasons(facts: CaseFacts) -> tuple[Text, ...]:
    """Why a designated UAC's status may be contested (DEADLINE-RULES.md section 1)."""
    if not facts.is_uac:
        return ()
    reasons: list[Text] = []
    if facts.date_of_birth is not None and age_on(facts.date_of_birth, facts.as_of) >= 18:
        turned = birthday(facts.date_of_birth, 18)
        reasons.append(Text(en=f"turned 18 on {en(turned)}", es=f"cumplió 18 años el {es(turned)}"))
    if facts.arrived_with_parent:
        reasons.append(
            Text(
                en="the facts also say the child arrived with a parent",
                es="los datos también indican que llegó con su padre o madre",
            )
        )
    return tuple(reasons)


def _one_year(
    facts: CaseFacts, calendar: BusinessCalendar, contested: tuple[Text, ...]
) -> tuple[list[Deadline], list[Flag]]:
    """ASYLUM_ONE_YEAR and its flags (INA 208(a)(2)(B), (D), (E))."""
    deadlines: list[Deadline] = []
    flags: list[Flag] = []
    if facts.case_type is _U_VISA:
        return deadlines, flags
    if facts.is_uac:
        if contested:
            note_en = " (the designation is contested, so the one-year date is still shown)"
            note_es = (
                " (la designación está en duda, por lo que igual se muestra el plazo de un año)"
            )
        else:
            note_en = note_es = ""
        flags.append(
            Flag(
                code=_ONE_YEAR_EXEMPT_UAC,
                message=sentence(
                    f"Designated unaccompanied child: the one-year asylum filing deadline does not "
                    f"apply (INA 208(a)(2)(E)){note_en}",
                    f"Menor no acompañado/a designado/a: no se aplica el plazo de un año para "
                    f"solicitar asilo (INA 208(a)(2)(E)){note_es}",
                ),
            )
        )
        if not contested:
            return deadlines, flags
    if facts.last_arrival is None:
        return deadlines, flags
    deadline = asylum_one_year(last_arrival=facts.last_arrival, calendar=calendar)
    deadlines.append(deadline)
    received = facts.i589_received
    if received is not None and received > deadline.date:
        state_en = f"the I-589 was received on {en(received)}, after it"
        state_es = f"la solicitud de asilo se recibió el {es(received)}, después de esa fecha"
    elif received is None and facts.as_of > deadline.date:
        state_en = "no I-589 received is recorded"
        state_es = "no consta que se haya recibido la solicitud de asilo"
    else:
        return deadlines, flags
    flags.append(
        Flag(
            code=_ONE_YEAR_DEADLINE_MISSED,
            message=sentence(
                f"The one-year deadline of {en(deadline.date)} has passed and {state_en}: an "
                f"exception for changed or extraordinary circumstances (INA 208(a)(2)(D)) needs "
                f"attorney review, and withholding of removal and CAT protection have no one-year "
                f"deadline",
                f"El plazo de un año venció el {es(deadline.date)} y {state_es}: una excepción por "
                f"circunstancias cambiantes o extraordinarias (INA 208(a)(2)(D)) requiere revisión "
                f"del/de la abogado/a, y la suspensión de la deportación (withholding of removal) y "
                f"la protección conforme a la Convención contra la Tortura (CAT) no tienen plazo "
                f"de un año",
            ),
        )
    )
    return deadlines, flags


def _supplement_b_flag(facts: CaseFacts, signed: date, deadline: Deadline) -> Flag | None:
    """REQUEST_NEW_SUPB: past the last safe receipt date without a timely I-918 (8 CFR 214.14)."""
    filed = facts.i918_filed
    if filed is None and facts.as_of > deadline.date:
        return Flag(
            code=_REQUEST_NEW_SUPB,
            message=sentence(
                f"The Supplement B signed on {en(signed)} is past its last safe USCIS receipt date "
                f"of {en(deadline.date)} and no I-918 is filed: request a new certification from "
                f"the certifying agency",
                f"El Suplemento B firmado el {es(signed)} pasó su última fecha segura de recibo en "
                f"USCIS, el {es(deadline.date)}, y no se ha presentado el Formulario I-918: "
                f"solicite una nueva certificación a la agencia del orden público",
            ),
        )
    if filed is not None and filed > deadline.date:
        return Flag(
            code=_REQUEST_NEW_SUPB,
            message=sentence(
                f"The I-918 was filed on {en(filed)}, after the last safe receipt date of "
                f"{en(deadline.date)} for the Supplement B signed on {en(signed)}: the "
                f"certification may have expired, so consider a new Supplement B",
                f"El Formulario I-918 se presentó el {es(filed)}, después de la última fecha "
                f"segura de recibo ({es(deadline.date)}) del Suplemento B firmado el {es(signed)}: "
                f"la certificación pudo haber vencido, por lo que conviene pedir un nuevo "
                f"Suplemento B",
            ),
        )
    return None


def _sij_flag(facts: CaseFacts, deadline: Deadline, settings: DeadlineSettings) -> Flag | None:
    """SIJ_FILE_BEFORE_21 (DEADLINE-RULES.md section 6): near or past the last day, not filed."""
    last_day = deadline.date
    filed = facts.i360_filed
    if filed is not None and filed <= last_day:
        return None
    if filed is not None:
        state_en = f"the I-360 was filed on {en(filed)}, after it"
        state_es = f"el Formulario I-360 se presentó el {es(filed)}, después de esa fecha"
    elif facts.as_of >= last_day - days_delta(settings.age_out_warning_days):
        state_en = "no I-360 filing is recorded"
        state_es = "no consta la presentación del Formulario I-360"
    else:
        return None
    return Flag(
        code=_SIJ_FILE_BEFORE_21,
        message=sentence(
            f"The last day to file the I-360 while under 21 is {en(last_day)} and {state_en}: "
            f"this needs attorney review now",
            f"El último día para presentar el Formulario I-360 siendo menor de 21 años es el "
            f"{es(last_day)} y {state_es}: esto requiere revisión inmediata del/de la abogado/a",
        ),
    )


def _closure_flags(deadlines: list[Deadline], calendar: BusinessCalendar) -> list[Flag]:
    """POSSIBLE_CLOSURE: a last-day date falls on a listed closure (DEADLINE-RULES.md s.0).

    Whether a closure extends the deadline is UNVERIFIED: both dates are shown and the earlier
    one (the last open business day before the closure) is recommended.
    """
    closures = calendar.extra_closures
    if not closures:
        return []
    flags: list[Flag] = []
    for deadline in deadlines:
        # Most deadlines are nowhere near a closure: their date is not listed and their rule has
        # no second date to check.
        if deadline.date not in closures and deadline.rule not in _RULES_WITH_SECOND_DATES:
            continue
        if deadline.rule not in _LAST_DAY_RULES:
            continue
        deadline_details = deadline.details
        detail = deadline_details.get
        if (
            deadline.date not in closures
            and detail(_PAPER_TIMELY_BY) not in closures
            and detail(_TIMELY_BY) not in closures
        ):
            continue
        candidates = [deadline.date]
        for key in _ALSO_CHECKED_DETAILS:
            value = deadline_details.get(key)
            if isinstance(value, date) and value not in candidates:
                candidates.append(value)
        for day in candidates:
            if day not in closures:
                continue
            before = calendar.last_open_day_before(day)
            after = calendar.first_open_day_after(day)
            flags.append(
                Flag(
                    code=_POSSIBLE_CLOSURE,
                    applies_to=deadline.applies_to,
                    message=sentence(
                        f"{deadline.rule.value}: {en(day)} is on the closure list; whether a "
                        f"closure extends the deadline is unverified, so file by {en(before)} "
                        f"(if it does, the date would be {en(after)})",
                        f"{deadline.rule.value}: el {es(day)} figura en la lista de cierres; no "
                        f"está verificado si un cierre extiende el plazo, por lo que debe presentar "
                        f"a más tardar el {es(before)} (si lo extiende, la fecha sería el "
                        f"{es(after)})",
                    ),
                )
            )
    return flags


def compute_case(
    facts: CaseFacts,
    *,
    calendar: BusinessCalendar,
    settings: DeadlineSettings = DEFAULT_SETTINGS,
) -> CaseResult:
    """Compute all deadlines, flags and U visa derivative assessments for one case."""
    deadlines: list[Deadline] = []
    flags: list[Flag] = []

    contested = _uac_contest_reasons(facts)
    one_year_deadlines, one_year_flags = _one_year(facts, calendar, contested)
    deadlines += one_year_deadlines
    flags += one_year_flags
    if contested:
        because_en = " and ".join(reason.en for reason in contested)
        because_es = " y ".join(reason.es for reason in contested)
        flags.append(
            Flag(
                code=_UAC_STATUS_CONTESTED,
                message=sentence(
                    f"The unaccompanied-child designation may be contested ({because_en}): whether "
                    f"the one-year exemption and USCIS initial jurisdiction continue needs attorney "
                    f"review",
                    f"La designación de menor no acompañado/a puede estar en duda ({because_es}): "
                    f"si continúan la exención del plazo de un año y la competencia inicial de "
                    f"USCIS requiere revisión del/de la abogado/a",
                ),
            )
        )

    for index, hearing in enumerate(facts.hearings):
        outcome = icpm_prehearing(
            hearing=hearing,
            hearing_index=index,
            detained=facts.detained,
            calendar=calendar,
            settings=settings,
        )
        deadlines += outcome.deadlines
        flags += outcome.flags

    for index, filing in enumerate(facts.filings_received):
        outcome = icpm_response(
            received=filing.date,
            filing_index=index,
            hearings=facts.hearings,
            detained=facts.detained,
            calendar=calendar,
            settings=settings,
        )
        deadlines += outcome.deadlines
        flags += outcome.flags

    if facts.decision is not None:
        outcome = bia_appeal(decision=facts.decision, calendar=calendar)
        deadlines += outcome.deadlines
        flags += outcome.flags

    if facts.final_order_date is not None:
        deadlines.append(motion_to_reopen(final_order=facts.final_order_date, calendar=calendar))
        deadlines.append(
            motion_to_reconsider(final_order=facts.final_order_date, calendar=calendar)
        )

    if facts.supplement_b_signed is not None:
        supb = uvisa_supplement_b(signed=facts.supplement_b_signed, calendar=calendar)
        deadlines.append(supb)
        supb_flag = _supplement_b_flag(facts, facts.supplement_b_signed, supb)
        if supb_flag is not None:
            flags.append(supb_flag)

    if facts.i589_received is not None:
        for rule in (asylum_ead_file, asylum_ead_grant):
            deadlines.append(
                rule(
                    i589_received=facts.i589_received,
                    delay_days=facts.asylum_clock_delay_days,
                    settings=settings,
                )
            )

    if facts.is_uac and facts.date_of_birth is not None:
        deadlines.append(uac_turns_18(date_of_birth=facts.date_of_birth))

    if facts.sij and facts.date_of_birth is not None:
        sij = sij_under_21(date_of_birth=facts.date_of_birth, calendar=calendar)
        deadlines.append(sij)
        sij_flag = _sij_flag(facts, sij, settings)
        if sij_flag is not None:
            flags.append(sij_flag)

    for member in facts.family:
        if member.relationship is _CHILD and member.date_of_birth is not None:
            deadlines.append(
                derivative_turns_21(
                    member=member, case_type=facts.case_type, i918_filed=facts.i918_filed
                )
            )
    flags += age_out_risk_flags(facts, settings)

    if facts.uscis_response_due is not None:
        deadlines.append(
            uscis_response(
                due=facts.uscis_response_due,
                method=facts.uscis_response_method,
                calendar=calendar,
            )
        )

    flags += _closure_flags(deadlines, calendar)
    return CaseResult(
        case_id=facts.id,
        as_of=facts.as_of,
        deadlines=tuple(deadlines),
        flags=tuple(flags),
        derivatives=assess_u_visa_derivatives(facts),
    )
