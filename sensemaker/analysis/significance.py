"""The tests behind comparisons, each a thin wrapper over scipy.stats, with an effect size.

- Counts (choices, N/A rates): Pearson chi-square without continuity correction when
  every expected count is at least 5; otherwise Fisher's exact test (2×2) or the
  Fisher–Freeman–Halton test with a seeded Monte Carlo p-value (larger tables).
- Bounded numbers (dyads, stones, star ratings): Mann–Whitney U, with the rank-biserial
  correlation (equal to Cliff's delta); for dyads also two-sample Kolmogorov–Smirnov.
- Compositions (triads): two-sample Hotelling T² on ilr coordinates with a permutation
  p-value (999 seeded permutations), or its F distribution above `PERMUTATION_LIMIT`.
- Many tests at once: Benjamini–Hochberg q-values.
"""

from dataclasses import dataclass, field

import numpy as np
from scipy import stats

MIN_EXPECTED = 5.0
N_PERMUTATIONS = 999
N_MONTE_CARLO = 9_999
PERMUTATION_LIMIT = 10_000  # answers in both groups together; above it T² is F-distributed
PERMUTATION_MEMORY = 500_000  # gathered rows per permutation batch: ~20 MB at the peak


@dataclass
class TestResult:
    test: str
    statistic: float
    p: float
    effect: str
    effect_size: float
    details: dict = field(default_factory=dict)


def contingency(table, seed: int = 0) -> TestResult:
    """Association in a 2×m table of counts (rows are the two groups)."""
    table = np.asarray(table, dtype=np.int64)
    table = table[:, table.sum(axis=0) > 0]
    if table.shape[1] < 2 or (table.sum(axis=1) == 0).any():
        raise ValueError("a contingency table needs two non-empty rows and two used columns")
    expected = stats.contingency.expected_freq(table)
    cramers_v = float(stats.contingency.association(table, method="cramer"))
    details = {"cramers_v": cramers_v, "min_expected": float(expected.min())}
    if table.shape == (2, 2):
        details["odds_ratio"] = odds_ratio(table)
    if expected.min() >= MIN_EXPECTED:
        result = stats.chi2_contingency(table, correction=False)
        test, statistic, p = "chi-square", float(result.statistic), float(result.pvalue)
        details["dof"] = int(result.dof)
    elif table.shape == (2, 2):
        result = stats.fisher_exact(table)
        test, statistic, p = "fisher-exact", float(result.statistic), float(result.pvalue)
    else:
        method = stats.MonteCarloMethod(n_resamples=N_MONTE_CARLO, rng=np.random.default_rng(seed))
        result = stats.fisher_exact(table, method=method)
        test, statistic, p = "fisher-freeman-halton", float(result.statistic), float(result.pvalue)
        details["resamples"] = N_MONTE_CARLO
    if table.shape == (2, 2):
        return TestResult(test, statistic, p, "odds-ratio", details["odds_ratio"], details)
    return TestResult(test, statistic, p, "cramers-v", cramers_v, details)


def odds_ratio(table) -> float:
    """Sample odds ratio (a·d)/(b·c); with a zero cell, 0.5 is added to every cell."""
    (a, b), (c, d) = np.asarray(table, dtype=float)
    if 0 in (a, b, c, d):
        a, b, c, d = a + 0.5, b + 0.5, c + 0.5, d + 0.5
    return float(a * d / (b * c))


def rank_biserial(u: float, n_a: int, n_b: int) -> float:
    """Rank-biserial correlation from group a's U: P(a > b) − P(a < b), ties halved."""
    return float(2.0 * u / (n_a * n_b) - 1.0)


def ranks(a, b) -> TestResult:
    """Two-sided Mann–Whitney U for group a against group b."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    result = stats.mannwhitneyu(a, b, alternative="two-sided")
    u = float(result.statistic)
    effect = rank_biserial(u, len(a), len(b))
    return TestResult("mann-whitney-u", u, float(result.pvalue), "rank-biserial", effect)


def distributions(a, b) -> TestResult:
    """Two-sample Kolmogorov–Smirnov; the effect is the statistic D itself."""
    result = stats.ks_2samp(np.asarray(a, dtype=float), np.asarray(b, dtype=float))
    d = float(result.statistic)
    return TestResult("kolmogorov-smirnov", d, float(result.pvalue), "ks-d", d)


def _inverse(matrix: np.ndarray) -> np.ndarray:
    """Inverse of a covariance matrix; a pseudo-inverse when answers lie on a line."""
    return np.linalg.pinv(matrix, rcond=1e-10, hermitian=True)


def _pooled_covariance(za: np.ndarray, zb: np.ndarray) -> np.ndarray:
    n_a, n_b = len(za), len(zb)
    within = (n_a - 1) * np.cov(za, rowvar=False) + (n_b - 1) * np.cov(zb, rowvar=False)
    return np.atleast_2d(within / (n_a + n_b - 2))


def hotelling_t2(za, zb) -> tuple[float, float]:
    """Two-sample Hotelling T² (pooled covariance) and its F-distribution p-value."""
    za, zb = np.asarray(za, dtype=float), np.asarray(zb, dtype=float)
    n_a, n_b, dims = len(za), len(zb), za.shape[1]
    n = n_a + n_b
    diff = za.mean(axis=0) - zb.mean(axis=0)
    t2 = float(n_a * n_b / n * diff @ _inverse(_pooled_covariance(za, zb)) @ diff)
    f = (n - dims - 1) / (dims * (n - 2)) * t2
    return t2, float(stats.f.sf(f, dims, n - dims - 1))


def compositions(za, zb, *, n_permutations=N_PERMUTATIONS, seed=0) -> TestResult:
    """Do two groups' triad answers (ilr coordinates) differ in their centre?

    The statistic is Hotelling's T². Permutations only move fragments between groups, so
    the total covariance S stays fixed, and T² is an increasing function of
    u = (n_a·n_b/n) · dᵀ S⁻¹ d; each permutation therefore costs one sum over group a.
    """
    za, zb = np.asarray(za, dtype=float), np.asarray(zb, dtype=float)
    n_a, n_b = len(za), len(zb)
    n = n_a + n_b
    both = np.vstack([za, zb])
    mean_a, mean_b = za.mean(axis=0), zb.mean(axis=0)
    diff = mean_a - mean_b
    pooled = _pooled_covariance(za, zb)
    mahalanobis = float(np.sqrt(max(diff @ _inverse(pooled) @ diff, 0.0)))
    details = {
        "aitchison_distance": float(np.linalg.norm(diff)),
        "mean_a": mean_a.tolist(),
        "mean_b": mean_b.tolist(),
    }
    t2, f_p = hotelling_t2(za, zb)
    if n > PERMUTATION_LIMIT:
        details["distribution"] = "F"
        return TestResult("hotelling-t2", t2, f_p, "mahalanobis-d", mahalanobis, details)

    centred = both - both.mean(axis=0)
    whitening = _inverse(np.cov(both, rowvar=False))
    projected = centred @ whitening
    # d = n/(n_a·n_b) · Σ_a centred, so u = n/(n_a·n_b) · (Σ_a centred)ᵀ S⁻¹ (Σ_a centred).
    factor = n / (n_a * n_b)

    def statistic(index_a, index_b, axis=-1):
        sum_a = centred[index_a].sum(axis=-2)
        sum_p = projected[index_a].sum(axis=-2)
        return factor * (sum_a * sum_p).sum(axis=-1)

    batch = max(1, min(n_permutations, PERMUTATION_MEMORY // n))
    result = stats.permutation_test(
        (np.arange(n_a), np.arange(n_a, n)),
        statistic,
        vectorized=True,
        n_resamples=n_permutations,
        batch=batch,
        alternative="greater",
        rng=np.random.default_rng(seed),
    )
    details.update({"distribution": "permutation", "permutations": n_permutations})
    return TestResult(
        "permutation-hotelling-t2", t2, float(result.pvalue), "mahalanobis-d", mahalanobis, details
    )


def q_values(p_values) -> list[float | None]:
    """Benjamini–Hochberg q-values; None stays None (a test that was not run)."""
    p_values = list(p_values)
    present = [i for i, p in enumerate(p_values) if p is not None and np.isfinite(p)]
    q = [None] * len(p_values)
    if present:
        adjusted = stats.false_discovery_control([p_values[i] for i in present], method="bh")
        for i, value in zip(present, adjusted, strict=True):
            q[i] = float(value)
    return q


# Where small, medium and large effects begin, per effect size.
THRESHOLDS = {
    "cramers-v": (0.1, 0.3, 0.5),  # Cohen (1988), w with one degree of freedom
    "odds-ratio": (1.68, 3.47, 6.71),  # Chen, Cohen & Chen (2010); OR or 1/OR
    "rank-biserial": (0.147, 0.33, 0.474),  # Romano et al. (2006), |Cliff's delta|
    "mahalanobis-d": (0.2, 0.5, 0.8),  # Cohen (1988) d, multivariate
    "standardised-difference": (0.2, 0.5, 0.8),  # Cohen (1988) d
}


def strength(effect: str, value: float | None) -> int:
    """0 negligible, 1 small, 2 medium, 3 large."""
    if value is None or not np.isfinite(value) or effect not in THRESHOLDS:
        return 0
    size = abs(value)
    if effect == "odds-ratio":
        size = max(value, 1.0 / value) if value > 0 else np.inf
    return int(sum(size >= limit for limit in THRESHOLDS[effect]))
