"""Immigration Court and BIA rules: ICPM pre-hearing and response deadlines, appeal, motions
(DEADLINE-RULES.md sections 2 and 3)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from amparo.deadlines.domain.business_days import BusinessCalendar
from amparo.deadlines.domain.dates import days_delta
from amparo.deadlines.domain.facts import Decision, DecisionKind, Hearing, HearingKind
from amparo.deadlines.domain.results import (
    Deadline,
    DeadlineSource,
    Flag,
    FlagCode,
    RuleId,
    RuleOutcome,
    details,
)
from amparo.deadlines.domain.rules.common import (
    BIA_APPEAL_DAYS,
    CITATIONS,
    MOTION_RECONSIDER_DAYS,
    MOTION_REOPEN_DAYS,
    filing_ref,
    hearing_ref,
)
from amparo.deadlines.domain.settings import DeadlineSettings, choose_for_hearing
from amparo.deadlines.domain.text import en, es, hearing_kind, rolled, sentence

# The enum members used for every case, as module globals: on Python 3.11 each ``RuleId.X``
# lookup goes through ``EnumType.__getattr__`` and costs about ten global-name reads.
_BIA_APPEAL_30 = RuleId.BIA_APPEAL_30
_ICPM_PREHEARING = RuleId.ICPM_PREHEARING
_ICPM_RESPONSE_10 = RuleId.ICPM_RESPONSE_10
_MOTION_RECONSIDER_30 = RuleId.MOTION_RECONSIDER_30
_MOTION_REOPEN_90 = RuleId.MOTION_REOPEN_90
_APPEAL_WAIVED = FlagCode.APPEAL_WAIVED
_COURT_SET_DEADLINE_REQUIRED = FlagCode.COURT_SET_DEADLINE_REQUIRED
_IJ_ORDER_CONTROLS = FlagCode.IJ_ORDER_CONTROLS
_RULE_CHANGE_REVIEW = FlagCode.RULE_CHANGE_REVIEW
_INDIVIDUAL = HearingKind.INDIVIDUAL
_ORAL = DecisionKind.ORAL
_IJ_ORDER = DeadlineSource.IJ_ORDER


def icpm_prehearing(
    *,
    hearing: Hearing,
    hearing_index: int,
    detained: bool,
    calendar: BusinessCalendar,
    settings: DeadlineSettings,
) -> RuleOutcome:
    """ICPM_PREHEARING: filings are due N days before the hearing (ICPM ch. 3.1(b), 3.1(c)).

    N is a dated setting chosen by the hearing date (individual: 30 since PM 25-21, master: 15
    and only when a ruling is requested at or before the hearing); see ``settings.py`` for the
    conservative choice at a change of rule, which also raises RULE_CHANGE_REVIEW. A date set by
    the immigration judge always controls (source ``ij_order``, IJ_ORDER_CONTROLS) and is never
    moved; its safe target is the last open business day on or before it. Detained cases have no
    default: COURT_SET_DEADLINE_REQUIRED.
    """
    ref = hearing_ref(hearing_index)
    kind = hearing_kind(hearing.kind)
    individual = hearing.kind is _INDIVIDUAL
    filing_deadline_applies = individual or hearing.ruling_requested
    setting = settings.icpm_individual_days if individual else settings.icpm_master_days
    choice = choose_for_hearing(setting, hearing.date)
    default = (
        calendar.days_before(hearing.date, choice.value)
        if filing_deadline_applies and not detained
        else None
    )

    if hearing.ij_filing_deadline is not None:
        ordered = hearing.ij_filing_deadline
        if default is None:
            default_en = default_es = ""
        else:
            default_en = f" (the default would be {en(default.official)})"
            default_es = f" (el plazo por defecto sería el {es(default.official)})"
        deadline = Deadline(
            rule=_ICPM_PREHEARING,
            date=ordered,
            safe_target=calendar.last_open_day_on_or_before(ordered),
            source=_IJ_ORDER,
            applies_to=ref,
            citation=CITATIONS[_ICPM_PREHEARING],
            explanation=sentence(
                f"The immigration judge set {en(ordered)} as the filing deadline for the "
                f"{kind.en} on {en(hearing.date)}, and that date controls over the practice "
                f"manual's default{default_en}",
                f"El/la juez/a de inmigración fijó el {es(ordered)} como fecha límite de "
                f"presentación para la {kind.es} del {es(hearing.date)}, y esa fecha prevalece "
                f"sobre el plazo por defecto del manual de práctica{default_es}",
            ),
            details=details(
                days_before=choice.value if default is not None else None,
                hearing_date=hearing.date,
                hearing_kind=hearing.kind.value,
                rule_default_date=default.official if default is not None else None,
            ),
        )
        flag = Flag(
            code=_IJ_ORDER_CONTROLS,
            applies_to=ref,
            message=sentence(
                f"The immigration judge's filing deadline of {en(ordered)} for the {kind.en} on "
                f"{en(hearing.date)} replaces the practice manual's default{default_en}",
                f"La fecha límite de {es(ordered)} fijada por el/la juez/a de inmigración para la "
                f"{kind.es} del {es(hearing.date)} reemplaza el plazo por defecto del manual de "
                f"práctica{default_es}",
            ),
        )
        return RuleOutcome(deadlines=(deadline,), flags=(flag,))

    if not filing_deadline_applies:
        return RuleOutcome()
    if default is None:  # detained, no IJ date
        return RuleOutcome(
            flags=(
                Flag(
                    code=_COURT_SET_DEADLINE_REQUIRED,
                    applies_to=ref,
                    message=sentence(
                        f"Detained case: the court sets the filing deadline for the {kind.en} on "
                        f"{en(hearing.date)}, so no default is computed and the date from the "
                        f"judge's order must be entered",
                        f"Caso de persona detenida: el tribunal fija la fecha límite de "
                        f"presentación para la {kind.es} del {es(hearing.date)}, por lo que no se "
                        f"calcula un plazo por defecto y debe ingresarse la fecha de la orden del/de "
                        f"la juez/a",
                    ),
                ),
            )
        )

    moved = rolled(default.counted_day, default.official)
    deadline = Deadline(
        rule=_ICPM_PREHEARING,
        date=default.official,
        safe_target=default.safe_target,
        applies_to=ref,
        citation=CITATIONS[_ICPM_PREHEARING],
        explanation=sentence(
            f"For the {kind.en} on {en(hearing.date)}, filings are due {choice.value} calendar "
            f"days before, counted back to {en(default.counted_day)}{moved.en}; the safe target "
            f"is {en(default.safe_target)}",
            f"Para la {kind.es} del {es(hearing.date)}, los documentos deben presentarse "
            f"{choice.value} días calendario antes, contados hacia atrás hasta el "
            f"{es(default.counted_day)}{moved.es}; la fecha interna segura es el "
            f"{es(default.safe_target)}",
        ),
        details=details(
            days_before=choice.value,
            hearing_date=hearing.date,
            hearing_kind=hearing.kind.value,
            counted_day=default.counted_day,
        ),
    )
    flags: tuple[Flag, ...] = ()
    if choice.straddles_change:
        seen = ", ".join(str(value) for value in choice.values_in_window)
        flags = (
            Flag(
                code=_RULE_CHANGE_REVIEW,
                applies_to=ref,
                message=sentence(
                    f"The default filing period for the {kind.en} on {en(hearing.date)} changed "
                    f"shortly before it (periods in effect: {seen} days; the exact effective date "
                    f"is unverified), so the earlier deadline ({choice.value} days) is shown for "
                    f"attorney review",
                    f"El plazo de presentación por defecto para la {kind.es} del "
                    f"{es(hearing.date)} cambió poco antes (plazos vigentes: {seen} días; la fecha "
                    f"exacta del cambio no está verificada), por lo que se muestra la fecha límite "
                    f"más temprana ({choice.value} días) para revisión del/de la abogado/a",
                ),
            ),
        )
    return RuleOutcome(deadlines=(deadline,), flags=flags)


def icpm_response(
    *,
    received: date,
    filing_index: int,
    hearings: Sequence[Hearing],
    detained: bool,
    calendar: BusinessCalendar,
    settings: DeadlineSettings,
) -> RuleOutcome:
    """ICPM_RESPONSE_10: a response is due 10 days after the court receives the filing.

    ICPM ch. 3.1(b); forward count rolled to the next business day (8 CFR 1.2). When that date
    would fall after the next hearing, the response is due at that hearing (for master hearings
    the ICPM lets a late filing be answered at the hearing; for other hearings this is the
    conservative reading): the date is the hearing and ``capped_at_hearing`` names it. Detained
    cases: set by the court (COURT_SET_DEADLINE_REQUIRED).
    """
    ref = filing_ref(filing_index)
    if detained:
        return RuleOutcome(
            flags=(
                Flag(
                    code=_COURT_SET_DEADLINE_REQUIRED,
                    applies_to=ref,
                    message=sentence(
                        f"Detained case: the court sets the deadline to respond to the filing "
                        f"received on {en(received)}, so the date from the judge's order must be "
                        f"entered",
                        f"Caso de persona detenida: el tribunal fija la fecha límite para responder "
                        f"al documento recibido el {es(received)}, por lo que debe ingresarse la "
                        f"fecha de la orden del/de la juez/a",
                    ),
                ),
            )
        )
    days = settings.icpm_response_days.value_on(received)
    counted = received + days_delta(days)
    official = calendar.roll_forward(counted)
    moved = rolled(counted, official)
    upcoming = [(h.date, i) for i, h in enumerate(hearings) if h.date > received]
    capped_at: str | None = None
    cap_en = cap_es = ""
    if upcoming:
        next_date, next_index = min(upcoming)
        if official > next_date:
            official = next_date
            capped_at = hearing_ref(next_index)
            cap_en = f"; that is after the hearing on {en(next_date)}, so respond by that hearing"
            cap_es = (
                f"; esa fecha es posterior a la audiencia del {es(next_date)}, por lo que debe "
                f"responder a más tardar en esa audiencia"
            )
    return RuleOutcome(
        deadlines=(
            Deadline(
                rule=_ICPM_RESPONSE_10,
                date=official,
                applies_to=ref,
                citation=CITATIONS[_ICPM_RESPONSE_10],
                explanation=sentence(
                    f"A response to the filing the court received on {en(received)} is due "
                    f"{days} days later, {en(counted)}{moved.en}{cap_en}",
                    f"La respuesta al documento que el tribunal recibió el {es(received)} vence "
                    f"{days} días después, el {es(counted)}{moved.es}{cap_es}",
                ),
                details=details(filing_received=received, capped_at_hearing=capped_at),
            ),
        )
    )


def bia_appeal(*, decision: Decision, calendar: BusinessCalendar) -> RuleOutcome:
    """BIA_APPEAL_30: the EOIR-26 must be received within 30 days (8 CFR 1003.38(b)-(c)).

    The clock starts when the judge states an oral decision, even if a memorandum is mailed later
    (Matter of Iskandarani, 29 I&N Dec. 26 (BIA 2025)), or when a written decision is mailed or
    served (``memo_mailed``; the decision date when the mailing date is not known, which is never
    later). Day 30 rolls to the next business day. Worked example: decision 2021-12-13, due
    2022-01-12 (Matter of Morales-Morales, 2023). A waived appeal gives no date (APPEAL_WAIVED).
    """
    if decision.appeal_waived:
        return RuleOutcome(
            flags=(
                Flag(
                    code=_APPEAL_WAIVED,
                    message=sentence(
                        f"Appeal was waived for the decision of {en(decision.date)}, so no BIA "
                        f"appeal deadline is computed (8 CFR 1003.38(b), 1003.39); confirm the "
                        f"waiver in the record and check the motion deadlines",
                        f"Se renunció a la apelación de la decisión del {es(decision.date)}, por lo "
                        f"que no se calcula fecha límite de apelación ante la BIA (8 CFR "
                        f"1003.38(b), 1003.39); confirme la renuncia en el expediente y revise los "
                        f"plazos de las mociones",
                    ),
                ),
            )
        )
    if decision.kind is _ORAL:
        start = decision.date
        later_memo = decision.memo_mailed is not None and decision.memo_mailed > decision.date
        anchor_en = f"the oral decision of {en(start)}" + (
            " (the memorandum mailed later does not restart the clock)" if later_memo else ""
        )
        anchor_es = f"la decisión oral del {es(start)}" + (
            " (el memorando enviado después no reinicia el plazo)" if later_memo else ""
        )
    else:
        start = decision.memo_mailed or decision.date
        anchor_en = f"the written decision was mailed or served on {en(start)}"
        anchor_es = f"que la decisión escrita se envió por correo o se notificó, el {es(start)}"
    counted = start + days_delta(BIA_APPEAL_DAYS)
    official = calendar.roll_forward(counted)
    moved = rolled(counted, official)
    return RuleOutcome(
        deadlines=(
            Deadline(
                rule=_BIA_APPEAL_30,
                date=official,
                citation=CITATIONS[_BIA_APPEAL_30],
                explanation=sentence(
                    f"The appeal (Form EOIR-26) must be received by the BIA within 30 calendar "
                    f"days after {anchor_en}: day 30 is {en(counted)}{moved.en}",
                    f"La apelación (Formulario EOIR-26) debe recibirse en la Junta de Apelaciones "
                    f"de Inmigración (BIA) dentro de 30 días calendario después de {anchor_es}: el "
                    f"día 30 es el {es(counted)}{moved.es}",
                ),
                details=details(clock_starts=start),
            ),
        )
    )


def _post_order_motion(
    *, rule: RuleId, days: int, final_order: date, calendar: BusinessCalendar
) -> Deadline:
    counted = final_order + days_delta(days)
    official = calendar.roll_forward(counted)
    moved = rolled(counted, official)
    if rule is _MOTION_REOPEN_90:
        name = ("A motion to reopen", "La moción para reabrir el caso")
    else:
        name = ("A motion to reconsider", "La moción de reconsideración")
    return Deadline(
        rule=rule,
        date=official,
        citation=CITATIONS[rule],
        explanation=sentence(
            f"{name[0]} must be filed within {days} days after the final order of "
            f"{en(final_order)}: day {days} is {en(counted)}{moved.en} (exceptions need attorney "
            f"review)",
            f"{name[1]} debe presentarse dentro de {days} días después de la orden definitiva del "
            f"{es(final_order)}: el día {days} es el {es(counted)}{moved.es} (las excepciones "
            f"requieren revisión del/de la abogado/a)",
        ),
        details=details(final_order_date=final_order),
    )


def motion_to_reopen(*, final_order: date, calendar: BusinessCalendar) -> Deadline:
    """MOTION_REOPEN_90: 90 days after the final order (8 CFR 1003.23(b)(1), 1003.2(c)(2)).

    Rolled forward (8 CFR 1.2; Monsalvo Velazquez v. Bondi (2025)). Exceptions (changed country
    conditions, in absentia rescission, 180 days for exceptional circumstances) are for the
    attorney.
    """
    return _post_order_motion(
        rule=_MOTION_REOPEN_90,
        days=MOTION_REOPEN_DAYS,
        final_order=final_order,
        calendar=calendar,
    )


def motion_to_reconsider(*, final_order: date, calendar: BusinessCalendar) -> Deadline:
    """MOTION_RECONSIDER_30: 30 days after the final order (8 CFR 1003.23(b)(1), 1003.2(b)(2))."""
    return _post_order_motion(
        rule=_MOTION_RECONSIDER_30,
        days=MOTION_RECONSIDER_DAYS,
        final_order=final_order,
        calendar=calendar,
    )
