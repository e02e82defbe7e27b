"""Which stories sit behind a click or a brush on a picture.

A selection is written as two URL values, `pick` (the question) and `sel`:

    seq:<n>                       one dot (one story), on any picture
    cell:<resolution>:<index>     a triangular bin of a triad (`bins.triangle_cells`)
    box:<x0>:<x1>:<y0>:<y1>[:<stone>]  a brushed region: triad points, or stones on the
                                  canvas (any stone, or only the one named)
    range:<low>:<high>            a brushed or clicked stretch of a dyad histogram
    option:<id>                   a bar of a choice
    area:<id>:<low>:<high>        a star area rated low…high
    na                            the stories that said "does not apply"
"""

import math
from dataclasses import dataclass

import numpy as np

from ..analysis.compositions import shares_to_points
from . import bins
from .frame import Frame

KINDS = {
    "triad": ("cell", "box", "na"),
    "dyad": ("range", "na"),
    "stones": ("box", "na"),
    "choice": ("option",),
    "star": ("area", "na"),
}


class SelectionError(ValueError):
    """A selection that does not fit the survey; `key` names the message."""

    def __init__(self, key: str = "workshop.selection_bad"):
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class Selection:
    question: str | None
    kind: str  # seq, cell, box, range, option, area, na, all
    values: tuple = ()

    @classmethod
    def parse(cls, pick: str | None, sel: str | None, survey) -> "Selection":
        pick, sel = (pick or "").strip(), (sel or "").strip()
        if not sel:
            return cls(None, "all")
        kind, *parts = sel.split(":")
        if kind == "seq":
            return cls(None, "seq", (_integer(parts, 1)[0],))
        question = survey.questions.get(pick)
        if question is None or kind not in KINDS.get(question.kind, ()):
            raise SelectionError()
        if kind == "na":
            return cls(pick, "na")
        if kind == "cell":
            resolution, index = _integer(parts, 2)
            if not 1 <= resolution <= 100 or not bins.valid_cell(index, resolution):
                raise SelectionError()
            return cls(pick, "cell", (resolution, index))
        if kind == "box":
            stone = parts.pop() if len(parts) == 5 else None
            if stone is not None and (question.kind != "stones" or stone not in
                                      [s["id"] for s in question.raw["stones"]]):  # fmt: skip
                raise SelectionError()
            x0, x1, y0, y1 = _numbers(parts, 4)
            box = (min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1))
            return cls(pick, "box", box + ((stone,) if stone else ()))
        if kind == "range":
            low, high = _numbers(parts, 2)
            return cls(pick, "range", (min(low, high), max(low, high)))
        if kind == "option":
            if len(parts) != 1 or parts[0] not in question.option_ids:
                raise SelectionError()
            return cls(pick, "option", (parts[0],))
        # area:<id>:<low>:<high>
        areas = question.numeric_columns()
        if len(parts) != 3 or parts[0] not in areas:
            raise SelectionError()
        low, high = _numbers(parts[1:], 2, limit=10.0)
        return cls(pick, "area", (parts[0], min(low, high), max(low, high)))

    @property
    def sel(self) -> str:
        """The `sel` URL value that `parse` reads back."""
        if self.kind == "all":
            return ""
        return ":".join([self.kind, *(_text(v) for v in self.values)])

    def mask(self, frame: Frame) -> np.ndarray:
        if self.kind == "all":
            return np.ones(frame.n, dtype=bool)
        if self.kind == "seq":
            return frame.mask_of([self.values[0]])
        answers = frame.significations[self.question]
        if self.kind == "na":
            return answers.na if answers.na.ndim == 1 else answers.na.any(axis=1)
        if self.kind == "cell":
            resolution, index = self.values
            return bins.triangle_cells(answers.shares, resolution) == index
        if self.kind == "box":
            points = (
                shares_to_points(answers.shares)[:, None, :]
                if answers.kind == "triad"
                else answers.positions
            )
            x0, x1, y0, y1 = self.values[:4]
            if len(self.values) == 5:
                points = points[:, [answers.stones.index(self.values[4])], :]
            with np.errstate(invalid="ignore"):
                inside = (points[..., 0] >= x0) & (points[..., 0] <= x1)
                inside &= (points[..., 1] >= y0) & (points[..., 1] <= y1)
            return inside.any(axis=1)
        if self.kind == "range":
            return bins.unit_bin(answers.values, *self.values)
        if self.kind == "option":
            return answers.selected[:, answers.options.index(self.values[0])]
        area, low, high = self.values
        ratings = answers.ratings[:, answers.areas.index(area)]
        with np.errstate(invalid="ignore"):
            return (ratings >= low) & (ratings <= high)


def _integer(parts, count):
    if len(parts) != count or not all(p.isdigit() and len(p) < 10 for p in parts):
        raise SelectionError()
    return [int(p) for p in parts]


def _numbers(parts, count, limit=2.0):
    if len(parts) != count:
        raise SelectionError()
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise SelectionError() from None
    if not all(math.isfinite(n) and -limit <= n <= limit for n in numbers):
        raise SelectionError()
    return numbers


def _text(value) -> str:
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") or "0"
    return str(value)
