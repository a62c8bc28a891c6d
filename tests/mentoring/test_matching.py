"""The pure mentor matcher on hand-made instances: feasibility, scores and their reasons, the
ranking for one request, and the batch assignment (capacity, load, conflicts, language, ties).

No database: the engine is pure Python.
"""

from __future__ import annotations

import random
from datetime import date

import pytest

from amparo.mentoring.domain.matching import (
    MAX_SCORE_TENTHS,
    WEIGHTS,
    Factor,
    MentorFacts,
    RequestFacts,
    Why,
    assign_all,
    build_candidates,
    feasible,
    objective,
    pair_tenths,
    rank_mentors,
    score_pair,
)

AS_OF = date(2026, 1, 5)
ASYLUM = "defensive_asylum"


def mentor(
    ident: int | str,
    *,
    languages: tuple[str, ...] = ("es",),
    expertise: tuple[str, ...] = (ASYLUM,),
    courts: tuple[str, ...] = (),
    capacity: int = 3,
    load: int = 0,
    prior: tuple[str, ...] = (),
) -> MentorFacts:
    return MentorFacts(
        id=ident,
        languages=frozenset(languages),
        expertise=frozenset(expertise),
        courts=frozenset(courts),
        capacity=capacity,
        load=load,
        prior_mentee_ids=frozenset(prior),
    )


def request(
    ident: int | str,
    *,
    case_type: str = ASYLUM,
    court: str | None = None,
    languages: tuple[str, ...] = (),
    hearing: date | None = None,
    conflicts: tuple[int | str, ...] = (),
    attorney: str | None = None,
    topics: tuple[str, ...] = (),
) -> RequestFacts:
    return RequestFacts(
        id=ident,
        case_type=case_type,
        court=court,
        languages=frozenset(languages),
        hearing_date=hearing,
        conflicts=frozenset(conflicts),
        attorney_id=attorney,
        topics=frozenset(topics),
    )


# --- feasibility -------------------------------------------------------------------------------


def test_feasible_accepts_a_fitting_mentor() -> None:
    result = feasible(request("r", languages=("es",)), mentor(1))
    assert result.ok and result.code == ""
    ok, code, _en, _es = result  # a tuple, as documented
    assert ok is True and code == ""


@pytest.mark.parametrize(
    ("req", "men", "code", "words"),
    [
        (request("r", case_type="u_visa"), mentor(1), Why.CASE_TYPE, "U visa"),
        (request("r", languages=("es", "quc")), mentor(1), Why.LANGUAGE, "K'iche'"),
        (request("r", conflicts=(1,)), mentor(1), Why.CONFLICT, "conflict of interest"),
        (request("r"), mentor(1, capacity=2, load=2), Why.CAPACITY, "2 of 2 taken"),
        (request("r"), mentor(1, capacity=2, load=5), Why.CAPACITY, "5 of 2 taken"),
        (request("r"), mentor(1, capacity=0), Why.CAPACITY, "0 of 0 taken"),
    ],
)
def test_feasible_refuses_with_a_stable_code_and_words(
    req: RequestFacts, men: MentorFacts, code: Why, words: str
) -> None:
    result = feasible(req, men)
    assert not result.ok
    assert result.code == code
    assert words in result.en
    assert result.es and result.es != result.en


def test_feasible_checks_in_the_documented_order() -> None:
    # Fails every rule: the case type is reported first.
    everything_wrong = request("r", case_type="u_visa", languages=("quc",), conflicts=(1,))
    assert feasible(everything_wrong, mentor(1, capacity=0)).code == Why.CASE_TYPE
    wrong_language_and_conflict = request("r", languages=("quc",), conflicts=(1,))
    assert feasible(wrong_language_and_conflict, mentor(1, capacity=0)).code == Why.LANGUAGE
    assert feasible(request("r", conflicts=(1,)), mentor(1, capacity=0)).code == Why.CONFLICT


def test_language_codes_are_compared_case_insensitively() -> None:
    assert feasible(request("r", languages=("ES ",)), mentor(1, languages=("es",))).ok


# --- score ---------------------------------------------------------------------------------------


def test_weights_add_up_to_one_hundred_points() -> None:
    assert sum(WEIGHTS.values()) == MAX_SCORE_TENTHS == 1000


def test_score_pair_perfect_fit_scores_one_hundred() -> None:
    req = request(
        "r",
        court="San Francisco",
        languages=("es",),
        hearing=date(2026, 1, 20),
        attorney="a1",
        topics=("children",),
    )
    men = mentor(1, expertise=(ASYLUM, "children"), courts=("San Francisco",), prior=("a1",))
    pair = score_pair(req, men, AS_OF)
    assert pair.score == 100.0
    assert [r.factor for r in pair.reasons] == list(Factor)
    assert all(r.points == WEIGHTS[r.factor] / 10 for r in pair.reasons)
    assert pair.request_id == "r" and pair.mentor_id == 1


def test_score_pair_reasons_explain_each_factor_in_both_languages() -> None:
    req = request(
        "r",
        court="San Francisco",
        languages=("es", "quc"),
        hearing=date(2026, 3, 1),
        attorney="a1",
        topics=("children", "particular_social_group"),
    )
    men = mentor(1, languages=("es", "quc"), expertise=(ASYLUM, "children"), capacity=4, load=1)
    pair = score_pair(req, men, AS_OF)
    by_factor = {r.factor: r for r in pair.reasons}
    assert by_factor[Factor.EXPERTISE].en == "Handles defensive asylum cases"
    assert by_factor[Factor.EXPERTISE].es == "Atiende casos de asilo defensivo"
    assert by_factor[Factor.CLAIM].points == 5.0
    assert by_factor[Factor.CLAIM].en == "Knows 1 of 2 topics asked: children"
    assert by_factor[Factor.LANGUAGE].en == "Speaks Spanish, K'iche'"
    assert by_factor[Factor.LANGUAGE].es == "Habla español, k'iche'"
    assert by_factor[Factor.COURT].points == 0.0
    assert "San Francisco" in by_factor[Factor.COURT].en
    assert by_factor[Factor.LOAD].points == 11.3  # 15 x 3/4 = 11.25, rounded half up
    assert by_factor[Factor.LOAD].en == "Has 3 of 4 places free (mentoring 1 now)"
    assert by_factor[Factor.HEARING].points == 6.0
    assert by_factor[Factor.HEARING].en == "Hearing in 55 days"
    assert by_factor[Factor.HEARING].es == "Audiencia en 55 días"
    assert by_factor[Factor.PRIOR_WORK].points == 0.0
    assert pair.score == 25 + 5 + 15 + 0 + 11.3 + 6 + 0
    assert pair.score_tenths == pair_tenths(req, men, AS_OF)


@pytest.mark.parametrize(
    ("hearing", "points", "words"),
    [
        (None, 0.0, "No hearing date set"),
        (date(2026, 1, 4), 0.0, "has passed"),
        (date(2026, 1, 5), 10.0, "Hearing today: urgent"),
        (date(2026, 1, 6), 10.0, "Hearing in 1 day: urgent"),
        (date(2026, 2, 4), 10.0, "Hearing in 30 days: urgent"),
        (date(2026, 2, 5), 6.0, "Hearing in 31 days"),
        (date(2026, 4, 5), 6.0, "Hearing in 90 days"),
        (date(2026, 4, 6), 3.0, "Hearing in 91 days"),
        (date(2026, 7, 4), 3.0, "Hearing in 180 days"),
        (date(2026, 7, 5), 0.0, "Hearing in 181 days: not urgent yet"),
    ],
)
def test_hearing_factor_steps(hearing: date | None, points: float, words: str) -> None:
    pair = score_pair(request("r", hearing=hearing), mentor(1), AS_OF)
    reason = next(r for r in pair.reasons if r.factor is Factor.HEARING)
    assert reason.points == points
    assert words in reason.en


def test_factors_not_asked_for_score_in_full() -> None:
    pair = score_pair(request("r"), mentor(1, languages=()), AS_OF)
    by_factor = {r.factor: r.points for r in pair.reasons}
    assert by_factor[Factor.CLAIM] == 10.0
    assert by_factor[Factor.LANGUAGE] == 15.0
    assert by_factor[Factor.COURT] == 15.0  # no court: a USCIS filing


def test_score_pair_on_an_infeasible_pair_is_bounded_and_explained() -> None:
    pair = score_pair(
        request("r", case_type="u_visa", languages=("quc",), court="Chicago", topics=("x",)),
        mentor(1, capacity=0),
        AS_OF,
    )
    assert pair.score == 0.0
    assert {r.factor: r.en for r in pair.reasons}[Factor.LANGUAGE] == "Does not speak: K'iche'"


def test_scores_stay_between_zero_and_one_hundred_on_random_pairs() -> None:
    rng = random.Random(6)
    for _ in range(500):
        req = request(
            "r",
            case_type=rng.choice([ASYLUM, "u_visa"]),
            court=rng.choice([None, "A", "B"]),
            languages=tuple(rng.sample(["es", "quc", "pt"], rng.randint(0, 3))),
            hearing=rng.choice([None, date(2025, 12, 1), date(2026, 1, 20), date(2027, 1, 1)]),
            attorney=rng.choice([None, "a1", "a2"]),
            topics=tuple(rng.sample(["children", "psg", "gang"], rng.randint(0, 3))),
        )
        capacity = rng.randint(0, 5)
        men = mentor(
            1,
            languages=tuple(rng.sample(["es", "quc", "pt"], rng.randint(0, 3))),
            expertise=tuple(rng.sample([ASYLUM, "u_visa", "children", "psg"], rng.randint(0, 4))),
            courts=tuple(rng.sample(["A", "B"], rng.randint(0, 2))),
            capacity=capacity,
            load=rng.randint(0, 6),
            prior=tuple(rng.sample(["a1", "a2"], rng.randint(0, 2))),
        )
        pair = score_pair(req, men, AS_OF)
        assert 0 <= pair.score <= 100
        assert pair.score_tenths == pair_tenths(req, men, AS_OF)
        assert pair.score_tenths == sum(round(r.points * 10) for r in pair.reasons)
        assert all(r.en and r.es for r in pair.reasons)


def test_mentor_facts_refuse_negative_capacity_or_load() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        mentor(1, capacity=-1)
    with pytest.raises(ValueError, match="must not be negative"):
        mentor(1, load=-1)


# --- ranking one request ---------------------------------------------------------------------------


def test_rank_mentors_never_proposes_an_infeasible_mentor() -> None:
    mentors = [
        mentor(1),  # fits
        mentor(2, languages=("en",)),  # no Spanish
        mentor(3),  # conflict
        mentor(4, capacity=2, load=2),  # full
        mentor(5, expertise=("u_visa",)),  # wrong case type
        mentor(6, capacity=1, load=0),  # fits, one place
    ]
    ranked = rank_mentors(request("r", languages=("es",), conflicts=(3,)), mentors, AS_OF)
    assert sorted(p.mentor_id for p in ranked) == [1, 6]


def test_rank_mentors_best_first_with_reasons() -> None:
    mentors = [
        mentor(1, courts=()),
        mentor(2, courts=("San Francisco",)),
        mentor(3, courts=("San Francisco",), prior=("a1",)),
    ]
    ranked = rank_mentors(request("r", court="San Francisco", attorney="a1"), mentors, AS_OF)
    assert [p.mentor_id for p in ranked] == [3, 2, 1]
    assert [p.score for p in ranked] == [90.0, 80.0, 65.0]
    assert all(len(p.reasons) == len(Factor) for p in ranked)


def test_rank_mentors_breaks_ties_by_mentor_id_ints_before_strings() -> None:
    mentors = [mentor("b"), mentor(10), mentor("a"), mentor(2)]
    ranked = rank_mentors(request("r"), mentors, AS_OF)
    assert len({p.score for p in ranked}) == 1
    assert [p.mentor_id for p in ranked] == [2, 10, "a", "b"]


def test_rank_mentors_limit() -> None:
    mentors = [mentor(i) for i in range(15)]
    assert len(rank_mentors(request("r"), mentors, AS_OF)) == 10
    assert len(rank_mentors(request("r"), mentors, AS_OF, limit=3)) == 3
    assert len(rank_mentors(request("r"), mentors, AS_OF, limit=None)) == 15
    assert rank_mentors(request("r"), mentors, AS_OF, limit=0) == []


def test_rank_mentors_prefers_the_mentor_with_more_free_places() -> None:
    mentors = [mentor(1, capacity=4, load=3), mentor(2, capacity=4, load=0)]
    assert [p.mentor_id for p in rank_mentors(request("r"), mentors, AS_OF)] == [2, 1]


# --- the batch -------------------------------------------------------------------------------------


def test_assign_all_never_exceeds_capacity_minus_load() -> None:
    mentors = [mentor(1, capacity=3, load=1)]
    result = assign_all([request(f"r{i}") for i in range(4)], mentors, AS_OF)
    assert result.matched == 2
    assert {u.code for u in result.unassigned} == {Why.TAKEN}
    assert all(
        u.why == "matched elsewhere: capacity used by other requests" for u in result.unassigned
    )


def test_assign_all_mentor_already_full_is_reported_as_capacity() -> None:
    result = assign_all([request("r")], [mentor(1, capacity=2, load=2)], AS_OF)
    assert result.matched == 0
    assert result.unassigned[0].code == Why.CAPACITY
    assert result.unassigned[0].why == "every feasible mentor is at capacity"


def test_assign_all_respects_conflicts() -> None:
    result = assign_all(
        [request("r1", conflicts=(1,)), request("r2", conflicts=(1, 2))],
        [mentor(1, capacity=5), mentor(2, capacity=5)],
        AS_OF,
    )
    assert [(p.request_id, p.mentor_id) for p in result.assignments] == [("r1", 2)]
    assert result.unassigned[0].request_id == "r2"
    assert result.unassigned[0].code == Why.CONFLICT


def test_assign_all_language_reasons_name_the_missing_language() -> None:
    mentors = [mentor(1, languages=("es",)), mentor(2, languages=("quc",))]
    result = assign_all(
        [request("nobody", languages=("mam",)), request("not-together", languages=("es", "quc"))],
        mentors,
        AS_OF,
    )
    why = {u.request_id: u for u in result.unassigned}
    assert why["nobody"].code == Why.LANGUAGE
    assert why["nobody"].why == "no mentor with this case type speaks: Mam"
    assert why["not-together"].why == (
        "no mentor with this case type speaks all of: Spanish, K'iche'"
    )
    assert why["not-together"].es.endswith("español, k'iche'")


def test_assign_all_language_of_mentors_without_the_case_type_does_not_count() -> None:
    mentors = [mentor(1, languages=("es",)), mentor(2, languages=("quc",), expertise=("u_visa",))]
    result = assign_all([request("r", languages=("quc",))], mentors, AS_OF)
    assert result.unassigned[0].why == "no mentor with this case type speaks: K'iche'"


def test_assign_all_case_type_reason() -> None:
    result = assign_all([request("r", case_type="u_visa")], [mentor(1)], AS_OF)
    assert result.unassigned[0].code == Why.CASE_TYPE
    assert result.unassigned[0].why == "no mentor has this case type (U visa)"
    assert result.unassigned[0].es == (
        "ningún/a mentor/a tiene experiencia en este tipo de caso (visa U)"
    )


def test_assign_all_maximises_the_number_matched_before_the_score() -> None:
    # Greedy would give r1 its best mentor (1, who knows the court) and leave r2 without one.
    mentors = [mentor(1, capacity=1, courts=("SF",)), mentor(2, capacity=1, languages=("en",))]
    result = assign_all(
        [request("r1", court="SF"), request("r2", court="SF", languages=("es",))], mentors, AS_OF
    )
    assert {(p.request_id, p.mentor_id) for p in result.assignments} == {("r1", 2), ("r2", 1)}
    assert result.unassigned == ()


def test_assign_all_maximises_the_total_score() -> None:
    # Both requests can go to either mentor; only one pairing gets both court bonuses.
    mentors = [mentor(1, capacity=1, courts=("SF",)), mentor(2, capacity=1, courts=("LA",))]
    result = assign_all([request("r1", court="LA"), request("r2", court="SF")], mentors, AS_OF)
    assert {(p.request_id, p.mentor_id) for p in result.assignments} == {("r1", 2), ("r2", 1)}
    assert result.total_score == 2 * 80.0


def test_assign_all_gives_scarce_places_to_the_earliest_hearing() -> None:
    requests = [
        request("later", hearing=date(2026, 9, 1)),
        request("soon", hearing=date(2026, 1, 15)),
        request("none"),
    ]
    result = assign_all(requests, [mentor(1, capacity=1)], AS_OF)
    assert [p.request_id for p in result.assignments] == ["soon"]


def test_assign_all_prefers_the_less_loaded_mentor() -> None:
    mentors = [mentor(1, capacity=4, load=3), mentor(2, capacity=4, load=0)]
    result = assign_all([request("r")], mentors, AS_OF)
    assert result.assignments[0].mentor_id == 2


def test_assign_all_ties_are_deterministic_and_independent_of_input_order() -> None:
    requests = [request(f"r{i}") for i in range(6)]
    mentors = [mentor(i, capacity=2) for i in range(4)]
    first = assign_all(requests, mentors, AS_OF)
    assert first.matched == 6
    rng = random.Random(1)
    for _ in range(5):
        shuffled_requests, shuffled_mentors = requests[:], mentors[:]
        rng.shuffle(shuffled_requests)
        rng.shuffle(shuffled_mentors)
        again = assign_all(shuffled_requests, shuffled_mentors, AS_OF)
        assert again == first


def test_assign_all_lists_every_request_once_sorted_by_id() -> None:
    requests = [request(3), request(1, case_type="u_visa"), request("x"), request(2)]
    result = assign_all(requests, [mentor(1, capacity=1)], AS_OF)
    ids = [p.request_id for p in result.assignments] + [u.request_id for u in result.unassigned]
    assert sorted(ids, key=str) == sorted([3, 1, "x", 2], key=str)
    assert [u.request_id for u in result.unassigned] == [1, 3, "x"]


def test_assign_all_reasons_are_those_of_score_pair() -> None:
    req = request("r", court="SF", hearing=date(2026, 1, 10), attorney="a")
    men = mentor(1, courts=("SF",), prior=("a",), capacity=2, load=1)
    result = assign_all([req], [men], AS_OF)
    assert result.assignments == (score_pair(req, men, AS_OF),)
    assert objective(result) == (1, result.assignments[0].score_tenths)


def test_assign_all_with_nothing_to_do() -> None:
    assert assign_all([], [], AS_OF).matched == 0
    result = assign_all([request("r")], [], AS_OF)
    assert result.unassigned[0].code == Why.CASE_TYPE


def test_assign_all_refuses_duplicate_ids() -> None:
    with pytest.raises(ValueError, match="duplicate request id"):
        assign_all([request("r"), request("r")], [mentor(1)], AS_OF)
    with pytest.raises(ValueError, match="duplicate mentor id"):
        assign_all([request("r")], [mentor(1), mentor(1)], AS_OF)


def test_build_candidates_scores_agree_with_score_pair() -> None:
    requests = [
        request("a", court="SF", languages=("es",), hearing=date(2026, 2, 1), attorney="x"),
        request("b", topics=("children",)),
    ]
    mentors = [
        mentor(1, courts=("SF",), prior=("x",), load=1),
        mentor(2, expertise=(ASYLUM, "children"), capacity=5, load=4),
    ]
    graph = build_candidates(requests, mentors, AS_OF)
    for r, m, tenths in zip(graph.pair_request, graph.pair_mentor, graph.pair_tenths, strict=True):
        req, men = graph.requests[r], graph.mentors[m]
        assert feasible(req, men).ok
        assert tenths == score_pair(req, men, AS_OF).score_tenths
    assert len(graph.pair_request) == 4
