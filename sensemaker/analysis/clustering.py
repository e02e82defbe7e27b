"""Choosing the number of clusters and fitting k-means on a feature matrix.

With k left open, every k in `k_range` is fitted (`n_init` k-means++ restarts) on a
uniform sample of at most `sweep_sample` rows. Each k gets two scores: the mean
silhouette width on a fixed sub-sample of at most `silhouette_sample` rows (one exact
distance matrix, reused for every k), and the Calinski–Harabasz index on all rows (each
row assigned to its nearest sample centre). The chosen k has the highest silhouette,
except that among the k whose silhouette is within `SILHOUETTE_TOLERANCE` of the best,
the one with the highest Calinski–Harabasz wins. The chosen k is then fitted on all rows
with Lloyd iterations from the best sample centres. See docs/analysis.md.
"""

from dataclasses import dataclass, field

import numpy as np

from . import kmeans, scores
from .answers import Significations
from .features import Features, FeatureSpec, build_features
from .jsonable import plain

K_RANGE = (2, 8)
N_INIT = 4
MAX_ITER = 100
SWEEP_SAMPLE = 20_000
SILHOUETTE_SAMPLE = 4_000
# Silhouette differences smaller than this are within the noise of a 4000-point sample
# (its standard error is about 0.005) and of k-means restarts, so they do not decide.
SILHOUETTE_TOLERANCE = 0.02


@dataclass
class KScore:
    k: int
    silhouette: float
    calinski_harabasz: float
    inertia: float  # on the sweep sample

    def as_dict(self) -> dict:
        return {key: _finite(value) for key, value in self.__dict__.items()}


@dataclass
class Clustering:
    """The outcome of `fit`: a k-means solution on all rows and how k was chosen."""

    fit: kmeans.KMeansFit
    chosen_by: str  # "silhouette+calinski-harabasz" or "fixed"
    scores: list[KScore] = field(default_factory=list)
    parameters: dict = field(default_factory=dict)

    @property
    def k(self) -> int:
        return self.fit.k


def choose_k(candidates: list[KScore], tolerance: float = SILHOUETTE_TOLERANCE) -> int:
    """Highest silhouette; ties within `tolerance` go to the highest Calinski–Harabasz."""
    usable = [s for s in candidates if np.isfinite(s.silhouette)]
    if not usable:
        return candidates[0].k
    best = max(s.silhouette for s in usable)
    close = [s for s in usable if s.silhouette >= best - tolerance]
    return max(close, key=lambda s: (np.nan_to_num(s.calinski_harabasz, nan=-1.0), -s.k)).k


def fit(
    points: np.ndarray,
    *,
    k: int | None = None,
    k_range: tuple[int, int] = K_RANGE,
    n_init: int = N_INIT,
    max_iter: int = MAX_ITER,
    tol: float = kmeans.TOLERANCE,
    seed: int = 0,
    sweep_sample: int = SWEEP_SAMPLE,
    silhouette_sample: int = SILHOUETTE_SAMPLE,
) -> Clustering:
    """Cluster the rows of `points` (n, d); k chosen from `k_range` unless given.

    A fixed k goes the same way as a chosen one: restarts on the sample, scores, then
    Lloyd iterations on all rows.
    """
    points = np.ascontiguousarray(points)
    n = len(points)
    parameters = {
        "k": k,
        "k_range": list(k_range),
        "n_init": n_init,
        "max_iter": max_iter,
        "tol": tol,
        "seed": seed,
        "sweep_sample": sweep_sample,
        "silhouette_sample": silhouette_sample,
    }
    if k is not None:
        if not 1 <= k <= n:
            raise ValueError(f"k must lie between 1 and the number of rows ({n}), not {k}")
        candidates = [k]
    else:
        low, high = k_range[0], min(k_range[1], n - 1)
        if low < 2 or high < low:
            raise ValueError(f"cannot choose k in {k_range} for {n} rows")
        candidates = list(range(low, high + 1))
    rng = np.random.default_rng(seed)
    norms = kmeans.row_norms(points)
    sample = _sample(n, sweep_sample, rng)
    sample_points = points[sample] if sample is not None else points
    sample_norms = norms[sample] if sample is not None else norms
    sample_tol = kmeans.absolute_tolerance(sample_points, tol)
    judged = _sample(len(sample_points), silhouette_sample, rng)
    judged = np.arange(len(sample_points)) if judged is None else judged
    distances = scores.pairwise_distances(sample_points[judged], dtype=np.float32)

    fits: dict[int, kmeans.KMeansFit] = {}
    k_scores = []
    for candidate in candidates:
        best = None
        for _ in range(n_init):
            start = kmeans.kmeans_plusplus(sample_points, candidate, rng, sample_norms)
            trial = kmeans.lloyd(sample_points, start, max_iter, sample_tol, sample_norms)
            if best is None or trial.inertia < best.inertia:
                best = trial
        fits[candidate] = best
        width = scores.silhouette_from_distances(distances, best.labels[judged])
        if sample is None:
            everyone = best.labels
        else:
            everyone, _ = kmeans.nearest(points, best.centres, norms)
        ch = scores.calinski_harabasz(points, everyone, candidate)
        k_scores.append(KScore(candidate, width, ch, best.inertia))

    if k is not None:
        chosen, chosen_by = k, "fixed"
    else:
        chosen, chosen_by = choose_k(k_scores), "silhouette+calinski-harabasz"
        if not any(np.isfinite(score.silhouette) for score in k_scores):
            chosen_by = "lowest k: no spread to score"
    final = fits[chosen]
    if sample is not None:
        final = kmeans.lloyd(
            points, final.centres, max_iter, kmeans.absolute_tolerance(points, tol), norms
        )
    return Clustering(final, chosen_by, k_scores, parameters)


RUN_FORMAT = 1


@dataclass
class ClusterRun:
    """A finished clustering of fragments, ready to be stored as JSON and read back.

    `labels` has one entry per fragment in the order given: 0…k-1, or -1 for a fragment
    left out (N/A or missing on a chosen question; counts in `unclustered`). Clusters are
    numbered by size, largest first.
    """

    k: int
    chosen_by: str
    seed: int
    spec: FeatureSpec
    parameters: dict
    scores: list[dict]
    labels: np.ndarray
    sizes: list[int]
    centres: np.ndarray  # (k, d) in feature space
    columns: list[str]
    scaling: dict
    unclustered: dict
    inertia: float
    n_iter: int
    converged: bool

    @property
    def n_fragments(self) -> int:
        return len(self.labels)

    def to_json(self) -> dict:
        data = {key: getattr(self, key) for key in self.__dataclass_fields__}
        data["spec"] = self.spec.as_dict()
        data["format"] = RUN_FORMAT
        return plain(data)

    @classmethod
    def from_json(cls, data: dict) -> "ClusterRun":
        data = dict(data)
        if data.pop("format", RUN_FORMAT) != RUN_FORMAT:
            raise ValueError("cluster run stored in an unknown format")
        data["spec"] = FeatureSpec.from_dict(data["spec"])
        data["labels"] = np.asarray(data["labels"], dtype=np.int64)
        data["centres"] = np.asarray(data["centres"], dtype=float)
        return cls(**data)


def cluster_fragments(
    significations: Significations,
    spec: FeatureSpec | None = None,
    *,
    k: int | None = None,
    seed: int = 0,
    features: Features | None = None,
    **options,
) -> ClusterRun:
    """Cluster fragments on the questions in `spec` (default: every triad and dyad).

    `options` go to `fit` (k_range, n_init, max_iter, sweep_sample, silhouette_sample).
    Pass `features` when they are already built for this spec.
    """
    features = features or build_features(significations, spec)
    clustered = len(features.rows)
    if clustered < 3:
        raise ValueError(f"only {clustered} fragments can be clustered on these questions")
    result = fit(features.matrix, k=k, seed=seed, **options)
    order = np.argsort(-np.bincount(result.fit.labels, minlength=result.k), kind="stable")
    renumber = np.empty(result.k, dtype=np.int64)
    renumber[order] = np.arange(result.k)
    labels = np.full(features.n_fragments, -1, dtype=np.int64)
    labels[features.rows] = renumber[result.fit.labels]
    return ClusterRun(
        k=result.k,
        chosen_by=result.chosen_by,
        seed=seed,
        spec=features.spec,
        parameters=result.parameters,
        scores=[score.as_dict() for score in result.scores],
        labels=labels,
        sizes=np.bincount(labels[labels >= 0], minlength=result.k).tolist(),
        centres=result.fit.centres[order],
        columns=features.columns,
        scaling=features.scaling,
        unclustered=features.unclustered,
        inertia=result.fit.inertia,
        n_iter=result.fit.n_iter,
        converged=result.fit.converged,
    )


def _sample(n: int, size: int, rng: np.random.Generator) -> np.ndarray | None:
    """Sorted indices of a uniform sample without replacement, or None if n ≤ size."""
    if n <= size:
        return None
    return np.sort(rng.choice(n, size=size, replace=False))


def _finite(value):
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value
