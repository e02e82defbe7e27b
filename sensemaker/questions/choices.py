"""The kinds answered with words: a choice among options, and a short text."""

import numpy as np

from ..analysis import ChoiceAnswers
from .base import NAN, OTHER, OTHER_LIMIT, TEXT_LIMIT, TEXT_LIMIT_MAX, AnswerError, Question

MAX_OPTIONS = 50  # a multiple choice is encoded as a bit mask in one float64 (53 bits)


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
        options = raw.get("options")
        if isinstance(options, list) and len(options) + 1 > MAX_OPTIONS:
            checker.add(f"{path}.options", "def.too_many_options", max=MAX_OPTIONS - 1)
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

    def numeric_columns(self):
        # A single choice is the option's position; several choices are a bit mask.
        return ["options" if self.max > 1 else "option"]

    def encode(self, answer):
        if answer is None:
            return [NAN]
        selected = answer["selected"] if isinstance(answer, dict) else answer
        position = self.option_ids.index
        if self.max == 1:
            return [float(position(selected))]
        return [float(sum(1 << position(option) for option in selected))]

    def decode(self, block):
        values = block[:, 0]
        answered = ~np.isnan(values)
        codes = np.where(answered, values, 0).astype(np.int64)
        count = len(self.option_ids)
        if self.max == 1:
            selected = (codes[:, None] == np.arange(count)) & answered[:, None]
        else:
            selected = (codes[:, None] >> np.arange(count)) & 1 == 1
        return ChoiceAnswers(selected, tuple(self.option_ids), answered, self.max > 1)

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
