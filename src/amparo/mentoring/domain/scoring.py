"""Feasibility of one pair, its score with one reason per factor, and the ranking for one
request (the rules and the table of factors are in ``matching``'s docstring).

The factor functions count whole tenths of a point; ``score_pair`` (with reasons) and
``pair_tenths`` (without, for the batch) add up the same integers, so their scores agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from amparo.mentoring.domain.facts import (
    CASE_TYPE_NAMES,
    HEARING_STEPS,
    LANGUAGE_NAMES,
    SCALE,
    WEIGHTS,
    Factor,
    Feasibility,
    MentorFacts,
    Reason,
    RequestFacts,
    ScoredPair,
    Why,
    key_order,
)

# --- wording -----------------------------------------------------------------------------------


def language_names(codes: Iterable[str]) -> tuple[str, str]:
    ordered = sorted(codes)
    en = ", ".join(LANGUAGE_NAMES.get(c, (c, c))[0] for c in ordered)
    es = ", ".join(LANGUAGE_NAMES.get(c, (c, c))[1] for c in ordered)
    return en, es


def case_type_name(case_type: str) -> tuple[str, str]:
    return CASE_TYPE_NAMES.get(case_type, (case_type, case_type))


def _days(n: int) -> tuple[str, str]:
    if n == 0:
        return "today", "hoy"
    if n == 1:
        return "in 1 day", "en 1 día"
    return f"in {n} days", f"en {n} días"


# --- factor points (tenths); score_pair and the batch share these so their scores agree ---------


def _share(weight: int, part: int, whole: int) -> int:
    """weight x part / whole in whole tenths, rounded half up; the full weight when whole is 0."""
    if whole <= 0:
        return weight
    return (2 * weight * part + whole) // (2 * whole)


def _expertise_tenths(request: RequestFacts, mentor: MentorFacts) -> int:
    return WEIGHTS[Factor.EXPERTISE] if request.case_type in mentor.expertise else 0


def claim_tenths(request: RequestFacts, mentor: MentorFacts) -> int:
    covered = len(request.topics & mentor.expertise)
    return _share(WEIGHTS[Factor.CLAIM], covered, len(request.topics))


def _language_tenths(request: RequestFacts, mentor: MentorFacts) -> int:
    spoken = len(request.languages & mentor.languages)
    return _share(WEIGHTS[Factor.LANGUAGE], spoken, len(request.languages))


def court_tenths(request: RequestFacts, mentor: MentorFacts) -> int:
    if request.court is None or request.court in mentor.courts:
        return WEIGHTS[Factor.COURT]
    return 0


def load_tenths(mentor: MentorFacts) -> int:
    if mentor.capacity <= 0:
        return 0
    return _share(WEIGHTS[Factor.LOAD], mentor.free, mentor.capacity)


def _hearing_days(request: RequestFacts, as_of: date) -> int | None:
    if request.hearing_date is None:
        return None
    return (request.hearing_date - as_of).days


def hearing_tenths(request: RequestFacts, as_of: date) -> int:
    days = _hearing_days(request, as_of)
    if days is None or days < 0:
        return 0
    for limit, tenths in HEARING_STEPS:
        if days <= limit:
            return tenths
    return 0


def prior_tenths(request: RequestFacts, mentor: MentorFacts) -> int:
    if request.attorney_id is not None and request.attorney_id in mentor.prior_mentee_ids:
        return WEIGHTS[Factor.PRIOR_WORK]
    return 0


# --- feasibility --------------------------------------------------------------------------------


def feasible(request: RequestFacts, mentor: MentorFacts) -> Feasibility:
    """May ``mentor`` be proposed for ``request``? The four checks of the module docstring, in
    order; the first that fails is the answer (``code`` is a ``Why`` value, ``""`` when ok)."""
    if request.case_type not in mentor.expertise:
        en, es = case_type_name(request.case_type)
        return Feasibility(
            False, Why.CASE_TYPE, f"does not handle {en} cases", f"no atiende casos de {es}"
        )
    missing = request.languages - mentor.languages
    if missing:
        en, es = language_names(missing)
        return Feasibility(False, Why.LANGUAGE, f"does not speak: {en}", f"no habla: {es}")
    if mentor.id in request.conflicts:
        return Feasibility(
            False,
            Why.CONFLICT,
            "has a conflict of interest with this case",
            "tiene un conflicto de intereses con este caso",
        )
    if mentor.free < 1:
        return Feasibility(
            False,
            Why.CAPACITY,
            f"has no place left ({mentor.load} of {mentor.capacity} taken)",
            f"no tiene cupo ({mentor.load} de {mentor.capacity} ocupados)",
        )
    return Feasibility(True, "", "", "")


# --- score with reasons -------------------------------------------------------------------------


def _reason(factor: Factor, tenths: int, en: str, es: str) -> Reason:
    return Reason(factor, tenths / SCALE, en, es)


def score_pair(request: RequestFacts, mentor: MentorFacts, as_of: date) -> ScoredPair:
    """Score how well ``mentor`` fits ``request`` on ``as_of``: 0-100 with one reason per factor
    (see the table in the module docstring). Does not check feasibility: call ``feasible``."""
    ct_en, ct_es = case_type_name(request.case_type)
    reasons: list[Reason] = []

    tenths = _expertise_tenths(request, mentor)
    if tenths:
        reasons.append(
            _reason(Factor.EXPERTISE, tenths, f"Handles {ct_en} cases", f"Atiende casos de {ct_es}")
        )
    else:
        reasons.append(
            _reason(
                Factor.EXPERTISE,
                0,
                f"Does not handle {ct_en} cases",
                f"No atiende casos de {ct_es}",
            )
        )

    tenths = claim_tenths(request, mentor)
    if not request.topics:
        en, es = "No particular claim topic asked", "No se pidió ningún tema específico"
    else:
        covered = sorted(request.topics & mentor.expertise)
        asked = ", ".join(sorted(request.topics))
        if len(covered) == len(request.topics):
            en, es = f"Knows every topic asked: {asked}", f"Conoce todos los temas pedidos: {asked}"
        elif not covered:
            en = f"Knows none of the topics asked: {asked}"
            es = f"No conoce ninguno de los temas pedidos: {asked}"
        else:
            known = ", ".join(covered)
            n, total = len(covered), len(request.topics)
            en = f"Knows {n} of {total} topics asked: {known}"
            es = f"Conoce {n} de {total} temas pedidos: {known}"
    reasons.append(_reason(Factor.CLAIM, tenths, en, es))

    tenths = _language_tenths(request, mentor)
    if not request.languages:
        en = "No language needed besides English"
        es = "No se necesita otro idioma además del inglés"
    else:
        spoken = request.languages & mentor.languages
        missing = request.languages - mentor.languages
        if not missing:
            names_en, names_es = language_names(spoken)
            en, es = f"Speaks {names_en}", f"Habla {names_es}"
        else:
            names_en, names_es = language_names(missing)
            en, es = f"Does not speak: {names_en}", f"No habla: {names_es}"
    reasons.append(_reason(Factor.LANGUAGE, tenths, en, es))

    tenths = court_tenths(request, mentor)
    if request.court is None:
        en = "No immigration court (a USCIS filing)"
        es = "Sin tribunal de inmigración (trámite ante USCIS)"
    elif tenths:
        en = f"Has worked before this court: {request.court}"
        es = f"Ha trabajado ante este tribunal: {request.court}"
    else:
        en = f"Has not worked before this court: {request.court}"
        es = f"No ha trabajado ante este tribunal: {request.court}"
    reasons.append(_reason(Factor.COURT, tenths, en, es))

    tenths = load_tenths(mentor)
    if mentor.free:
        current_es = "1 mentoría" if mentor.load == 1 else f"{mentor.load} mentorías"
        en = f"Has {mentor.free} of {mentor.capacity} places free (mentoring {mentor.load} now)"
        es = f"Tiene {mentor.free} de {mentor.capacity} cupos libres ({current_es} en curso)"
    else:
        en = f"No place free ({mentor.load} of {mentor.capacity} taken)"
        es = f"Sin cupo libre ({mentor.load} de {mentor.capacity} ocupados)"
    reasons.append(_reason(Factor.LOAD, tenths, en, es))

    tenths = hearing_tenths(request, as_of)
    days = _hearing_days(request, as_of)
    if days is None:
        en, es = "No hearing date set", "Sin fecha de audiencia"
    elif days < 0:
        en = "The hearing date has passed: check the case"
        es = "La fecha de la audiencia ya pasó: revise el caso"
    else:
        when_en, when_es = _days(days)
        if days <= HEARING_STEPS[0][0]:
            en, es = f"Hearing {when_en}: urgent", f"Audiencia {when_es}: urgente"
        elif days <= HEARING_STEPS[-1][0]:
            en, es = f"Hearing {when_en}", f"Audiencia {when_es}"
        else:
            en = f"Hearing {when_en}: not urgent yet"
            es = f"Audiencia {when_es}: todavía no es urgente"
    reasons.append(_reason(Factor.HEARING, tenths, en, es))

    tenths = prior_tenths(request, mentor)
    if tenths:
        en, es = "Has mentored this attorney before", "Ya fue mentor/a de este/a abogado/a"
    else:
        en, es = "Has not mentored this attorney before", "No ha sido mentor/a de este/a abogado/a"
    reasons.append(_reason(Factor.PRIOR_WORK, tenths, en, es))

    total = pair_tenths(request, mentor, as_of)  # the same sum, in exact integers
    return ScoredPair(request.id, mentor.id, total / SCALE, tuple(reasons))


def pair_tenths(request: RequestFacts, mentor: MentorFacts, as_of: date) -> int:
    """``score_pair(...).score_tenths`` without building the reasons (the batch's fast path)."""
    return (
        _expertise_tenths(request, mentor)
        + claim_tenths(request, mentor)
        + _language_tenths(request, mentor)
        + court_tenths(request, mentor)
        + load_tenths(mentor)
        + hearing_tenths(request, as_of)
        + prior_tenths(request, mentor)
    )


# --- one request ----------------------------------------------------------------------------------


def rank_mentors(
    request: RequestFacts,
    mentors: Iterable[MentorFacts],
    as_of: date,
    limit: int | None = 10,
) -> list[ScoredPair]:
    """The feasible mentors for ``request``, best first: highest score, then lowest mentor id
    (ints before strings). At most ``limit`` (all when None). A mentor with a conflict, missing a
    language the request needs, without the case type or without a place left is never listed."""
    scored = [
        (pair_tenths(request, mentor, as_of), mentor)
        for mentor in mentors
        if feasible(request, mentor).ok
    ]
    scored.sort(key=lambda item: (-item[0], key_order(item[1].id)))
    chosen = scored if limit is None else scored[: max(0, limit)]
    return [score_pair(request, mentor, as_of) for _, mentor in chosen]
