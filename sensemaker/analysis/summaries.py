"""What one question's answers look like across a set of fragments, as plain dicts.

Every summary counts answered, N/A and missing apart. Centres never include N/A:
a triad's centre is its closed geometric mean, bounded numbers (dyads, stones, star
ratings) get median, quartiles and mean over the answered values only.
"""

import numpy as np

from . import compositions


def counts(answered: np.ndarray, na: np.ndarray) -> dict:
    """Answered, N/A and missing counts for one question (or one stone, one area)."""
    answered = np.asarray(answered, dtype=bool)
    na = np.asarray(na, dtype=bool)
    return {
        "n": int(answered.size),
        "answered": int(answered.sum()),
        "na": int(na.sum()),
        "missing": int((~answered & ~na).sum()),
    }


def bounded(values: np.ndarray) -> dict:
    """Median, quartiles, mean, min and max of the non-NaN values (None when there are none)."""
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if values.size == 0:
        return {key: None for key in ("median", "q1", "q3", "mean", "min", "max")}
    q1, median, q3 = np.quantile(values, [0.25, 0.5, 0.75])
    return {
        "median": float(median),
        "q1": float(q1),
        "q3": float(q3),
        "mean": float(values.mean()),
        "min": float(values.min()),
        "max": float(values.max()),
    }


def triad(answers) -> dict:
    """Counts, corner/edge counts, and the geometric mean with its confidence region."""
    centre = compositions.triad_centre(answers.shares)
    boundary = compositions.boundary_counts(answers.shares)
    return {
        "kind": "triad",
        **counts(answers.answered, answers.na),
        "on_corners": boundary.corners,
        "on_edges": boundary.edges,
        "centre": centre.as_dict(),
    }


def dyad(answers) -> dict:
    return {"kind": "dyad", **counts(answers.answered, answers.na), **bounded(answers.values)}


def stones(answers) -> dict:
    """Per stone: placed/unplaced counts and the spread of x and y among placed stones."""
    placed = answers.placed
    per_stone = {}
    for j, stone in enumerate(answers.stones):
        per_stone[stone] = {
            "placed": int(placed[:, j].sum()),
            "unplaced": int((answers.responded & ~answers.na & ~placed[:, j]).sum()),
            "x": bounded(answers.positions[:, j, 0]),
            "y": bounded(answers.positions[:, j, 1]),
        }
    return {
        "kind": "stones",
        **counts(answers.responded & ~answers.na, answers.na),
        "stones": per_stone,
    }


def choice(answers) -> dict:
    """Count and share (of those who answered) per option; multi-choice shares can add past 1."""
    answered = int(answers.answered.sum())
    chosen = answers.selected[answers.answered].sum(axis=0)
    options = {
        option: {
            "count": int(chosen[j]),
            "share": float(chosen[j] / answered) if answered else None,
        }
        for j, option in enumerate(answers.options)
    }
    summary = counts(answers.answered, answers.na)
    return {"kind": "choice", "multiple": answers.multiple, **summary, "options": options}


def star(answers) -> dict:
    """Per area: counts and median, quartiles and mean of the ratings."""
    areas = {
        area: {
            **counts(answers.answered[:, j], answers.na[:, j]),
            **bounded(answers.ratings[:, j]),
        }
        for j, area in enumerate(answers.areas)
    }
    return {"kind": "star", "areas": areas}
