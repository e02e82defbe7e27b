"""The question kinds: each one checks its definition and parses its answers.

Adding a kind means adding a class here and registering it in `KINDS`; nothing else in
the capture path branches on the kind. Answers arrive in the shape of the submission API
(see docs/surveys.md) and leave `parse` normalised, ready to store.
"""

import math
from abc import ABC, abstractmethod
from typing import ClassVar

from .definition import Checker
from .i18n import localize

NA = "na"
TEXT_LIMIT = 1000  # default for short text questions
TEXT_LIMIT_MAX = 5000
OTHER = "other"  # reserved option id for a choice's free "other" answer
OTHER_LIMIT = 500


class AnswerError(ValueError):
    """An answer the teller must change; `key` names the message in the catalogue."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


def _number(value, low=0.0, high=1.0, key="answer.unit_range") -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise AnswerError(key)
    try:
        value = float(value)
    except OverflowError:  # an int beyond any float, e.g. 10**400
        raise AnswerError(key) from None
    if not math.isfinite(value) or not low <= value <= high:
        raise AnswerError(key)
    return value


class Question(ABC):
    """Shared by every kind: id, text, optional hint, required and N/A."""

    kind: ClassVar[str]
    geometric: ClassVar[bool] = False  # only geometric kinds may offer N/A
    fields: ClassVar[tuple[str, ...]] = ()
    common: ClassVar[tuple[str, ...]] = ("id", "kind", "text", "hint", "required", "allow_na")

    def __init__(self, raw: dict):
        self.raw = raw
        self.id: str = raw["id"]
        self.text = raw["text"]
        self.hint = raw.get("hint")
        self.required: bool = raw.get("required", False)
        self.allow_na: bool = raw.get("allow_na", False)

    # -- definition -------------------------------------------------------------------
    @classmethod
    def check(cls, raw: dict, path: str, checker: Checker) -> None:
        checker.known_keys(raw, path, cls.common + cls.fields)
        checker.text(raw, "text", path)
        checker.text(raw, "hint", path, required=False)
        checker.flag(raw, "required", path)
        checker.flag(raw, "allow_na", path)
        if raw.get("allow_na") and not cls.geometric:
            checker.add(f"{path}.allow_na", "def.na_not_geometric", kind=cls.kind)
        cls.check_fields(raw, path, checker)

    @classmethod
    @abstractmethod
    def check_fields(cls, raw: dict, path: str, checker: Checker) -> None:
        """Kind-specific definition checks."""

    def public(self, lang: str) -> dict:
        """The question as the form needs it, texts in `lang`."""
        return {
            "id": self.id,
            "kind": self.kind,
            "text": localize(self.text, lang),
            "hint": localize(self.hint, lang) or None,
            "required": self.required,
            "allow_na": self.allow_na,
            **self.public_fields(lang),
        }

    def public_fields(self, lang: str) -> dict:
        return {}

    # -- answers ----------------------------------------------------------------------
    def parse(self, value):
        """A submitted answer, validated and normalised; raises AnswerError."""
        if value == NA:
            if self.geometric and self.allow_na:
                return NA
            raise AnswerError("answer.na_not_allowed")
        return self.parse_value(value)

    @abstractmethod
    def parse_value(self, value):
        """Validate and normalise an answer that is not N/A."""

    @staticmethod
    def _labels(items, lang):
        return [{"id": item["id"], "text": localize(item["text"], lang)} for item in items]


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


class Choice(Question):
    """One option, or up to `max` options, optionally with a free "other" text.

    Single choice (max 1) answers `"option"`, multiple choice `["a", "b"]`. When "other"
    is chosen its text comes along: `{"selected": "other" | [...], "other": "text"}`.
    """

    kind = "choice"
    fields = ("options", "max", "other", "demographic")

    def __init__(self, raw):
        super().__init__(raw)
        self.max: int = raw.get("max", 1)
        self.other: bool = raw.get("other", False)
        self.demographic: bool = raw.get("demographic", False)
        self.option_ids = [option["id"] for option in raw["options"]]
        if self.other:
            self.option_ids.append(OTHER)

    @classmethod
    def check_fields(cls, raw, path, checker):
        checker.labelled_list(raw, "options", path)
        checker.integer(raw, "max", path, 1, 50)
        checker.flag(raw, "other", path)
        checker.flag(raw, "demographic", path)
        options = raw.get("options")
        if raw.get("other") and isinstance(options, list):
            for index, option in enumerate(options):
                if isinstance(option, dict) and option.get("id") == OTHER:
                    checker.add(f"{path}.options[{index}].id", "def.reserved_other")

    def public_fields(self, lang):
        return {
            "options": self._labels(self.raw["options"], lang),
            "max": self.max,
            "other": self.other,
            "demographic": self.demographic,
        }

    def parse_value(self, value):
        other_text = None
        if isinstance(value, dict):
            if set(value) - {"selected", "other"} or "selected" not in value:
                raise AnswerError("answer.choice_shape")
            other_text = value.get("other")
            value = value["selected"]
        selected = self._selected(value)
        if other_text is not None:
            if OTHER not in selected:
                raise AnswerError("answer.other_without_choice")
            if not isinstance(other_text, str):
                raise AnswerError("answer.text_type")
            other_text = other_text.strip()
            if len(other_text) > OTHER_LIMIT:
                raise AnswerError("answer.text_too_long", max=OTHER_LIMIT)
        if self.required and not selected:
            raise AnswerError("answer.required")
        answer = selected[0] if self.max == 1 else selected
        if other_text:
            return {"selected": answer, "other": other_text}
        return answer

    def _selected(self, value) -> list[str]:
        if self.max == 1:
            if not isinstance(value, str):
                raise AnswerError("answer.choice_single")
            selected = [value]
        else:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise AnswerError("answer.choice_multi")
            selected = list(dict.fromkeys(value))
            if len(selected) != len(value):
                raise AnswerError("answer.choice_repeated")
            if len(selected) > self.max:
                raise AnswerError("answer.choice_max", max=self.max)
        for option in selected:
            if option not in self.option_ids:
                raise AnswerError("answer.unknown_option", id=option)
        return selected


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


class Text(Question):
    """A short open answer, at most `max_length` characters (default 1000)."""

    kind = "text"
    fields = ("max_length",)

    def __init__(self, raw):
        super().__init__(raw)
        self.max_length: int = raw.get("max_length", TEXT_LIMIT)

    @classmethod
    def check_fields(cls, raw, path, checker):
        checker.integer(raw, "max_length", path, 1, TEXT_LIMIT_MAX)

    def public_fields(self, lang):
        return {"max_length": self.max_length}

    def parse_value(self, value):
        if not isinstance(value, str):
            raise AnswerError("answer.text_type")
        value = value.strip()
        if len(value) > self.max_length:
            raise AnswerError("answer.text_too_long", max=self.max_length)
        if self.required and not value:
            raise AnswerError("answer.required")
        return value


KINDS: dict[str, type[Question]] = {
    kind.kind: kind for kind in (Triad, Dyad, Stones, Choice, Star, Text)
}
