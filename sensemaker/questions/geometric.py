"""The geometric kinds, where the teller places a point: triad, dyad, stones, star."""

import numpy as np

from ..analysis import DyadAnswers, StarAnswers, StonesAnswers, TriadAnswers
from ..i18n import localize
from .base import NA, NA_CODE, NAN, AnswerError, Question, _number


def _na_rows(block: np.ndarray) -> np.ndarray:
    return block[:, 0] == NA_CODE


def _without_codes(block: np.ndarray) -> np.ndarray:
    return np.where(block == NA_CODE, np.nan, block)


class Triad(Question):
    """Three labelled corners; the answer is three shares summing to 1, in label order.

    Labels are listed top, bottom-left, bottom-right.
    """

    kind = "triad"
    geometric = True
    fields = ("labels",)
    tolerance = 1e-6

    @classmethod
    def check_fields(cls, raw, path, checker):
        checker.labelled_list(raw, "labels", path, count=3)

    def public_fields(self, lang):
        return {"labels": self._labels(self.raw["labels"], lang)}

    def parse_value(self, value):
        if not isinstance(value, list) or len(value) != 3:
            raise AnswerError("answer.triad_shape")
        shares = [_number(share, key="answer.triad_range") for share in value]
        total = sum(shares)
        if abs(total - 1.0) > self.tolerance:
            raise AnswerError("answer.triad_sum")
        return [share / total for share in shares]

    def numeric_columns(self):
        return [label["id"] for label in self.raw["labels"]]

    def encode(self, answer):
        if answer is None:
            return [NAN] * 3
        return [NA_CODE] * 3 if answer == NA else list(answer)

    def decode(self, block):
        return TriadAnswers(_without_codes(block), _na_rows(block))


class Dyad(Question):
    """A point on a line between two labelled poles; the answer is x in [0, 1]."""

    kind = "dyad"
    geometric = True
    fields = ("labels",)

    @classmethod
    def check_fields(cls, raw, path, checker):
        checker.labelled_list(raw, "labels", path, count=2)

    def public_fields(self, lang):
        return {"labels": self._labels(self.raw["labels"], lang)}

    def parse_value(self, value):
        return _number(value)

    def numeric_columns(self):
        return ["x"]

    def encode(self, answer):
        return [NAN if answer is None else NA_CODE if answer == NA else answer]

    def decode(self, block):
        return DyadAnswers(_without_codes(block)[:, 0], _na_rows(block))


class Stones(Question):
    """Labelled stones placed on a square canvas; each placed stone is (x, y) in [0, 1]².

    Stones left off the canvas are simply absent (or null) in the answer.
    """

    kind = "stones"
    geometric = True
    fields = ("axes", "stones")

    @classmethod
    def check_fields(cls, raw, path, checker):
        checker.labelled_list(raw, "stones", path)
        axes = raw.get("axes")
        if axes is None:
            checker.add(f"{path}.axes", "def.missing")
            return
        if not checker.mapping(axes, f"{path}.axes"):
            return
        checker.known_keys(axes, f"{path}.axes", ("x", "y"))
        for axis in ("x", "y"):
            axis_path = f"{path}.axes.{axis}"
            spec = axes.get(axis)
            if spec is None:
                checker.add(axis_path, "def.missing")
            elif checker.mapping(spec, axis_path):
                checker.known_keys(spec, axis_path, ("text", "low", "high"))
                checker.text(spec, "text", axis_path, required=False)
                checker.text(spec, "low", axis_path)
                checker.text(spec, "high", axis_path)

    def public_fields(self, lang):
        axes = {
            axis: {part: localize(spec.get(part), lang) for part in ("text", "low", "high")}
            for axis, spec in self.raw["axes"].items()
        }
        return {"stones": self._labels(self.raw["stones"], lang), "axes": axes}

    def parse_value(self, value):
        if not isinstance(value, dict):
            raise AnswerError("answer.stones_shape")
        known = {stone["id"] for stone in self.raw["stones"]}
        placed = {}
        for stone_id, point in value.items():
            if stone_id not in known:
                raise AnswerError("answer.unknown_stone", id=stone_id)
            if point is None:
                continue
            if not isinstance(point, list) or len(point) != 2:
                raise AnswerError("answer.stones_shape")
            placed[stone_id] = [_number(coordinate) for coordinate in point]
        if self.required and not placed:
            raise AnswerError("answer.required")
        return placed

    @property
    def _stone_ids(self) -> list[str]:
        return [stone["id"] for stone in self.raw["stones"]]

    def numeric_columns(self):
        # First whether the question was answered at all (1, or NA_CODE), then x and y
        # of every stone, NaN while a stone stays off the canvas.
        return ["answered"] + [f"{s}.{axis}" for s in self._stone_ids for axis in "xy"]

    def encode(self, answer):
        width = 2 * len(self._stone_ids)
        if answer is None:
            return [NAN] * (width + 1)
        if answer == NA:
            return [NA_CODE] + [NAN] * width
        return [1.0] + [v for s in self._stone_ids for v in answer.get(s, (NAN, NAN))]

    def decode(self, block):
        positions = block[:, 1:].reshape(len(block), len(self._stone_ids), 2)
        return StonesAnswers(positions, tuple(self._stone_ids), _na_rows(block),
                             responded=block[:, 0] == 1.0)  # fmt: skip


class Star(Question):
    """Several areas, each rated on a 1–10 ladder whose steps carry stage names.

    `stages` split the ladder into named spans, e.g. 1–2 "stuck" … 9–10 "self-reliant";
    together they cover 1 to 10 in order. With `allow_na` an area may be answered "na".
    """

    kind = "star"
    geometric = True
    fields = ("areas", "stages")
    LOW, HIGH = 1, 10

    @classmethod
    def check_fields(cls, raw, path, checker):
        checker.labelled_list(raw, "areas", path, min_items=3)
        stages = raw.get("stages")
        where = f"{path}.stages"
        if stages is None:
            checker.add(where, "def.missing")
            return
        if not checker.list(stages, where):
            return
        expected = cls.LOW
        for index, stage in enumerate(stages):
            stage_path = f"{where}[{index}]"
            if not checker.mapping(stage, stage_path):
                return
            checker.known_keys(stage, stage_path, ("from", "to", "text"))
            checker.text(stage, "text", stage_path)
            low, high = stage.get("from"), stage.get("to")
            integers = isinstance(low, int) and isinstance(high, int)
            if not integers or low != expected or high < low:
                checker.add(stage_path, "def.stages", low=cls.LOW, high=cls.HIGH)
                return
            expected = high + 1
        if expected != cls.HIGH + 1:
            checker.add(where, "def.stages", low=cls.LOW, high=cls.HIGH)

    def public_fields(self, lang):
        stages = [
            {"from": s["from"], "to": s["to"], "text": localize(s["text"], lang)}
            for s in self.raw["stages"]
        ]
        return {"areas": self._labels(self.raw["areas"], lang), "stages": stages}

    def parse_value(self, value):
        if not isinstance(value, dict):
            raise AnswerError("answer.star_shape")
        known = {area["id"] for area in self.raw["areas"]}
        ratings = {}
        for area, rating in value.items():
            if area not in known:
                raise AnswerError("answer.unknown_area", id=area)
            if rating == NA and self.allow_na:
                ratings[area] = NA
            elif (
                isinstance(rating, bool)
                or not isinstance(rating, int)
                or not self.LOW <= rating <= self.HIGH
            ):
                raise AnswerError("answer.star_value", low=self.LOW, high=self.HIGH)
            else:
                ratings[area] = rating
        if self.required and set(ratings) != known:
            raise AnswerError("answer.star_all")
        return ratings

    def numeric_columns(self):
        return [area["id"] for area in self.raw["areas"]]

    def encode(self, answer):
        areas = self.numeric_columns()
        if answer is None or answer == NA:
            return [NAN if answer is None else NA_CODE] * len(areas)
        ratings = [answer.get(area) for area in areas]
        return [NAN if r is None else NA_CODE if r == NA else float(r) for r in ratings]

    def decode(self, block):
        return StarAnswers(_without_codes(block), tuple(self.numeric_columns()),
                           block == NA_CODE)  # fmt: skip
