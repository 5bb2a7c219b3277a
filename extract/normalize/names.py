"""Person and organisation names: one canonical name for the spellings of one person.

Names transliterated from Cyrillic come in several spellings (Zhaparov, Japarov, Dzhaparov). A
phonetic key folds the usual English transliteration variants together; within an article every
mention whose key matches a longer name's surname takes that longer name.
"""

from __future__ import annotations

import re
import unicodedata

# Transliteration variants, applied in order to a lower-cased ASCII name.
_FOLDS = (
    ("dzh", "j"),
    ("zh", "j"),
    ("dj", "j"),
    ("kh", "h"),
    ("ts", "c"),
    ("tz", "c"),
    ("sch", "sh"),
    ("ck", "k"),
    ("ph", "f"),
    ("w", "v"),
    ("y", "i"),
    ("ie", "i"),
    ("ou", "u"),
    ("ee", "i"),
)


def name_key(name: str) -> str:
    """A key shared by transliteration variants of one name: "Zhaparov" and "Japarov" → "japarov"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    key = re.sub(r"[^a-z ]", "", ascii_name)
    for variant, folded in _FOLDS:
        key = key.replace(variant, folded)
    return re.sub(r"(.)\1+", r"\1", key).strip()


def clean_name(text: str) -> str:
    """A name as written, without a leading article or a trailing possessive."""
    text = re.sub(r"^(?:the|The)\s+", "", text.strip())
    return re.sub(r"[’']s?$", "", text).strip()


def canonical_people(names: list[str]) -> dict[str, str]:
    """Map each name to the fullest name in `names` that shares its surname key."""
    full_by_surname: dict[str, str] = {}
    for name in sorted(names, key=lambda n: (-len(n.split()), -len(n))):
        surname = name_key(name.split()[-1]) if name.split() else ""
        full_by_surname.setdefault(surname, name)
    return {
        name: full_by_surname.get(name_key(name.split()[-1]), name) if name.split() else name
        for name in names
    }
