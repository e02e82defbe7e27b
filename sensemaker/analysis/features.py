"""The feature matrix that clusters are computed on, built from chosen questions.

Each chosen question is one block of columns: a triad gives its two ilr coordinates
(after zero replacement), a dyad its value, stones the x and y of every stone, a star
its ratings. Each block is centred and divided by the square root of its total variance,
so every question weighs the same in the distances whatever its kind or spread; within
a triad block the scaling is the same on both axes, so the Aitchison geometry holds.

N/A and missing (see docs/analysis.md, "Clusters"):
- `na="exclude"` (default): a fragment with N/A or missing on any chosen question is
  not clustered. The counts per question are reported in `Features.unclustered`.
- `na="indicator"`: N/A is kept as data. The fragment's block sits at the centre of the
  answered values and one extra column holds √2 for N/A and 0 otherwise, so saying N/A
  differs from answering by as much as two typical answers differ from each other.
  Fragments with a missing answer are still left out.
"""

from dataclasses import asdict, dataclass, field

import numpy as np

from . import compositions
from .answers import Significations

NA_RULES = ("exclude", "indicator")
DEFAULT_KINDS = ("triad", "dyad")
CLUSTERABLE = ("triad", "dyad", "stones", "star")
INDICATOR = float(np.sqrt(2.0))


@dataclass(frozen=True)
class FeatureSpec:
    """Which questions go into the clustering, and what N/A does."""

    questions: tuple[str, ...]
    na: str = "exclude"

    def __post_init__(self):
        object.__setattr__(self, "questions", tuple(self.questions))
        if self.na not in NA_RULES:
            raise ValueError(f"na must be one of {NA_RULES}, not {self.na!r}")
        if not self.questions:
            raise ValueError("a feature spec needs at least one question")

    def as_dict(self) -> dict:
        return {"questions": list(self.questions), "na": self.na}

    @classmethod
    def from_dict(cls, data: dict) -> "FeatureSpec":
        return cls(tuple(data["questions"]), data.get("na", "exclude"))


def default_spec(significations: Significations, na: str = "exclude") -> FeatureSpec:
    """All triads and dyads, in the order the questions were given."""
    return FeatureSpec(tuple(significations.of_kind(*DEFAULT_KINDS)), na)


@dataclass
class Features:
    """Rows of `matrix` are the clustered fragments; `rows` are their fragment indices."""

    matrix: np.ndarray  # (m, d) float64
    rows: np.ndarray  # (m,) indices into the fragments
    columns: list[str]
    blocks: dict[str, list[int]]  # question id -> its columns
    spec: FeatureSpec
    n_fragments: int
    unclustered: dict = field(default_factory=dict)
    scaling: dict = field(default_factory=dict)  # question id -> {"centre", "scale"}

    def as_dict(self) -> dict:
        """Everything except the matrix itself, as plain JSON-ready values."""
        data = asdict(self)
        for key in ("matrix", "rows", "spec"):
            data.pop(key)
        data["spec"] = self.spec.as_dict()
        data["n_clustered"] = int(len(self.rows))
        return data


def _raw_block(answers) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Unscaled columns (NaN where N/A or missing), the fragments' N/A mask, column names."""
    if answers.kind == "triad":
        return compositions.ilr(answers.shares), answers.na, ["ilr1", "ilr2"]
    if answers.kind == "dyad":
        return answers.values[:, None], answers.na, ["x"]
    if answers.kind == "stones":
        values = answers.positions.reshape(answers.n, -1)
        names = [f"{stone}.{axis}" for stone in answers.stones for axis in "xy"]
        return values, answers.na, names
    if answers.kind == "star":
        return answers.ratings, answers.na.any(axis=1), list(answers.areas)
    raise ValueError(f"{answers.kind} questions cannot be clustered on; use {CLUSTERABLE}")


def build_features(significations: Significations, spec: FeatureSpec | None = None) -> Features:
    """The scaled feature matrix for `spec` (default: all triads and dyads)."""
    spec = spec or default_spec(significations)
    n = significations.n
    blocks_raw = []
    keep = np.ones(n, dtype=bool)
    unclustered = {}
    for question in spec.questions:
        if question not in significations.questions:
            raise KeyError(f"no answers for question {question!r}")
        values, na, names = _raw_block(significations[question])
        blank = np.isnan(values).any(axis=1)
        na = na & blank
        missing = blank & ~na
        unclustered[question] = {"na": int(na.sum()), "missing": int(missing.sum())}
        keep &= ~missing
        if spec.na == "exclude":
            keep &= ~na
        blocks_raw.append((question, values, na, names))

    rows = np.flatnonzero(keep)
    parts, columns, blocks, scaling = [], [], {}, {}
    for question, values, na, names in blocks_raw:
        values = values[rows]
        na = na[rows]
        answered = values[~na]
        centre = answered.mean(axis=0) if len(answered) else np.zeros(values.shape[1])
        spread = float(np.sqrt(answered.var(axis=0).sum())) if len(answered) > 1 else 0.0
        scale = spread if spread > 1e-12 else 1.0
        block = (values - centre) / scale
        block[na] = 0.0
        start = len(columns)
        columns += [f"{question}.{name}" for name in names]
        parts.append(block)
        if spec.na == "indicator" and na.any():
            parts.append(np.where(na, INDICATOR, 0.0)[:, None])
            columns.append(f"{question}.na")
        blocks[question] = list(range(start, len(columns)))
        scaling[question] = {"centre": centre.tolist(), "scale": scale}
    matrix = np.hstack(parts) if parts else np.empty((len(rows), 0))
    summary = {"total": int(n - len(rows)), "questions": unclustered}
    return Features(
        np.ascontiguousarray(matrix, dtype=np.float64),
        rows,
        columns,
        blocks,
        spec,
        n,
        summary,
        scaling,
    )
