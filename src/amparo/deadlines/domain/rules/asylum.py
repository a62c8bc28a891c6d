"""Asylum rules: the one-year filing deadline and the EAD clock (DEADLINE-RULES.md s.1, s.5)."""

from __future__ import annotations

from datetime import date

from amparo.deadlines.domain.business_days import BusinessCalendar
from amparo.deadlines.domain.dates import add_years, days_delta
from amparo.deadlines.domain.results import Deadline, RuleId, details
from amparo.deadlines.domain.rules.common import CITATIONS, ONE_YEAR_RULE_START
from amparo.deadlines.domain.settings import DeadlineSettings
from amparo.deadlines.domain.text import en, es, rolled, sentence

# The enum members used for every case, as module globals: on Python 3.11 each ``RuleId.X``
# lookup goes through ``EnumType.__getattr__`` and costs about ten global-name reads.
_ASYLUM_EAD_FILE_150 = RuleId.ASYLUM_EAD_FILE_150
_ASYLUM_EAD_GRANT_180 = RuleId.ASYLUM_EAD_GRANT_180
_ASYLUM_ONE_YEAR = RuleId.ASYLUM_ONE_YEAR


def asylum_one_year(*, last_arrival: date, calendar: BusinessCalendar) -> Deadline:
    """ASYLUM_ONE_YEAR: the I-589 must be filed within 1 year after the last arrival.

    INA 208(a)(2)(B); 8 CFR 208.4(a)(2). Arrival is day 0 and the last day is the anniversary
    (Minasyan: arrived 2001-04-09, filing on 2002-04-09 timely); a Feb 29 arrival ends on Feb 28
    (conservative). A non-business anniversary runs to the next business day (8 CFR 1.2). The
    period starts no earlier than April 1, 1997. The UAC exemption is decided by the engine.
    """
    start = max(last_arrival, ONE_YEAR_RULE_START)
    anniversary = add_years(start, 1)
    official = calendar.roll_forward(anniversary)
    moved = rolled(anniversary, official)
    if start == last_arrival:
        anchor_en = f"the last arrival on {en(last_arrival)}"
        anchor_es = f"la última llegada el {es(last_arrival)}"
    else:
        anchor_en = (
            f"April 1, 1997 (the rule's start, later than the arrival on {en(last_arrival)})"
        )
        anchor_es = f"el 1 de abril de 1997 (inicio de la norma, posterior a la llegada del {es(last_arrival)})"
    return Deadline(
        rule=_ASYLUM_ONE_YEAR,
        date=official,
        citation=CITATIONS[_ASYLUM_ONE_YEAR],
        explanation=sentence(
            f"The asylum application (Form I-589) must be received within one year after "
            f"{anchor_en}: the anniversary is {en(anniversary)}{moved.en}",
            f"La solicitud de asilo (Formulario I-589) debe recibirse dentro de un año después de "
            f"{anchor_es}: el aniversario es el {es(anniversary)}{moved.es}",
        ),
        details=details(period_starts=start, anniversary=anniversary),
    )


def _delay_clause(delay_days: int) -> tuple[str, str]:
    if delay_days == 0:
        return "", ""
    return (
        f" plus {delay_days} days of delay requested or caused by the applicant",
        f" más {delay_days} días de demora solicitada o causada por el/la solicitante",
    )


def asylum_ead_file(
    *, i589_received: date, delay_days: int, settings: DeadlineSettings
) -> Deadline:
    """ASYLUM_EAD_FILE_150: earliest (c)(8) I-765 filing = receipt + 150 + delay days.

    8 CFR 208.7(a)(1)-(2); an earliest date, so it is never moved for weekends. The number of days
    is a dated setting chosen by the I-589 receipt date (a 2026 NPRM proposes changes).
    """
    days = settings.asylum_ead_file_days.value_on(i589_received)
    earliest = i589_received + days_delta(days + delay_days)
    delay_en, delay_es = _delay_clause(delay_days)
    return Deadline(
        rule=_ASYLUM_EAD_FILE_150,
        date=earliest,
        citation=CITATIONS[_ASYLUM_EAD_FILE_150],
        explanation=sentence(
            f"The work permit application (Form I-765, category (c)(8)) may be filed no earlier "
            f"than {days} days after the complete I-589 was received on {en(i589_received)}"
            f"{delay_en}: {en(earliest)}",
            f"La solicitud de permiso de trabajo (Formulario I-765, categoría (c)(8)) puede "
            f"presentarse no antes de {days} días después de que se recibió la solicitud de asilo "
            f"completa el {es(i589_received)}{delay_es}: {es(earliest)}",
        ),
        details=details(i589_received=i589_received, days=days, delay_days=delay_days),
    )


def asylum_ead_grant(
    *, i589_received: date, delay_days: int, settings: DeadlineSettings
) -> Deadline:
    """ASYLUM_EAD_GRANT_180: earliest EAD grant = receipt + 180 + delay days (8 CFR 208.7(a)).

    An earliest date (the "180-day asylum EAD clock"), never moved for weekends.
    """
    days = settings.asylum_ead_grant_days.value_on(i589_received)
    earliest = i589_received + days_delta(days + delay_days)
    delay_en, delay_es = _delay_clause(delay_days)
    return Deadline(
        rule=_ASYLUM_EAD_GRANT_180,
        date=earliest,
        citation=CITATIONS[_ASYLUM_EAD_GRANT_180],
        explanation=sentence(
            f"No work permit may be granted before the asylum application received on "
            f"{en(i589_received)} has been pending {days} days{delay_en}: {en(earliest)}",
            f"No puede concederse el permiso de trabajo antes de que la solicitud de asilo "
            f"recibida el {es(i589_received)} haya estado pendiente {days} días{delay_es}: "
            f"{es(earliest)}",
        ),
        details=details(i589_received=i589_received, days=days, delay_days=delay_days),
    )
