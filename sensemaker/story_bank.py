"""The words of synthetic stories: sentence parts from `story_bank.yaml`, put together.

A story is an optional opening, a time phrase with a first event, a few more events and
feelings from one theme, and an optional closing. Each latent group of `generate` tells
from its own theme, so its stories use their own words; a stray sentence from another
theme now and then keeps the groups from being separable by words alone.
"""

from functools import cache
from pathlib import Path

import numpy as np
import yaml

from .survey import TITLE_LIMIT

TITLE_RATE = 0.8  # stories with a title, when the survey asks for one
ONE_SENTENCE_RATE = 0.12
OPENING_RATE, STRAY_RATE, CLOSING_RATE = 0.45, 0.15, 0.5


@cache
def bank() -> dict:
    path = Path(__file__).with_name("story_bank.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def theme_set(survey_id: str) -> str:
    """The theme set: "work_themes" for staff telling about their own work, else "themes"."""
    return "work_themes" if survey_id in bank()["work_surveys"] else "themes"


def theme_count(themes: str) -> int:
    return len(bank()["sv"][themes])


def pick(items: list, number: int):
    return items[number % len(items)]


def phrases(kind: str, languages, themes: str, theme: np.ndarray, numbers) -> list[str]:
    """One sentence of `kind` (e.g. "wishes", "others") per fragment, from its own theme."""
    words = bank()
    return [
        pick(words[lang][themes][own][kind], number)
        for lang, own, number in zip(languages, theme.tolist(), numbers, strict=True)
    ]


def stories(
    rng: np.random.Generator,
    languages: list[str],
    themes: str,
    theme: np.ndarray,
    *,
    limit: int,
    titled: bool,
) -> tuple[list, list[str]]:
    """A title (or None) and a story of at most `limit` characters per fragment."""
    words_by_language = bank()
    numbers = rng.integers(0, 1 << 30, (len(languages), 11)).tolist()
    chances = rng.random((len(languages), 5)).tolist()
    titles, texts = [], []
    for lang, own, r, p in zip(languages, theme.tolist(), numbers, chances, strict=True):
        words = words_by_language[lang]
        sentences = words[themes][own]
        parts = [pick(words["openings"], r[0])] if p[0] < OPENING_RATE else []
        parts.append(f"{pick(words['whens'], r[1])} {pick(sentences['first_events'], r[2])}")
        if p[1] >= ONE_SENTENCE_RATE:
            parts += [pick(sentences["events"], r[3] + j) for j in range(r[4] % 4)]
            if p[2] < STRAY_RATE:
                count = len(words[themes])
                stray = words[themes][(own + 1 + r[5] % (count - 1)) % count]
                parts.append(pick(stray["events"], r[6]))
            parts += [pick(sentences["feelings"], r[7] + j) for j in range(r[8] % 3)]
            if p[3] < CLOSING_RATE:
                parts.append(pick(words["closings"], r[9]))
        texts.append(" ".join(parts)[:limit].strip())
        title = pick(sentences["titles"], r[10])[:TITLE_LIMIT]
        titles.append(title if titled and p[4] < TITLE_RATE else None)
    return titles, texts
