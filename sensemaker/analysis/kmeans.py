"""k-means in numpy: k-means++ seeding and Lloyd iterations over chunked BLAS distances.

Squared distances are computed as ‖x‖² − 2x·c + ‖c‖², where x·c is one matrix product
per chunk of rows, so memory stays at `chunk_rows × k` whatever the number of points.
Everything random goes through one `numpy.random.Generator`, so a seed fixes the result.
References: Lloyd (1982); Arthur & Vassilvitskii (2007) for k-means++.
"""

from dataclasses import dataclass

import numpy as np
from scipy import sparse

CHUNK_ROWS = 1 << 15
# OpenBLAS runs a product on one thread while rows·columns·inner stays below this (its
# SMP threshold). Ours are far too small to gain from threads, and on a busy two-core
# server waking threads for them made a clustering up to ten times slower, so chunks
# are cut to stay under it.
SINGLE_THREAD_PRODUCT = 65_536 * 4


def chunk_size(columns: int, inner: int, chunk_rows: int = CHUNK_ROWS) -> int:
    """Rows per chunk for a (rows × inner) @ (inner × columns) product."""
    return int(max(256, min(chunk_rows, SINGLE_THREAD_PRODUCT // max(columns * inner, 1))))


TOLERANCE = 1e-4  # relative to the mean variance of the columns, as in scikit-learn


@dataclass
class KMeansFit:
    """One k-means solution on the rows it was fitted to."""

    centres: np.ndarray  # (k, d)
    labels: np.ndarray  # (n,) cluster of each row
    inertia: float  # sum of squared distances to the nearest centre
    n_iter: int
    converged: bool

    @property
    def k(self) -> int:
        return len(self.centres)


def row_norms(points: np.ndarray) -> np.ndarray:
    """‖x‖² for every row."""
    return np.einsum("ij,ij->i", points, points, dtype=np.float64)


def nearest(
    points: np.ndarray,
    centres: np.ndarray,
    norms: np.ndarray | None = None,
    chunk_rows: int = CHUNK_ROWS,
    second: bool = False,
):
    """Nearest centre of every row and the squared distance to it.

    With `second=True` also returns the squared distance to the second-nearest centre.
    """
    n = len(points)
    if norms is None:
        norms = row_norms(points)
    centres_t = (-2.0 * centres.T).astype(points.dtype)
    centre_norms = row_norms(centres).astype(points.dtype)
    labels = np.empty(n, dtype=np.intp)
    first_dist = np.empty(n)
    second_dist = np.empty(n) if second else None
    step = chunk_size(len(centres), points.shape[1], chunk_rows)
    offsets = np.arange(step) * len(centres)  # flat index of each row's first column
    for start in range(0, n, step):
        stop = min(start + step, n)
        partial = points[start:stop] @ centres_t
        partial += centre_norms
        chunk_labels = partial.argmin(axis=1)
        labels[start:stop] = chunk_labels
        best = partial.ravel().take(chunk_labels + offsets[: stop - start])
        first_dist[start:stop] = best + norms[start:stop]
        if second:
            if partial.shape[1] < 2:
                second_dist[start:stop] = np.inf
                continue
            np.put_along_axis(partial, chunk_labels[:, None], np.inf, axis=1)
            second_dist[start:stop] = partial.min(axis=1) + norms[start:stop]
    # Rounding can leave tiny negative distances for points sitting on a centre.
    np.maximum(first_dist, 0.0, out=first_dist)
    if second:
        np.maximum(second_dist, 0.0, out=second_dist)
        return labels, first_dist, second_dist
    return labels, first_dist


def cluster_sums(points: np.ndarray, labels: np.ndarray, k: int):
    """Per-cluster sums of the rows and cluster sizes, accumulated in float64.

    The sums are one sparse (k, n) membership matrix times the points, which runs in
    compiled code without sorting and without a dense one-hot matrix.
    """
    n = len(labels)
    sizes = np.bincount(labels, minlength=k)
    membership = sparse.csr_matrix((np.ones(n), labels, np.arange(n + 1)), shape=(n, k))
    sums = np.asarray(membership.T @ points, dtype=np.float64)
    return sums, sizes


def update_centres(points, labels, k, dist, old_centres):
    """Cluster means; an emptied cluster moves to the point farthest from its centre."""
    sums, sizes = cluster_sums(points, labels, k)
    centres = np.divide(sums, sizes[:, None], out=old_centres.copy(), where=sizes[:, None] > 0)
    empty = np.flatnonzero(sizes == 0)
    if empty.size:
        farthest = np.argsort(dist)[::-1][: empty.size]
        centres[empty] = points[farthest]
    return centres


def kmeans_plusplus(points, k, rng, norms=None, n_local=None) -> np.ndarray:
    """Greedy k-means++ seeding: each new centre is the best of a few D²-weighted draws."""
    n = len(points)
    if norms is None:
        norms = row_norms(points)
    n_local = n_local or 2 + int(np.log(k))
    centres = np.empty((k, points.shape[1]))
    first = rng.integers(n)
    centres[0] = points[first]
    closest = distances_to(points, norms, points[[first]])[:, 0]
    potential = closest.sum()
    for c in range(1, k):
        if potential <= 0:  # fewer distinct points than k: repeat one, Lloyd copes
            centres[c:] = centres[0]
            break
        draws = rng.random(n_local) * potential
        candidates = np.minimum(np.searchsorted(np.cumsum(closest), draws), n - 1)
        candidate_dist = np.minimum(
            closest[:, None], distances_to(points, norms, points[candidates])
        )
        potentials = candidate_dist.sum(axis=0)
        best = int(potentials.argmin())
        centres[c] = points[candidates[best]]
        closest = candidate_dist[:, best]
        potential = potentials[best]
    return centres


def distances_to(points, norms, others):
    """Squared distances from every row of `points` to every row of `others`."""
    others_t = (-2.0 * others.T).astype(points.dtype)
    dist = np.empty((len(points), len(others)))
    step = chunk_size(len(others), points.shape[1])
    for start in range(0, len(points), step):
        dist[start : start + step] = points[start : start + step] @ others_t
    dist += row_norms(others)
    dist += norms[:, None]
    return np.maximum(dist, 0.0, out=dist)


def absolute_tolerance(points: np.ndarray, tol: float = TOLERANCE) -> float:
    return float(np.var(points, axis=0).mean() * tol)


def lloyd(points, centres, max_iter=100, tol=0.0, norms=None, chunk_rows=CHUNK_ROWS) -> KMeansFit:
    """Lloyd iterations from `centres` until the labels stop changing or the centres move
    less than `tol` (summed squared shift, absolute), at most `max_iter` times."""
    if norms is None:
        norms = row_norms(points)
    k = len(centres)
    labels = None
    converged = False
    n_iter = 0
    for n_iter in range(1, max_iter + 1):  # noqa: B007 - n_iter is reported
        new_labels, dist = nearest(points, centres, norms, chunk_rows)
        if labels is not None and np.array_equal(new_labels, labels):
            converged = True
            break
        labels = new_labels
        new_centres = update_centres(points, labels, k, dist, centres)
        shift = float(((new_centres - centres) ** 2).sum())
        centres = new_centres
        if shift <= tol:
            converged = True
            break
    # Labels and inertia that belong to the final centres.
    labels, dist = nearest(points, centres, norms, chunk_rows)
    return KMeansFit(centres, labels, float(dist.sum()), n_iter, converged)


def kmeans(points, k, *, n_init=4, max_iter=100, tol=TOLERANCE, rng=None, norms=None) -> KMeansFit:
    """Best of `n_init` k-means++ + Lloyd runs (lowest inertia)."""
    rng = np.random.default_rng(rng)
    if norms is None:
        norms = row_norms(points)
    tol_abs = absolute_tolerance(points, tol)
    best = None
    for _ in range(n_init):
        start = kmeans_plusplus(points, k, rng, norms)
        fit = lloyd(points, start, max_iter, tol_abs, norms)
        if best is None or fit.inertia < best.inertia:
            best = fit
    return best
