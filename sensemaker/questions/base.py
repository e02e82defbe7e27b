"""What every question kind shares: id, text, hint, required, N/A, and answer errors."""

import math
from abc import ABC, abstractmethod
from typing import ClassVar

import numpy as np

from ..definition import Checker
from ..i18n import localize

NA = "na"
TEXT_LIMIT = 1000  # default for short text questions
TEXT_LIMIT_MAX = 5000
OTHER = "other"  # reserved option id for a choice's free "other" answer
OTHER_LIMIT = 500
NA_CODE = -1.0  # "does not apply" in the numeric encoding; real values are never negative
NAN = float("nan")


class AnswerError(ValueError):
    """An answer the teller must change; `key` names the message in the catalogue."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


def _number(value, low=0.0, high=1.0, key="answer.unit_range") -> float:
    if type(value) is float and low <= value <= high:  # the usual answer, checked quickly
        return value  # (NaN fails the comparison and is refused below)
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

    # -- numbers for the analysis ------------------------------------------------------
    # A stored answer becomes a fixed number of float64 columns (see `numeric_columns`):
    # NaN where nothing was answered, NA_CODE where the teller chose "does not apply".
    # `decode` turns a block of those columns for many fragments back into the
    # analysis's answer arrays. Kinds without numbers (short text) have no columns.
    def numeric_columns(self) -> list[str]:
        return []

    def encode(self, answer) -> list[float]:
        """The stored answer (None when not answered) as `numeric_columns` numbers."""
        return []

    def decode(self, block: np.ndarray):
        """(fragments, columns) numbers → the analysis answers, or None."""
        return None

    @abstractmethod
    def parse_value(self, value):
        """Validate and normalise an answer that is not N/A."""

    @staticmethod
    def _labels(items, lang):
        return [{"id": item["id"], "text": localize(item["text"], lang)} for item in items]
