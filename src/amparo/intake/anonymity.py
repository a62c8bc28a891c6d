"""Does an anonymized summary still name someone? A check on the words, before publication."""

from __future__ import annotations

import re

from unidecode import unidecode

# Words too common to flag even when they are also part of a name ("Rosa" is also "pink").
_MIN_LENGTH = 3


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", unidecode(text).lower())


def summary_identifiers_found(text: str, identifiers: list[str]) -> list[str]:
    """The identifiers (name parts, A-number digits) that appear as whole words in the text."""
    words = set(_words(text))
    digits = re.sub(r"\D", "", text)
    found = []
    for identifier in identifiers:
        clean = unidecode(identifier).lower().strip()
        if clean.isdigit():
            if len(clean) >= 8 and clean in digits:
                found.append(identifier)
        elif len(clean) >= _MIN_LENGTH and clean in words:
            found.append(identifier)
    return sorted(set(found))
