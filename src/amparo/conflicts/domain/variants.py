"""Spelling variants of name parts: a small table of known transliterations and a phonetic
folding for Spanish (and Arabic names as written in Spanish- and English-speaking countries).

Why a table *and* a folding: the folding catches the regular sound-alike spellings of Spanish
(b/v, c/s/z, silent h, y/j at the start of a syllable, qu/k/c, Ximena/Jimena), which is how names
are most often re-spelled by an intake worker writing down what they hear. Transliterations of
Arabic names (Mohammed/Muhammad) and English names respelled the Spanish way (Brian/Brayan,
Michael/Maicol) change vowels or letters in ways no simple rule captures, so they are listed.

Keep the table small and documented: every group must be spellings of *one* name as people write
it, never translations (Guillermo is not William) or nicknames (Pepe is not José), so that a
variant match still means "the same name, spelled differently".

Pure Python: no Django, no other app.
"""

from __future__ import annotations

import re

# First entry of each group is the canonical spelling (what the variant key is built from).
VARIANT_GROUPS: tuple[tuple[str, ...], ...] = (
    # Arabic transliterations (Latin script, English/French/Spanish habits).
    (
        "muhammad",
        "mohammed",
        "mohammad",
        "mohamed",
        "mohamad",
        "muhammed",
        "muhamed",
        "mohammod",
        "mouhamed",
    ),
    ("ahmad", "ahmed", "ahmet"),
    ("husayn", "hussein", "husein", "hussain", "husain", "hossein"),
    ("yusuf", "youssef", "yousef", "yousif", "yusef", "youssouf"),
    ("abdul", "abdel", "abdoul"),
    ("umar", "omar"),
    ("usama", "osama", "oussama"),
    ("aisha", "aicha", "ayesha", "aysha"),
    ("fatima", "fatma", "fatimah", "fatouma"),
    # Spanish Y/J/LL and X/J spellings of the same name.
    ("yesenia", "jesenia", "yessenia", "llesenia"),
    ("ximena", "jimena"),
    ("wilmer", "vilmer"),
    ("walter", "gualter", "valter"),
    # English names as respelled in Central America (and back).
    ("john", "jhon", "jon"),
    ("jonathan", "jhonatan", "jonatan", "yonatan", "johnatan", "jhonathan"),
    (
        "katherine",
        "catherine",
        "kathryn",
        "katharine",
        "catharine",
        "katerin",
        "katheryn",
        "kathrine",
    ),
    ("brian", "bryan", "brayan", "brayam"),
    ("michael", "maikel", "maycol", "maicol"),
    ("steven", "stiven", "stephen", "esteven"),
    ("jefferson", "yeferson", "jeferson", "yefferson"),
    ("jennifer", "yenifer", "jenifer", "yennifer", "jeniffer"),
    ("jasmine", "yasmin", "jazmin", "yazmin", "jasmin", "yasmine"),
    ("joselyn", "yoselin", "jocelyn", "yocelin", "joselin", "yoselyn"),
    ("johana", "yohana", "johanna", "joana", "yoana"),
    ("william", "wilian", "wiliam", "willian"),
    ("christian", "cristian", "kristian", "cristhian", "christhian"),
    ("erick", "eric", "erik"),
    ("evelyn", "evelin", "ebelin"),
    ("heidi", "heidy", "heydi", "jeidy"),
    # Abbreviations common in Latin American civil records ("Ma. de los Ángeles", "Fco.").
    ("maria", "ma"),
    ("francisco", "fco"),
    ("guadalupe", "gpe"),
)

CANONICAL: dict[str, str] = {spelling: group[0] for group in VARIANT_GROUPS for spelling in group}

_VOWELS = frozenset("aeiou")
_REPEATS = re.compile(r"(.)\1+")


def canonical_spelling(part: str) -> str | None:
    """The table's canonical spelling of a normalised name part, or None if it is not listed."""
    return CANONICAL.get(part)


def spanish_fold(part: str) -> str:
    """A sound-alike key for one normalised name part (lowercase ASCII letters and digits).

    Spanish spelling of the same sounds (after Real Academia Española, *Ortografía* 2010, ch. I,
    on letters with more than one value and sounds with more than one letter, and seseo/yeísmo as
    spoken in the Americas): b = v (= w, as in Wilmer/Vilmer); c before e/i = s = z; c, k, qu = k;
    g before e/i = j = x at the start (Ximena/Jimena) = y before a vowel (Yesenia/Jesenia);
    gu before e/i is a hard g; h is silent (Jhon/John); ph = f, th = t, kh = j (Khalid/Jalid);
    ch and sh are one sound; chr is kr (Christian). Doubled letters count once (ll, rr, nn), and a
    final unstressed e after a consonant is dropped (Katherine/Katerin, Jasmine/Jasmin).

    Upper-case letters in the key mark folded classes so they never collide with plain letters.
    """
    out: list[str] = []
    i = 0
    n = len(part)
    while i < n:
        c = part[i]
        nxt = part[i + 1] if i + 1 < n else ""
        nxt2 = part[i + 2] if i + 2 < n else ""
        if c == "c":
            if nxt == "h":
                out.append("k" if nxt2 == "r" else "C")
                i += 2
                continue
            if nxt == "k":
                out.append("k")
                i += 2
                continue
            out.append("s" if nxt and nxt in "eiy" else "k")
        elif c in "spt" and nxt == "h":
            out.append({"s": "C", "p": "f", "t": "t"}[c])
            i += 2
            continue
        elif c == "k" and nxt == "h":
            out.append("J")
            i += 2
            continue
        elif c == "g":
            if nxt == "h":
                out.append("g")
                i += 2
                continue
            if nxt == "u" and nxt2 and nxt2 in "ei":
                out.append("g")
                i += 2
                continue
            out.append("J" if nxt and nxt in "eiy" else "g")
        elif c == "q":
            out.append("k")
            i += 2 if nxt == "u" else 1
            continue
        elif c == "x":
            out.append("J" if i == 0 else "ks")
        elif c == "z":
            out.append("s")
        elif c in "vbw":
            out.append("b")
        elif c == "j":
            out.append("J")
        elif c == "y":
            out.append("J" if nxt in _VOWELS else "i")
        elif c == "h":
            pass
        else:
            out.append(c)
        i += 1
    key = _REPEATS.sub(r"\1", "".join(out))
    if len(key) > 3 and key.endswith("e") and key[-2] not in _VOWELS:
        key = key[:-1]
    return key or part


def variant_key(part: str) -> str:
    """The key two spellings of the same name share: the folding of the table's canonical
    spelling when the part is listed, of the part itself otherwise (so an unlisted spelling that
    sounds like a listed one still meets it)."""
    return spanish_fold(canonical_spelling(part) or part)


def skeleton(key: str) -> str:
    """The consonant outline of a variant key (first letter kept): tolerant of a wrong or
    missing vowel and of a doubled consonant, so that typed names (Hernadez/Hernández) still
    meet in the blind index. Only used to find candidates, never as evidence of a match."""
    if not key:
        return key
    rest = "".join(ch for ch in key[1:] if ch not in _VOWELS)
    return _REPEATS.sub(r"\1", key[0] + rest)


# The most frequent given names and surnames among the people a program like this serves
# (Mexico and Central America; from published frequency lists such as the civil registries' and
# INEGI's: exact ranks do not matter, only that each word is very common). Agreement on one of
# these is weaker evidence that two records are one person (value-specific frequency weights,
# Winkler 1989 on Fellegi-Sunter record linkage), so a *partial* name made only of them
# ("María Hernández" against a four-part name) is not enough for a match. Complete agreement
# always is.
VERY_COMMON = frozenset(
    {
        # given names
        "maria",
        "jose",
        "juan",
        "luis",
        "carlos",
        "jesus",
        "francisco",
        "miguel",
        "antonio",
        "pedro",
        "manuel",
        "jorge",
        "alejandro",
        "fernando",
        "ricardo",
        "roberto",
        "javier",
        "mario",
        "david",
        "daniel",
        "eduardo",
        "sergio",
        "victor",
        "oscar",
        "santos",
        "angel",
        "ana",
        "rosa",
        "carmen",
        "guadalupe",
        "marta",
        "martha",
        "elena",
        "patricia",
        "sandra",
        "gloria",
        "juana",
        "francisca",
        "teresa",
        "margarita",
        "josefina",
        "leticia",
        "isabel",
        "lucia",
        # surnames
        "hernandez",
        "garcia",
        "martinez",
        "lopez",
        "gonzalez",
        "rodriguez",
        "perez",
        "sanchez",
        "ramirez",
        "cruz",
        "flores",
        "gomez",
        "diaz",
        "reyes",
        "morales",
        "jimenez",
        "torres",
        "ruiz",
        "vasquez",
        "vazquez",
        "mendoza",
        "castillo",
        "ortiz",
        "romero",
        "alvarez",
        "rivera",
        "chavez",
        "gutierrez",
        "juarez",
        "aguilar",
        "medina",
        "castro",
        "vargas",
        "herrera",
        "moreno",
        "mejia",
        "guzman",
        "rojas",
        "ramos",
        "dominguez",
        "salazar",
        "mendez",
    }
)


def is_very_common(part: str) -> bool:
    return part in VERY_COMMON or canonical_spelling(part) in VERY_COMMON
