"""Search words as a teller might have bent them: Swedish and English word endings.

The full-text index matches each word as a prefix, so a search for a stem finds its
forms: "sjuksköterskan" is searched as "sjukskötersk" and finds "sjuksköterskor" too.
Stripping is light (the longest of a few common endings, never below three letters),
and å, ä and ö stay letters of their own ("får" never finds "far").
"""

import re

# Swedish plural, definite and verb endings, then English ones; longest first.
ENDINGS = sorted(
    {"arna", "erna", "orna", "heten", "heter", "andet", "ande", "ende", "ade", "are",
     "ast", "aste", "en", "et", "na", "ar", "er", "or", "an", "ad", "a", "e",
     "ing", "ings", "ed", "es", "s"},
    key=len, reverse=True,
)  # fmt: skip
STEM_MIN = 3
WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 8


def stem(word: str) -> str:
    word = word.lower()
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= STEM_MIN:
            return word[: -len(ending)]
    return word


def search_words(text: str) -> list[str]:
    """The words to search for (stems, each matched as a prefix), at most `MAX_WORDS`."""
    return [stem(word) for word in WORD.findall(text or "")][:MAX_WORDS]
