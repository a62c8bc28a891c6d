"""USCIS rules: Supplement B window, SIJ filing before 21, responses to notices
(DEADLINE-RULES.md sections 4 and 6)."""

from __future__ import annotations

from datetime import date

from amparo.deadlines.domain.business_days import BusinessCalendar
from amparo.deadlines.domain.dates import add_months, birthday, days_delta
from amparo.deadlines.domain.facts import FilingMethod
from amparo.deadlines.domain.results import Deadline, RuleId, details
from amparo.deadlines.domain.rules.common import CITATIONS, SUPPLEMENT_B_MONTHS
from amparo.deadlines.domain.text import en, es, sentence

# The enum members used for every case, as module globals: on Python 3.11 each ``RuleId.X``
# lookup goes through ``EnumType.__getattr__`` and costs about ten global-name reads.
_SIJ_UNDER_21 = RuleId.SIJ_UNDER_21
_USCIS_RESPONSE = RuleId.USCIS_RESPONSE
_UVISA_SUPB_6_MONTHS = RuleId.UVISA_SUPB_6_MONTHS
_ONLINE = FilingMethod.ONLINE


def uvisa_supplement_b(*, signed: date, calendar: BusinessCalendar) -> Deadline:
    """UVISA_SUPB_6_MONTHS: the I-918 must be filed within six months of the Supp. B signature.

    8 CFR 214.14(c)(2)(i). The six-month mark is the same day of the month six months later,
    clamped to the month's end (platform convention). Whether the mark itself or the 2023 USCIS
    weekend policy extends the window is UNVERIFIED, so ``date`` is the last safe USCIS receipt
    date: the last open business day strictly before the mark (``details.six_month_mark``).
    """
    mark = add_months(signed, SUPPLEMENT_B_MONTHS)
    last_safe = calendar.last_open_day_before(mark)
    return Deadline(
        rule=_UVISA_SUPB_6_MONTHS,
        date=last_safe,
        citation=CITATIONS[_UVISA_SUPB_6_MONTHS],
        explanation=sentence(
            f"The Supplement B signed on {en(signed)} is valid for six months, to the mark of "
            f"{en(mark)}, so USCIS should receive the I-918 no later than {en(last_safe)}, the "
            f"last business day before that mark",
            f"El Suplemento B firmado el {es(signed)} es válido por seis meses, hasta el "
            f"{es(mark)}, por lo que USCIS debe recibir el Formulario I-918 a más tardar el "
            f"{es(last_safe)}, el último día hábil antes de esa fecha",
        ),
        details=details(six_month_mark=mark),
    )


def sij_under_21(*, date_of_birth: date, calendar: BusinessCalendar) -> Deadline:
    """SIJ_UNDER_21: the I-360 must be filed while under 21 (8 CFR 204.11(b)(1)).

    ``date`` is the last day under 21 (the day before the 21st birthday; Feb 29 births use Feb 28,
    conservative). If that day is not a business day, a paper filing received by the next business
    day is still timely (USCIS policy, Mar. 29, 2023): ``paper_filing_timely_if_received_by``.
    The platform still targets the last open business day on or before it (``safe_target``).
    """
    twenty_first = birthday(date_of_birth, 21)
    last_day = twenty_first - days_delta(1)
    paper = calendar.roll_forward(last_day)
    safe = calendar.last_open_day_on_or_before(last_day)
    if paper == last_day:
        paper_en = paper_es = ""
    else:
        paper_en = (
            f"; because that day is not a business day, a paper filing received by {en(paper)} "
            f"is still timely, but aim for {en(safe)}"
        )
        paper_es = (
            f"; como ese día no es hábil, una presentación en papel recibida a más tardar el "
            f"{es(paper)} sigue siendo oportuna, pero procure presentarla el {es(safe)}"
        )
    return Deadline(
        rule=_SIJ_UNDER_21,
        date=last_day,
        safe_target=safe,
        citation=CITATIONS[_SIJ_UNDER_21],
        explanation=sentence(
            f"The I-360 for Special Immigrant Juvenile status must be filed while the child is "
            f"under 21, so the last day is {en(last_day)} (21st birthday {en(twenty_first)})"
            f"{paper_en}",
            f"El Formulario I-360 para el estatus de inmigrante juvenil especial debe presentarse "
            f"antes de que el/la menor cumpla 21 años, por lo que el último día es el "
            f"{es(last_day)} (cumple 21 años el {es(twenty_first)}){paper_es}",
        ),
        details=details(
            twenty_first_birthday=twenty_first, paper_filing_timely_if_received_by=paper
        ),
    )


def uscis_response(
    *, due: date, method: FilingMethod | None, calendar: BusinessCalendar
) -> Deadline:
    """USCIS_RESPONSE: the due date printed on the notice (RFE, NOID), never moved.

    Since March 29, 2023 a paper response due on a Saturday, Sunday or federal holiday is timely
    if received by the next business day (``timely_if_received_by``); online responses are
    received when sent, so for them it is None. When the method is not known the paper date is
    given and the explanation says that online responses must meet the printed date.
    8 CFR 103.2(b)(8)(iv), 103.8(b).
    """
    paper = calendar.roll_forward(due)
    timely = None if method is _ONLINE else paper
    if paper == due:
        extra_en = extra_es = ""
    elif method is _ONLINE:
        extra_en = "; it is not a business day, but online responses must be submitted by then"
        extra_es = (
            "; no es día hábil, pero las respuestas en línea deben enviarse a más tardar ese día"
        )
    else:
        extra_en = (
            f"; because that day is not a business day, a paper response received by {en(paper)} "
            f"is still timely (an online response must be submitted by {en(due)})"
        )
        extra_es = (
            f"; como ese día no es hábil, una respuesta en papel recibida a más tardar el "
            f"{es(paper)} sigue siendo oportuna (una respuesta en línea debe enviarse a más tardar "
            f"el {es(due)})"
        )
    return Deadline(
        rule=_USCIS_RESPONSE,
        date=due,
        safe_target=calendar.last_open_day_on_or_before(due),
        citation=CITATIONS[_USCIS_RESPONSE],
        explanation=sentence(
            f"The response is due on {en(due)} as printed on the notice{extra_en}",
            f"La respuesta vence el {es(due)}, según el aviso{extra_es}",
        ),
        details=details(
            timely_if_received_by=timely, method=method.value if method is not None else None
        ),
    )
