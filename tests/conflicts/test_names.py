"""The pure name matcher: a table of pairs that must and must not match, and its properties.
No database."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amparo.conflicts.domain.names import (
    MATCH_THRESHOLD,
    could_match,
    declared_conflict_names,
    index_tokens,
    match_names,
    name_parts,
    normalize_name,
    part_tokens,
    prepare_name,
)
from amparo.conflicts.domain.variants import VARIANT_GROUPS, spanish_fold, variant_key

MUST_MATCH = [
    # the two-surname convention (the example)
    ("Rosa Amelia Quintanilla Ayala", "Rosa Quintanilla"),
    ("Rosa Amelia Quintanilla Ayala", "Amelia Ayala Quintanilla"),
    ("Rosa Amelia Quintanilla Ayala", "Rosa Amelia Quintanilla"),
    ("María José Hernández López", "María José Hernández"),
    ("María Fernanda García", "María Fernanda García Torres"),
    # word order, letter case, accents
    ("Quintanilla Ayala, Rosa Amelia", "Rosa Amelia Quintanilla Ayala"),
    ("JOSÉ HERNÁNDEZ", "jose hernandez"),
    ("María Hernández", "Hernández, María"),  # common, but the whole name agrees
    ("Ana Sofía Muñoz", "Ana Sofia Munoz"),
    ("Nuñez Peña Begoña", "Begona Nunez Pena"),
    # particles
    ("Juan de la Cruz", "Juan Cruz"),
    ("Juan Delacruz", "Juan de la Cruz"),
    ("María de los Ángeles Reyes", "María Ángeles Reyes"),
    ("Ortega y Gasset José", "José Ortega Gasset"),
    ("Pedro del Valle", "Pedro Valle"),
    ("Carmen Dejesus", "Carmen de Jesús"),
    # hyphenated surnames
    ("Ana Quintanilla-Ayala", "Ana Quintanilla Ayala"),
    ("Luis Pérez-Quintanilla", "Luis Quintanilla"),
    # transliteration variants (table)
    ("Mohammed Ali Hassan", "Muhammad Ali Hassan"),
    ("Mohamed Ali", "Muhammad Ali"),
    ("Yesenia Pérez", "Jesenia Perez"),
    ("Ximena Ruiz", "Jimena Ruiz"),
    ("Wilmer Hernández", "Vilmer Hernandez"),
    ("Jhon Martinez", "John Martínez"),
    ("Katherine Lopez", "Catherine López"),
    ("Brayan Alexander Cruz", "Bryan Cruz"),
    ("Ma. José Flores", "María José Flores"),
    # Spanish sound-alike spellings
    ("Jose Gonzales", "José González"),
    ("Khalid Hassan", "Jalid Hasan"),
    ("Yeferson Ramírez", "Jefferson Ramírez"),
    ("Isabel Vásquez", "Isabel Vazquez"),
    ("Ruth Benítez", "Rut Venítez"),
    # typing errors
    ("José Hernadez", "José Hernández"),
    ("Rosa Quintanila", "Rosa Quintanilla"),
    # initials
    ("J. López", "Juan López"),
    ("Juan C. Pérez", "Juan Carlos Pérez"),
    # one-word names
    ("Ernesto", "ernesto"),
    # an organisation
    ("Transportes Rápidos S.A. de C.V.", "Transportes Rapidos"),
]

MUST_NOT_MATCH = [
    ("María García", "José López"),
    ("María García", "María López"),
    ("Rosa Quintanilla", "Amelia Ayala Quintanilla"),
    ("Mario García", "María García"),  # masculine/feminine pair, not a typo
    ("Daniel Ortiz", "Daniela Ortiz"),
    ("Francisco Ramos", "Francisca Ramos"),
    ("José López García", "María López García"),  # siblings
    ("Rosa Amelia Quintanilla Ayala", "Rosa María Quintanilla Pérez"),
    ("Rosa Amelia Quintanilla Ayala", "Rosa Amelia Quintanilla Pérez"),  # two mothers
    # a partial name of very common words only: hundreds of people on record share it
    ("María José Hernández López", "María Hernández"),
    ("José Luis Hernández López", "José Hernández"),
    ("Ernesto", "Ernesto Malvado"),  # one word in common is not enough
    ("J. L.", "Juan López"),  # initials alone
    ("Guillermo Díaz", "William Díaz"),  # a translation, not a spelling
    ("Ana Torres", "Ada Torres"),
    ("", "Ana Torres"),
    ("de la", "Ana Torres"),
]


@pytest.mark.parametrize(("a", "b"), MUST_MATCH)
def test_match_names_finds_likely_same_person(a, b):
    result = match_names(a, b)
    assert result.match, (a, b, result)
    assert MATCH_THRESHOLD <= result.score <= 1
    assert result.why.startswith("Likely the same person")
    assert result.why_es.startswith("Probablemente la misma persona")


@pytest.mark.parametrize(("a", "b"), MUST_NOT_MATCH)
def test_match_names_keeps_different_people_apart(a, b):
    result = match_names(a, b)
    assert not result.match, (a, b, result)
    assert result.why.startswith("Not a match")
    assert result.why_es.startswith("No coincide")


def test_match_names_table_is_large_enough():
    assert len(MUST_MATCH) + len(MUST_NOT_MATCH) >= 30


def test_match_names_scores_full_names_above_partial_ones():
    full = match_names("Rosa Amelia Quintanilla Ayala", "Rosa Amelia Quintanilla Ayala")
    partial = match_names("Rosa Amelia Quintanilla Ayala", "Rosa Quintanilla")
    variant = match_names("Mohammed Ali", "Muhammad Ali")
    assert full.score == 1.0
    assert 0.8 < partial.score < full.score
    assert 0.9 < variant.score < 1.0


def test_match_names_explains_without_quoting_names():
    result = match_names("Rosa Amelia Quintanilla Ayala", "Rosa Quintanilla")
    for text in (result.why, result.why_es):
        assert "Rosa" not in text and "Quintanilla" not in text and "quintanilla" not in text
    assert "2 parts of the names agree (2 identical)" in result.why
    assert "second surname" in result.why
    assert "segundo apellido" in result.why_es


def test_match_names_explains_the_kind_of_agreement():
    assert "known spelling variant" in match_names("Mohamed Ali", "Muhammad Ali").why
    assert "sound alike" in match_names("Jalid Hasan", "Khalid Hassan").why
    assert "typing error" in match_names("José Hernadez", "José Hernández").why
    assert "initial" in match_names("J. López", "Juan López").why
    assert "particle" in match_names("Juan Delacruz", "Juan de la Cruz").why


def test_normalize_name_drops_accents_case_particles_and_hyphens():
    assert normalize_name("Rosa Amelia QUINTANILLA-Ayala de López") == (
        "rosa amelia quintanilla ayala lopez"
    )
    assert name_parts("María de los Ángeles O'Brien y Núñez") == (
        "maria",
        "angeles",
        "obrien",
        "nunez",
    )
    assert name_parts("J. E. Pérez") == ("j", "e", "perez")  # a dotted E is an initial
    assert name_parts("de la") == ("de", "la")  # a name of particles only is kept


def test_spanish_fold_merges_sound_alike_spellings():
    assert spanish_fold("wilmer") == spanish_fold("vilmer")
    assert spanish_fold("ximena") == spanish_fold("jimena")
    assert spanish_fold("yesenia") == spanish_fold("jesenia")
    assert spanish_fold("jhon") == spanish_fold("jon")
    assert spanish_fold("gonzalez") == spanish_fold("gonsales")
    assert spanish_fold("quintanilla") == spanish_fold("kintanila")
    assert spanish_fold("cecilia") == spanish_fold("sesilia")
    assert spanish_fold("guillermo") != spanish_fold("jillermo")  # gu + i is a hard g
    assert spanish_fold("christian") == spanish_fold("kristian")


def test_variant_groups_share_one_key():
    for group in VARIANT_GROUPS:
        assert len({variant_key(spelling) for spelling in group}) == 1, group


def test_index_tokens_are_per_part_and_include_joined_particles():
    tokens = index_tokens("María de la Cruz")
    assert tokens == {"k:maria", "s:krs", "s:dlkrs"}  # one per part and per joined form
    assert all(not token.endswith(":j") for token in index_tokens("J. López"))  # no initials
    groups = part_tokens(prepare_name("J. López Pérez"))
    assert len(groups) == 2


def test_index_tokens_meet_for_matching_names():
    for a, b in MUST_MATCH:
        if any(p.initial for p in prepare_name(a).parts + prepare_name(b).parts):
            continue
        assert index_tokens(a) & index_tokens(b), (a, b)


def test_declared_conflict_names_one_per_line():
    text = "Ernesto Malvado\n\n  # old firm clients\nTransportes Rápidos S.A.\r\n"
    assert declared_conflict_names(text) == ("Ernesto Malvado", "Transportes Rápidos S.A.")


# --- properties --------------------------------------------------------------------------------

_WORDS = st.sampled_from(
    [
        "maria",
        "jose",
        "rosa",
        "amelia",
        "quintanilla",
        "ayala",
        "hernandez",
        "lopez",
        "garcia",
        "yesenia",
        "jesenia",
        "mohammed",
        "muhammad",
        "wilmer",
        "vilmer",
        "katherine",
        "cruz",
        "perez",
        "gomez",
        "torres",
        "ramirez",
        "nunez",
        "pena",
        "rodriguez",
    ]
)
_NAMES = st.lists(_WORDS, min_size=1, max_size=5).map(" ".join)
_ACCENTED = str.maketrans({"a": "á", "e": "é", "i": "í", "o": "ó", "u": "ü", "n": "ñ"})


@settings(max_examples=300, deadline=None)
@given(_NAMES, _NAMES)
def test_match_names_is_symmetric(a, b):
    one, other = match_names(a, b), match_names(b, a)
    assert (one.match, one.score) == (other.match, other.score)


@settings(max_examples=200, deadline=None)
@given(_NAMES, _NAMES)
def test_match_names_ignores_accents_and_case(a, b):
    plain = match_names(a, b)
    decorated = match_names(a.translate(_ACCENTED).upper(), b.title())
    assert (plain.match, plain.score) == (decorated.match, decorated.score)


@settings(max_examples=200, deadline=None)
@given(_NAMES, _NAMES, st.randoms(use_true_random=False))
def test_match_names_ignores_word_order(a, b, rng):
    words = a.split()
    rng.shuffle(words)
    before, after = match_names(a, b), match_names(" ".join(words), b)
    assert (before.match, before.score) == (after.match, after.score)


@settings(max_examples=200, deadline=None)
@given(_NAMES)
def test_match_names_a_name_matches_itself(a):
    result = match_names(a, a)
    assert result.match and result.score == 1.0


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.text(max_size=40))
def test_match_names_never_fails_and_scores_between_0_and_1(a, b):
    result = match_names(a, b)
    assert 0.0 <= result.score <= 1.0
    assert result.why and result.why_es


def _shared(a: str, b: str) -> tuple[int, float]:
    """What the blind index knows: a's parts sharing a token with b, and their evidence."""
    prepared = prepare_name(a)
    other = index_tokens(b)
    indexed = [part for part in prepared.parts if not part.initial]
    shared = [
        part for part, tokens in zip(indexed, part_tokens(prepared), strict=True) if tokens & other
    ]
    return len(shared), sum(part.evidence for part in shared)


@pytest.mark.parametrize(("a", "b"), MUST_MATCH)
def test_could_match_never_rules_out_a_match(a, b):
    shared, evidence = _shared(a, b)
    initials = prepare_name(a).initials + prepare_name(b).initials
    assert could_match(
        parts_a=len(prepare_name(a).parts),
        parts_b=len(prepare_name(b).parts),
        shared=shared,
        shared_evidence=evidence,
        unindexed_pairs=initials + 1,  # + 1: the typing-error pairs (a rare part in the service)
    )


@settings(max_examples=300, deadline=None)
@given(_NAMES, _NAMES)
def test_could_match_is_an_upper_bound_of_match_names(a, b):
    if match_names(a, b).match:
        shared, evidence = _shared(a, b)
        assert could_match(
            parts_a=len(prepare_name(a).parts),
            parts_b=len(prepare_name(b).parts),
            shared=shared,
            shared_evidence=evidence,
        )


def test_could_match_rules_out_what_cannot_match():
    # one part in common, four-part names, nothing unindexed
    assert not could_match(parts_a=4, parts_b=4, shared=1, shared_evidence=1.0)
    # three of four agree but the fourth differs in both (two mothers)
    assert not could_match(parts_a=4, parts_b=4, shared=3, shared_evidence=3.0)
    # "María Hernández" against a four-part name
    assert not could_match(parts_a=4, parts_b=2, shared=2, shared_evidence=1.0)
    assert could_match(parts_a=4, parts_b=2, shared=2, shared_evidence=1.5)
    assert could_match(parts_a=2, parts_b=2, shared=2, shared_evidence=1.0)
    assert could_match(parts_a=1, parts_b=1, shared=1, shared_evidence=1.0)
    assert not could_match(parts_a=1, parts_b=3, shared=1, shared_evidence=1.0)
