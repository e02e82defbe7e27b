"""Compare two groups of fragments on every question, with a test and an effect size each.

The groups are boolean masks over the fragments (patients vs staff, before vs after a
change, one cluster vs the rest) and must not overlap. Each question gives one or more
comparisons: a triad its centre, a dyad its location (Mann–Whitney; Kolmogorov–Smirnov
alongside), stones each stone on each axis, a star each area, a single choice its whole
table, a multiple choice each option, and every geometric question its N/A rate when
anyone said N/A. All p-values of one call are corrected together (Benjamini–Hochberg).
A comparison whose groups have fewer than `min_size` answers says so in words instead.
"""

from dataclasses import asdict, dataclass, field

import numpy as np

from . import compositions, significance, summaries, wording
from .answers import Significations
from .jsonable import plain

MIN_SIZE = 10


@dataclass
class Comparison:
    question: str
    kind: str  # triad, dyad, stones, star, choice, na
    subject: str | None  # option, area or "stone.axis" the comparison is about
    n_a: int
    n_b: int
    test: str | None = None
    statistic: float | None = None
    p: float | None = None
    q: float | None = None
    effect: str | None = None
    effect_size: float | None = None
    strength: int = 0
    groups: dict = field(default_factory=dict)  # what each group looks like
    details: dict = field(default_factory=dict)
    secondary: dict | None = None  # a second test on the same data (KS for dyads)
    note: dict | None = None  # {"sv": ..., "en": ...} when no test was run

    @property
    def tested(self) -> bool:
        return self.p is not None

    def as_dict(self) -> dict:
        return plain(asdict(self))


@dataclass
class _Settings:
    min_size: int
    n_permutations: int
    seed: int


def compare_groups(
    significations: Significations,
    group_a,
    group_b,
    *,
    questions=None,
    min_size: int = MIN_SIZE,
    n_permutations: int = significance.N_PERMUTATIONS,
    seed: int = 0,
) -> list[Comparison]:
    """Every comparison between the fragments in `group_a` and in `group_b`, with q-values."""
    group_a = np.asarray(group_a, dtype=bool)
    group_b = np.asarray(group_b, dtype=bool)
    if group_a.shape != (significations.n,) or group_b.shape != (significations.n,):
        raise ValueError("group masks must have one entry per fragment")
    if (group_a & group_b).any():
        raise ValueError("the two groups share fragments; comparisons need separate groups")
    if min_size < 3:
        raise ValueError("min_size must be at least 3")
    settings = _Settings(min_size, n_permutations, seed)
    results: list[Comparison] = []
    for question in questions or list(significations):
        answers = significations[question]
        compare = COMPARE[answers.kind]
        results += compare(question, answers.take(group_a), answers.take(group_b), settings)
    _add_q_values(results)
    return results


def _add_q_values(results: list[Comparison]) -> None:
    p_values = [r.p for r in results] + [r.secondary and r.secondary["p"] for r in results]
    q = significance.q_values(p_values)
    for result, primary, secondary in zip(
        results, q[: len(results)], q[len(results) :], strict=True
    ):
        result.q = primary
        if result.secondary is not None:
            result.secondary["q"] = secondary


def _too_small(comparison: Comparison, settings: _Settings) -> bool:
    if min(comparison.n_a, comparison.n_b) >= settings.min_size:
        return False
    comparison.note = {
        lang: wording.sentence(
            "too_small", lang, n_a=comparison.n_a, n_b=comparison.n_b, minimum=settings.min_size
        )
        for lang in wording.LANGUAGES
    }
    return True


def _record(comparison: Comparison, result: significance.TestResult) -> Comparison:
    comparison.test = result.test
    comparison.statistic = result.statistic
    comparison.p = result.p
    comparison.effect = result.effect
    comparison.effect_size = result.effect_size
    comparison.strength = significance.strength(result.effect, result.effect_size)
    comparison.details.update(result.details)
    return comparison


def _na_rate(question, na_a, answered_a, na_b, answered_b, settings, subject=None):
    """N/A against answered, when anyone in either group said N/A."""
    na = (int(na_a.sum()), int(na_b.sum()))
    given = (int(answered_a.sum()), int(answered_b.sum()))
    if na == (0, 0):
        return []
    n_a, n_b = na[0] + given[0], na[1] + given[1]
    comparison = Comparison(question, "na", subject, n_a, n_b)
    comparison.groups = {
        "a": {"share": na[0] / n_a if n_a else None, "n": n_a},
        "b": {"share": na[1] / n_b if n_b else None, "n": n_b},
    }
    if _too_small(comparison, settings) or sum(given) == 0:
        return [comparison]
    table = [[na[0], given[0]], [na[1], given[1]]]
    return [_record(comparison, significance.contingency(table, settings.seed))]


def _bounded(question, kind, subject, a, b, settings, with_ks=False) -> Comparison:
    a = a[~np.isnan(a)]
    b = b[~np.isnan(b)]
    comparison = Comparison(question, kind, subject, len(a), len(b))
    comparison.groups = {"a": summaries.bounded(a), "b": summaries.bounded(b)}
    if _too_small(comparison, settings):
        return comparison
    if np.ptp(np.concatenate([a, b])) == 0:
        comparison.note = {
            lang: wording.sentence("no_variation", lang) for lang in wording.LANGUAGES
        }
        return comparison
    _record(comparison, significance.ranks(a, b))
    if with_ks:
        ks = significance.distributions(a, b)
        comparison.secondary = {"test": ks.test, "statistic": ks.statistic, "p": ks.p}
    return comparison


def compare_triad(question, a, b, settings) -> list[Comparison]:
    za = compositions.ilr(a.shares[a.answered])
    zb = compositions.ilr(b.shares[b.answered])
    comparison = Comparison(question, "triad", None, len(za), len(zb))
    comparison.groups = {
        "a": {"geometric_mean": _listed(compositions.geometric_mean(a.shares)), "n": len(za)},
        "b": {"geometric_mean": _listed(compositions.geometric_mean(b.shares)), "n": len(zb)},
    }
    if not _too_small(comparison, settings):
        result = significance.compositions(
            za, zb, n_permutations=settings.n_permutations, seed=settings.seed
        )
        _record(comparison, result)
    na = _na_rate(question, a.na, a.answered, b.na, b.answered, settings)
    return [comparison, *na]


def compare_dyad(question, a, b, settings) -> list[Comparison]:
    comparison = _bounded(question, "dyad", None, a.values, b.values, settings, with_ks=True)
    return [comparison, *_na_rate(question, a.na, a.answered, b.na, b.answered, settings)]


def compare_stones(question, a, b, settings) -> list[Comparison]:
    results = []
    for j, stone in enumerate(a.stones):
        for axis, name in enumerate("xy"):
            results.append(
                _bounded(
                    question,
                    "stones",
                    f"{stone}.{name}",
                    a.positions[:, j, axis],
                    b.positions[:, j, axis],
                    settings,
                )
            )
    answered_a, answered_b = a.responded & ~a.na, b.responded & ~b.na
    return results + _na_rate(question, a.na, answered_a, b.na, answered_b, settings)


def compare_star(question, a, b, settings) -> list[Comparison]:
    results = []
    for j, area in enumerate(a.areas):
        results.append(_bounded(question, "star", area, a.ratings[:, j], b.ratings[:, j], settings))
        results += _na_rate(
            question, a.na[:, j], a.answered[:, j], b.na[:, j], b.answered[:, j], settings, area
        )
    return results


def compare_choice(question, a, b, settings) -> list[Comparison]:
    chosen_a = a.selected[a.answered].sum(axis=0)
    chosen_b = b.selected[b.answered].sum(axis=0)
    n_a, n_b = int(a.answered.sum()), int(b.answered.sum())
    if not a.multiple:
        comparison = Comparison(question, "choice", None, n_a, n_b)
        comparison.groups = {
            "a": {"shares": _shares(a.options, chosen_a, n_a), "n": n_a},
            "b": {"shares": _shares(b.options, chosen_b, n_b), "n": n_b},
        }
        used = (chosen_a + chosen_b) > 0
        if not _too_small(comparison, settings) and used.sum() >= 2:
            _record(comparison, significance.contingency([chosen_a, chosen_b], settings.seed))
        return [comparison]
    results = []
    for j, option in enumerate(a.options):
        comparison = Comparison(question, "choice", option, n_a, n_b)
        comparison.groups = {
            "a": {"share": chosen_a[j] / n_a if n_a else None, "n": n_a},
            "b": {"share": chosen_b[j] / n_b if n_b else None, "n": n_b},
        }
        table = [[chosen_a[j], n_a - chosen_a[j]], [chosen_b[j], n_b - chosen_b[j]]]
        if not _too_small(comparison, settings) and 0 < chosen_a[j] + chosen_b[j] < n_a + n_b:
            _record(comparison, significance.contingency(table, settings.seed))
        results.append(comparison)
    return results


COMPARE = {
    "triad": compare_triad,
    "dyad": compare_dyad,
    "stones": compare_stones,
    "star": compare_star,
    "choice": compare_choice,
}


def _shares(options, chosen, n) -> dict:
    return {option: (float(chosen[j] / n) if n else None) for j, option in enumerate(options)}


def _listed(values: np.ndarray) -> list[float] | None:
    return None if np.isnan(values).any() else [float(v) for v in values]
