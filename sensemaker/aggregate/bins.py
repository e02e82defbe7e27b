"""Triangular bins over a ternary plot, and histogram counts on the unit interval.

Triangular bins: each side of the triangle is cut into `resolution` steps, which splits
it into resolution² small triangles, half pointing up and half down. A cell is named by
lattice coordinates (i, j) on the top and bottom-left shares and whether it points up;
every answer falls in exactly one cell, so the counts always sum to the answers binned.
Vega-Lite's rectangular bins would spill over the triangle's edges; these never do.
"""

import numpy as np

from ..analysis.compositions import shares_to_points

RESOLUTION = 12


def triangle_cells(shares: np.ndarray, resolution: int = RESOLUTION) -> np.ndarray:
    """For each answer (row of shares, top / bottom-left / bottom-right), its cell index.

    Cell index = 2 * (i * resolution + j) + (0 if up else 1); NaN rows get -1.
    """
    shares = np.asarray(shares, dtype=float).reshape(-1, 3)
    given = ~np.isnan(shares).any(axis=1)
    u = np.where(given, shares[:, 0], 0.0) * resolution
    v = np.where(given, shares[:, 1], 0.0) * resolution
    i = np.clip(np.floor(u), 0, resolution - 1).astype(np.int64)
    j = np.clip(np.floor(v), 0, resolution - 1).astype(np.int64)
    # A lattice point on the bottom-right edge (i + j = resolution) belongs to the
    # up-cell just before it along that edge.
    # (Clipping leaves both i and j at least 1 there.)
    i = np.where(i + j >= resolution, i - 1, i)
    down = (u - i) + (v - j) > 1.0 + 1e-12
    down &= i + j <= resolution - 2  # rounding cannot push a point past the last row
    index = 2 * (i * resolution + j) + down.astype(np.int64)
    return np.where(given, index, -1)


def cell_shares(index: int, resolution: int = RESOLUTION) -> np.ndarray:
    """The three corner shares (3 × 3: vertex × share) of a cell."""
    cell, down = divmod(int(index), 2)
    i, j = divmod(cell, resolution)
    up = [(i, j), (i + 1, j), (i, j + 1)]
    lattice = [(i + 1, j), (i, j + 1), (i + 1, j + 1)] if down else up
    return np.array([(a, b, resolution - a - b) for a, b in lattice], dtype=float) / resolution


def valid_cell(index: int, resolution: int = RESOLUTION) -> bool:
    if not 0 <= index < 2 * resolution * resolution:
        return False
    cell, down = divmod(index, 2)
    i, j = divmod(cell, resolution)
    return i + j <= resolution - 1 - down


def triangle_bins(shares: np.ndarray, resolution: int = RESOLUTION) -> list[dict]:
    """The non-empty cells: index, count and polygon (three triangle points)."""
    index = triangle_cells(shares, resolution)
    counts = np.bincount(index[index >= 0], minlength=2 * resolution * resolution)
    cells = []
    for cell in np.flatnonzero(counts):
        points = shares_to_points(cell_shares(cell, resolution))
        cells.append({"cell": int(cell), "count": int(counts[cell]),
                      "polygon": np.round(points, 5).tolist()})  # fmt: skip
    return cells


def histogram(values: np.ndarray, bins: int = 10) -> list[dict]:
    """Counts of values in [0, 1] in `bins` equal bins; 1.0 falls in the last bin."""
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    counts, edges = np.histogram(values, bins=bins, range=(0.0, 1.0))
    return [{"start": round(float(edges[k]), 6), "end": round(float(edges[k + 1]), 6),
             "count": int(counts[k])} for k in range(bins)]  # fmt: skip


def unit_bin(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Which values fall in [low, high), or [low, 1] when high is 1 (the last bin)."""
    values = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        upper = values <= high if high >= 1.0 else values < high
        return (values >= low) & upper
