"""The overview of a survey's filtered stories: over time, languages, prompts, N/A rates."""

import numpy as np

from ..i18n import localize
from .frame import Frame

WEEKLY_UP_TO = 26 * 7  # days spanned: up to half a year by week, longer by month


def timeline(days: np.ndarray) -> dict:
    """Stories per week (Monday) or per month, every period in the span listed."""
    days = days[~np.isnat(days)]
    if days.size == 0:
        return {"unit": "week", "periods": []}
    first, last = days.min(), days.max()
    if (last - first).astype(int) <= WEEKLY_UP_TO:
        unit = "week"
        # 1970-01-01 was a Thursday: shift so that weeks start on Monday.
        starts = ((days - np.datetime64("1970-01-05")).astype(int) // 7) * 7
        starts = np.datetime64("1970-01-05") + starts.astype("timedelta64[D]")
        grid = np.arange(starts.min(), starts.max() + 1, 7)
    else:
        unit = "month"
        starts = days.astype("datetime64[M]")
        grid = np.arange(starts.min(), starts.max() + 1)
        starts = starts.astype("datetime64[D]")
        grid = grid.astype("datetime64[D]")
    found, counts = np.unique(starts, return_counts=True)
    by_start = dict(zip(found.tolist(), counts.tolist(), strict=True))
    periods = [{"start": str(start), "count": int(by_start.get(start.tolist(), 0))}
               for start in grid]  # fmt: skip
    return {"unit": unit, "periods": periods}


def tally(values: np.ndarray, names: dict | None = None) -> list[dict]:
    """Counts of each distinct value, largest first, with shares; `names` labels them."""
    total = len(values)
    found, counts = np.unique(values, return_counts=True) if total else ([], [])
    rows = [{"id": str(v), "label": (names or {}).get(str(v), str(v)) or "–", "count": int(c),
             "share": float(c / total)} for v, c in zip(found, counts, strict=True)]  # fmt: skip
    rows.sort(key=lambda row: (-row["count"], row["label"]))
    return rows


def na_rates(frame: Frame, mask: np.ndarray, lang: str) -> list[dict]:
    """For every geometric question that allows N/A: how many said it does not apply, of
    those who answered it (for a star: of the areas rated or called N/A)."""
    rows = []
    for question in frame.survey.questions.values():
        if not (question.geometric and question.allow_na):
            continue
        answers = frame.significations[question.id].take(mask)
        said = int(answers.na.sum())
        if answers.na.ndim == 1:
            given = answers.n - int(answers.missing.sum())
        else:  # a star: every area is rated or called N/A on its own, so count ratings
            given = said + int(answers.answered.sum())
        rows.append({"id": question.id, "label": localize(question.text, lang), "na": said,
                     "of": given, "share": said / given if given else 0.0})  # fmt: skip
    return rows


def summary(frame: Frame, mask: np.ndarray, lang: str) -> dict:
    survey = frame.survey
    prompts = {p["id"]: localize(p["text"], lang) for p in survey.definition.get("prompts", [])}
    return {
        "n": int(mask.sum()),
        "total": frame.n,
        "timeline": timeline(frame.days[mask]),
        "languages": tally(frame.languages[mask]),
        "prompts": tally(frame.prompts[mask], prompts),
        "na_rates": na_rates(frame, mask, lang),
    }
