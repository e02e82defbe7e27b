"""How good a clustering is: silhouette, Calinski–Harabasz, adjusted Rand index.

References: Rousseeuw (1987); Caliński & Harabasz (1974); Hubert & Arabie (1985).
"""

import numpy as np

from .kmeans import cluster_sums, row_norms


def pairwise_distances(points: np.ndarray, dtype=np.float64) -> np.ndarray:
    """Euclidean distances between all rows, (n, n); meant for a sample.

    float32 halves the time and memory; the k sweep uses it for its silhouette sample.
    """
    points = np.asarray(points, dtype=dtype)
    norms = np.einsum("ij,ij->i", points, points)
    squared = points @ (-2.0 * points.T)
    squared += norms[:, None]
    squared += norms[None, :]
    np.maximum(squared, 0.0, out=squared)
    np.fill_diagonal(squared, 0.0)
    return np.sqrt(squared, out=squared)


def silhouette_from_distances(distances: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette width for `labels` given the full distance matrix of the same rows.

    A point alone in its cluster scores 0, as in Rousseeuw (1987). Reusing one distance
    matrix for several labelings is what makes the k sweep cheap.
    """
    labels = np.asarray(labels)
    _, codes = np.unique(labels, return_inverse=True)
    k = int(codes.max()) + 1
    n = len(codes)
    if k < 2 or k >= n:
        return float("nan")
    membership = np.zeros((n, k), dtype=distances.dtype)
    membership[np.arange(n), codes] = 1.0
    # (n, k): summed distance from each point to each cluster
    totals = (distances @ membership).astype(np.float64)
    sizes = np.bincount(codes, minlength=k).astype(np.float64)
    own_size = sizes[codes]
    own = totals[np.arange(n), codes]
    with np.errstate(divide="ignore", invalid="ignore"):
        a = own / (own_size - 1.0)
        mean_to = totals / sizes
    mean_to[np.arange(n), codes] = np.inf
    b = mean_to.min(axis=1)
    denominator = np.maximum(a, b)
    width = np.divide(b - a, denominator, out=np.zeros(n), where=denominator > 0)
    width[own_size <= 1] = 0.0
    return float(width.mean())


def silhouette(points: np.ndarray, labels: np.ndarray) -> float:
    """Exact mean silhouette width (all pairs): for up to a few thousand rows."""
    return silhouette_from_distances(pairwise_distances(points), labels)


def calinski_harabasz(points: np.ndarray, labels: np.ndarray, k: int | None = None) -> float:
    """Between- over within-cluster dispersion, each per degree of freedom.

    Uses the exact cluster means of `labels`, so total = between + within holds.
    """
    points = np.asarray(points)
    labels = np.asarray(labels)
    k = int(labels.max()) + 1 if k is None else k
    n = len(points)
    sums, sizes = cluster_sums(points, labels, k)
    present = sizes > 0
    used = int(present.sum())
    if used < 2 or used >= n:
        return float("nan")
    grand = sums.sum(axis=0) / n
    means = sums[present] / sizes[present, None]
    between = float((sizes[present] * ((means - grand) ** 2).sum(axis=1)).sum())
    total = float(row_norms(points).sum() - n * (grand**2).sum())
    within = max(total - between, 0.0)
    if within == 0:
        return float("inf")
    return between / (used - 1) / (within / (n - used))


def adjusted_rand_index(truth: np.ndarray, labels: np.ndarray) -> float:
    """Adjusted Rand index of two labelings of the same rows (Hubert & Arabie 1985)."""
    truth = np.asarray(truth)
    labels = np.asarray(labels)
    if truth.shape != labels.shape:
        raise ValueError("labelings must have the same length")
    _, rows = np.unique(truth, return_inverse=True)
    _, cols = np.unique(labels, return_inverse=True)
    n_cols = int(cols.max()) + 1 if cols.size else 1
    table = np.bincount(rows * n_cols + cols).astype(np.float64)

    def pairs(counts):
        return float((counts * (counts - 1) / 2.0).sum())

    together = pairs(table)
    in_truth = pairs(np.bincount(rows).astype(np.float64))
    in_labels = pairs(np.bincount(cols).astype(np.float64))
    n = float(truth.size)
    expected = in_truth * in_labels / (n * (n - 1) / 2.0) if n > 1 else 0.0
    maximum = (in_truth + in_labels) / 2.0
    if maximum == expected:  # both labelings put everything together, or nothing
        return 1.0
    return (together - expected) / (maximum - expected)
