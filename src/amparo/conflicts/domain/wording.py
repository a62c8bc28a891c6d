"""How two name parts can agree, and the plain-language explanation of a comparison, in English
and Spanish.

Explanations never quote the names: they are stored in clear next to a conflict hit, and a
hit's row must not reveal who the people are (8 CFR 208.6; 8 U.S.C. 1367). Spanish follows the
project glossary (usted; "coincidencia", "verificación de conflictos de intereses").
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Agreement(enum.Enum):
    """Why two name parts were paired, strongest first."""

    IDENTICAL = "identical"
    PARTICLE = "particle"  # Delacruz / de la Cruz
    VARIANT = "variant"  # in the table of known spellings (variants.py)
    SOUNDS_ALIKE = "sounds_alike"  # same Spanish sound-alike key
    SIMILAR = "similar"  # one or two letters apart: a likely typing error
    INITIAL = "initial"  # "J." and "Juan"


class Outcome(enum.Enum):
    MATCH = "match"
    EMPTY = "empty"
    NONE_AGREE = "none_agree"
    SINGLE_DIFFERS = "single_differs"
    ONE_AGREES = "one_agrees"
    ONLY_INITIALS = "only_initials"
    TOO_MANY_DIFFER = "too_many_differ"
    COMMON_ONLY = "common_only"


# (English singular, English plural, Spanish singular, Spanish plural)
_AGREEMENT_WORDS: dict[Agreement, tuple[str, str, str, str]] = {
    Agreement.IDENTICAL: ("identical", "identical", "idéntica", "idénticas"),
    Agreement.PARTICLE: (
        "identical apart from a particle such as de or la",
        "identical apart from particles such as de or la",
        "idéntica salvo una partícula como de o la",
        "idénticas salvo partículas como de o la",
    ),
    Agreement.VARIANT: (
        "known spelling variant",
        "known spelling variants",
        "variante conocida de escritura",
        "variantes conocidas de escritura",
    ),
    Agreement.SOUNDS_ALIKE: (
        "spelled differently but sounds alike",
        "spelled differently but sound alike",
        "se escribe distinto pero suena igual",
        "se escriben distinto pero suenan igual",
    ),
    Agreement.SIMILAR: (
        "similar spelling (likely a typing error)",
        "similar spellings (likely typing errors)",
        "escritura parecida (probable error de tipeo)",
        "escrituras parecidas (probables errores de tipeo)",
    ),
    Agreement.INITIAL: (
        "initial that fits the name",
        "initials that fit the names",
        "inicial que corresponde al nombre",
        "iniciales que corresponden a los nombres",
    ),
}

_IGNORED_EN = (
    "Accents, letter case, word order, hyphens and particles (de, del, la, y) are ignored."
)
_IGNORED_ES = (
    "Se ignoran las tildes, las mayúsculas, el orden de las palabras, los guiones y las "
    "partículas (de, del, la, y)."
)


@dataclass(frozen=True)
class Explanation:
    en: str
    es: str


def _count_en(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def _agreements(counts: dict[Agreement, int]) -> tuple[str, str]:
    en: list[str] = []
    es: list[str] = []
    for kind in Agreement:
        n = counts.get(kind, 0)
        if not n:
            continue
        s_en, p_en, s_es, p_es = _AGREEMENT_WORDS[kind]
        en.append(f"{n} {s_en if n == 1 else p_en}")
        es.append(f"{n} {s_es if n == 1 else p_es}")
    return ", ".join(en), ", ".join(es)


def explain(
    *, outcome: Outcome, score: float, counts: dict[Agreement, int], differ: int, extra: int
) -> Explanation:
    """One or two sentences saying why the names match or not, without quoting them."""
    agreeing = sum(counts.values())
    kinds_en, kinds_es = _agreements(counts)
    percent = round(score * 100)
    if outcome is Outcome.EMPTY:
        return Explanation(
            en="Not a match: one of the names has no letters left to compare.",
            es="No coincide: a uno de los nombres no le quedan letras para comparar.",
        )
    if outcome is Outcome.NONE_AGREE:
        return Explanation(
            en=f"Not a match: no part of the names agrees. {_IGNORED_EN}",
            es=f"No coincide: ninguna parte de los nombres coincide. {_IGNORED_ES}",
        )
    if outcome is Outcome.SINGLE_DIFFERS:
        return Explanation(
            en=f"Not a match: the two one-word names differ too much ({kinds_en}).",
            es=f"No coincide: los dos nombres de una sola palabra difieren demasiado ({kinds_es}).",
        )
    if outcome is Outcome.ONE_AGREES:
        return Explanation(
            en=(
                f"Not a match: only one part of the names agrees ({kinds_en}); "
                "at least two are needed."
            ),
            es=(
                f"No coincide: solo una parte de los nombres coincide ({kinds_es}); "
                "se necesitan al menos dos."
            ),
        )
    if outcome is Outcome.COMMON_ONLY:
        return Explanation(
            en=(
                f"Not a match ({percent}%): {agreeing} parts of the names agree ({kinds_en}), "
                "but they are very common given names or surnames and the other name has more "
                "parts: not enough to tell one person from many others."
            ),
            es=(
                f"No coincide ({percent} %): coinciden {agreeing} partes de los nombres "
                f"({kinds_es}), pero son nombres o apellidos muy comunes y el otro nombre tiene "
                "más partes: no basta para distinguir a una persona de muchas otras."
            ),
        )
    if outcome is Outcome.ONLY_INITIALS:
        return Explanation(
            en="Not a match: only initials agree.",
            es="No coincide: solo coinciden iniciales.",
        )
    differ_en = (
        f" {_count_en(differ, 'part differs', 'parts differ')} in both names." if differ else ""
    )
    differ_es = (
        f" {differ} {'parte difiere' if differ == 1 else 'partes difieren'} entre ambos nombres."
        if differ
        else ""
    )
    if outcome is Outcome.TOO_MANY_DIFFER:
        return Explanation(
            en=(
                f"Not a match ({percent}%): {agreeing} parts of the names agree ({kinds_en}), "
                f"but{differ_en}"
            ),
            es=(
                f"No coincide ({percent} %): coinciden {agreeing} partes de los nombres "
                f"({kinds_es}), pero{differ_es}"
            ),
        )
    extra_en = (
        f" The longer name has {_count_en(extra, 'more part', 'more parts')}, as with a middle "
        "name or a second surname."
        if extra
        else ""
    )
    extra_es = (
        f" El nombre más largo tiene {extra} "
        f"{'parte más' if extra == 1 else 'partes más'}, como un segundo nombre o un segundo "
        "apellido."
        if extra
        else ""
    )
    if agreeing == 1:
        return Explanation(
            en=f"Likely the same person ({percent}%): the one-word names agree ({kinds_en}). "
            f"{_IGNORED_EN}",
            es=f"Probablemente la misma persona ({percent} %): los nombres de una sola palabra "
            f"coinciden ({kinds_es}). {_IGNORED_ES}",
        )
    return Explanation(
        en=(
            f"Likely the same person ({percent}%): {agreeing} parts of the names agree "
            f"({kinds_en}).{differ_en}{extra_en} {_IGNORED_EN}"
        ),
        es=(
            f"Probablemente la misma persona ({percent} %): coinciden {agreeing} partes de los "
            f"nombres ({kinds_es}).{differ_es}{extra_es} {_IGNORED_ES}"
        ),
    )
