"""Synthetic significations with planted groups, for tests, benchmarks and demos.

Each group has its own centre on every triad (a point in ilr space) and dyad, and its
own leaning on one single-choice question. Answers scatter around the group centre,
are rounded to the widget's 1 % resolution (so some land exactly on edges), some of those
near the border are snapped onto an edge or into a corner, and a few are N/A or missing.
"""

from dataclasses import dataclass

import numpy as np

from . import compositions
from .answers import ChoiceAnswers, DyadAnswers, Significations, TriadAnswers

SNAP_EDGE = 0.06
SNAP_CORNER = 0.85


@dataclass
class Planted:
    significations: Significations
    groups: np.ndarray  # (n,) the true group of each fragment
    triad_centres: np.ndarray  # (groups, triads, 3) shares
    dyad_centres: np.ndarray  # (groups, dyads)


def generate(
    n: int,
    *,
    groups: int = 5,
    triads: int = 4,
    dyads: int = 3,
    seed: int = 0,
    separation: float = 1.2,
    spread: float = 0.4,
    dyad_spread: float = 0.08,
    snap: float = 0.3,
    na_rate: float = 0.02,
    missing_rate: float = 0.005,
    choice_options: int = 4,
    min_gap: float = 8.0,
) -> Planted:
    """`n` fragments in `groups` equal-probability groups, named triad1…, dyad1…, choice."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(groups, size=n)
    triad_centres, dyad_centres = _centres(
        rng, groups, triads, dyads, separation, spread, dyad_spread, min_gap
    )
    questions = {}
    for t in range(triads):
        coords = triad_centres[truth, t] + rng.normal(0.0, spread, size=(n, 2))
        shares = _resolution(compositions.ilr_inverse(coords))
        _snap_to_boundary(shares, rng, snap)
        na, missing = _blanks(n, rng, na_rate, missing_rate)
        shares[na | missing] = np.nan
        questions[f"triad{t + 1}"] = TriadAnswers(shares, na)
    for d in range(dyads):
        values = dyad_centres[truth, d] + rng.normal(0.0, dyad_spread, size=n)
        values = np.round(np.clip(values, 0.0, 1.0), 2)
        na, missing = _blanks(n, rng, na_rate, missing_rate)
        values[na | missing] = np.nan
        questions[f"dyad{d + 1}"] = DyadAnswers(values, na)
    # Each group leans to one option of a single choice (60 %), the rest at random.
    leaning = rng.permutation(np.arange(groups) % choice_options)
    picks = np.where(rng.random(n) < 0.6, leaning[truth], rng.integers(choice_options, size=n))
    selected = np.zeros((n, choice_options), dtype=bool)
    selected[np.arange(n), picks] = True
    options = tuple(f"option{j + 1}" for j in range(choice_options))
    questions["choice"] = ChoiceAnswers(selected, options, np.ones(n, dtype=bool))
    return Planted(
        Significations(questions),
        truth,
        compositions.ilr_inverse(triad_centres),
        dyad_centres,
    )


def _centres(rng, groups, triads, dyads, separation, spread, dyad_spread, min_gap):
    """Group centres drawn until every two groups lie `min_gap` noise SDs apart.

    The gap is measured over all questions together, each in units of its answers'
    scatter around the centre, so that the planted groups are real groups.
    """
    for _ in range(1000):
        # Clipped so that no group's centre sits in a corner (every share above ~3 %).
        triad_centres = np.clip(rng.normal(0.0, separation, size=(groups, triads, 2)), -2.5, 2.5)
        dyad_centres = rng.uniform(0.12, 0.88, size=(groups, dyads))
        scaled = np.hstack([triad_centres.reshape(groups, -1) / spread, dyad_centres / dyad_spread])
        gaps = np.linalg.norm(scaled[:, None] - scaled[None], axis=2)
        if gaps[np.triu_indices(groups, 1)].min() >= min_gap:
            break
    return triad_centres, dyad_centres


def _resolution(shares: np.ndarray) -> np.ndarray:
    """Round to whole percent the way a finger on the widget would, still summing to 1."""
    rounded = np.round(shares, 2)
    rounded[:, 0] = np.clip(1.0 - rounded[:, 1] - rounded[:, 2], 0.0, 1.0)
    return compositions.close(rounded)


def _snap_to_boundary(shares, rng, rate) -> None:
    """With probability `rate`, a dot near an edge goes onto it and one near a corner into it.

    Tellers who mean "none of this" drag the dot to the border; near means a share below
    `SNAP_EDGE`, or above `SNAP_CORNER` for a corner.
    """
    n = len(shares)
    rows = np.arange(n)
    smallest = shares.argmin(axis=1)
    edge = (shares[rows, smallest] < SNAP_EDGE) & (rng.random(n) < rate)
    shares[rows[edge], smallest[edge]] = 0.0
    shares[edge] = compositions.close(shares[edge])
    largest = shares.argmax(axis=1)
    corner = (shares[rows, largest] > SNAP_CORNER) & (rng.random(n) < rate)
    shares[corner] = 0.0
    shares[rows[corner], largest[corner]] = 1.0


def _blanks(n, rng, na_rate, missing_rate):
    draw = rng.random(n)
    return draw < na_rate, (draw >= na_rate) & (draw < na_rate + missing_rate)
