"""Triad answers as compositions: triangle points, zero replacement, log-ratios, centres.

A triad answer is three shares summing to 1, in label order (top, bottom-left,
bottom-right). Every function here takes shares along the last axis, so one answer
`(3,)` and many answers `(n, 3)` go through the same code. Rows of NaN (N/A or not
answered) stay NaN and never raise or warn.

Methods and references are in docs/analysis.md: Aitchison (1986) for the geometry,
Egozcue et al. (2003) for ilr, Martín-Fernández et al. (2003) for zero replacement.
"""

from dataclasses import dataclass

import numpy as np
from scipy import stats

# Zero replacement value. The triad widget resolves about 1 % of a share (one step of
# the finger on a phone-sized triangle), so a share below half a step cannot be told
# from zero: it is treated as a rounded zero and replaced by that half step.
DELTA = 0.005

SQRT3_2 = float(np.sqrt(3.0) / 2.0)
# Corner coordinates in label order: top, bottom-left, bottom-right.
CORNERS = np.array([[0.5, SQRT3_2], [0.0, 0.0], [1.0, 0.0]])


def close(parts: np.ndarray) -> np.ndarray:
    """Rescale each row to sum to 1 (the closure operation C[x])."""
    parts = np.asarray(parts, dtype=float)
    return parts / parts.sum(axis=-1, keepdims=True)


def shares_to_points(shares: np.ndarray) -> np.ndarray:
    """Triangle points (x, y) for shares; the top corner is (0.5, √3/2)."""
    shares = np.asarray(shares, dtype=float)
    return shares @ CORNERS


def points_to_shares(points: np.ndarray) -> np.ndarray:
    """Shares for triangle points; points a hair outside the triangle are pulled onto it."""
    points = np.asarray(points, dtype=float)
    top = points[..., 1] / SQRT3_2
    right = points[..., 0] - 0.5 * top
    shares = np.stack([top, 1.0 - top - right, right], axis=-1)
    shares = np.clip(shares, 0.0, 1.0)
    total = shares.sum(axis=-1, keepdims=True)
    # A point far outside can clip to all zeros; leave it NaN rather than divide by 0.
    return np.divide(shares, total, out=np.full_like(shares, np.nan), where=total > 0)


def zeros(shares: np.ndarray, delta: float = DELTA) -> np.ndarray:
    """Which shares count as zero at the widget's resolution (below `delta`)."""
    shares = np.asarray(shares, dtype=float)
    with np.errstate(invalid="ignore"):
        return shares < delta


@dataclass(frozen=True)
class Boundary:
    """How many answers lie on a corner (two zero shares) or an edge (exactly one)."""

    corners: int
    edges: int

    def as_dict(self) -> dict:
        return {"corners": self.corners, "edges": self.edges}


def boundary_counts(shares: np.ndarray, delta: float = DELTA) -> Boundary:
    """Count answers on corners and on edges (not corners) separately; NaN rows ignored."""
    n_zero = zeros(np.atleast_2d(shares), delta).sum(axis=-1)
    return Boundary(corners=int((n_zero >= 2).sum()), edges=int((n_zero == 1).sum()))


def replace_zeros(shares: np.ndarray, delta: float = DELTA) -> np.ndarray:
    """Multiplicative replacement: zeros become `delta`, the other parts shrink in proportion.

    Shares below `delta` count as zeros. The non-zero parts keep their ratios to each
    other, which is what makes the replacement coherent in log-ratio terms.
    """
    shares = np.asarray(shares, dtype=float)
    is_zero = zeros(shares, delta)
    n_zero = is_zero.sum(axis=-1, keepdims=True)
    rest = np.where(is_zero, 0.0, shares)
    rest_total = rest.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        scaled = rest * (1.0 - n_zero * delta) / rest_total
    return np.where(is_zero, delta, scaled)


def clr(shares: np.ndarray, delta: float = DELTA) -> np.ndarray:
    """Centred log-ratio coordinates, after zero replacement."""
    logs = np.log(replace_zeros(shares, delta))
    return logs - logs.mean(axis=-1, keepdims=True)


def clr_inverse(coords: np.ndarray) -> np.ndarray:
    """Shares from clr coordinates."""
    coords = np.asarray(coords, dtype=float)
    # Subtracting the row maximum keeps exp() finite; NaN rows stay NaN without warnings.
    exp = np.exp(coords - coords.max(axis=-1, keepdims=True))
    return close(exp)


def pivot_basis(parts: int = 3) -> np.ndarray:
    """The pivot (balance) basis as a `(parts, parts - 1)` orthonormal contrast matrix.

    Column j contrasts part j with the geometric mean of the parts after it. For three
    parts: z1 = √(2/3)·ln(a / √(b·c)), z2 = √(1/2)·ln(b / c).
    """
    basis = np.zeros((parts, parts - 1))
    for j in range(parts - 1):
        rest = parts - j - 1
        basis[j, j] = np.sqrt(rest / (rest + 1.0))
        basis[j + 1 :, j] = -1.0 / np.sqrt(rest * (rest + 1.0))
    return basis


BASIS = pivot_basis(3)


def ilr(shares: np.ndarray, delta: float = DELTA) -> np.ndarray:
    """Isometric log-ratio coordinates in the pivot basis, after zero replacement."""
    shares = np.asarray(shares, dtype=float)
    basis = BASIS if shares.shape[-1] == 3 else pivot_basis(shares.shape[-1])
    return clr(shares, delta) @ basis


def ilr_inverse(coords: np.ndarray) -> np.ndarray:
    """Shares from ilr coordinates in the pivot basis."""
    coords = np.asarray(coords, dtype=float)
    basis = BASIS if coords.shape[-1] == 2 else pivot_basis(coords.shape[-1] + 1)
    return clr_inverse(coords @ basis.T)


def geometric_mean(shares: np.ndarray, delta: float = DELTA) -> np.ndarray:
    """The closed geometric mean of the answered rows (NaN rows ignored); NaN if none."""
    coords = clr(np.atleast_2d(shares), delta)
    coords = coords[~np.isnan(coords).any(axis=-1)]
    if len(coords) == 0:
        return np.full(np.shape(shares)[-1], np.nan)
    return clr_inverse(coords.mean(axis=0))


def aitchison_distance(a: np.ndarray, b: np.ndarray, delta: float = DELTA) -> np.ndarray:
    """Aitchison distance between compositions (Euclidean distance of their clr vectors)."""
    return np.linalg.norm(clr(a, delta) - clr(b, delta), axis=-1)


@dataclass(frozen=True)
class TriadCentre:
    """A triad's centre with its confidence region, ready to draw.

    `region_shares`/`region_points` are a closed polygon (first vertex repeated) around
    the geometric mean, or None when fewer than 3 answers or no spread make a region
    meaningless.
    """

    n: int
    shares: list[float] | None
    point: list[float] | None
    confidence: float
    region_shares: list[list[float]] | None
    region_points: list[list[float]] | None
    method: str = "hotelling-t2-ilr"

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def triad_centre(
    shares: np.ndarray, confidence: float = 0.95, vertices: int = 72, delta: float = DELTA
) -> TriadCentre:
    """Closed geometric mean and Hotelling T² confidence region of the mean (ilr space).

    The region is the ellipse {μ : n (z̄ - μ)ᵀ S⁻¹ (z̄ - μ) ≤ T²} with
    T² = 2(n-1)/(n-2) · F(confidence; 2, n-2), mapped back to shares and points.
    """
    coords = ilr(np.atleast_2d(shares), delta)
    coords = coords[~np.isnan(coords).any(axis=-1)]
    n = len(coords)
    if n == 0:
        return TriadCentre(0, None, None, confidence, None, None)
    mean = coords.mean(axis=0)
    centre = ilr_inverse(mean)
    point = shares_to_points(centre)
    region_shares = region_points = None
    if n >= 3:
        covariance = np.cov(coords, rowvar=False)
        eigenvalues, eigenvectors = np.linalg.eigh(covariance)
        if eigenvalues.max() > 1e-12:
            t2 = 2.0 * (n - 1) / (n - 2) * stats.f.ppf(confidence, 2, n - 2)
            radii = np.sqrt(np.clip(eigenvalues, 0.0, None) * t2 / n)
            angle = np.linspace(0.0, 2.0 * np.pi, vertices + 1)
            circle = np.stack([np.cos(angle), np.sin(angle)], axis=-1)
            ellipse = mean + (circle * radii) @ eigenvectors.T
            ellipse[-1] = ellipse[0]
            polygon = ilr_inverse(ellipse)
            region_shares = polygon.tolist()
            region_points = shares_to_points(polygon).tolist()
    return TriadCentre(
        n=n,
        shares=centre.tolist(),
        point=point.tolist(),
        confidence=confidence,
        region_shares=region_shares,
        region_points=region_points,
    )
