"""The answers to one question across fragments, as plain arrays.

Row i of every array belongs to fragment i, in the caller's order. Two ways of not
having a number are kept apart: N/A ("does not apply", chosen by the teller) is data
and is counted; missing (not answered) is not. Both are NaN in the float arrays, and
the `na` mask tells them apart. Each class can be built straight from arrays (fast, for
large sets) or with `from_stored` from the answer values as the capture path stores
them (`[a, b, c]`, `0.4`, `"na"`, `None` for not answered, …).
"""

from dataclasses import dataclass, field, replace
from typing import ClassVar

import numpy as np

from . import summaries

NA = "na"
SUM_TOLERANCE = 1e-6


class _Answers:
    kind: ClassVar[str]
    arrays: ClassVar[tuple[str, ...]]  # per-fragment arrays, first axis = fragments

    @property
    def n(self) -> int:
        return len(getattr(self, self.arrays[0]))

    def take(self, index) -> "_Answers":
        """The answers of a subset of fragments (a boolean mask or indices)."""
        return replace(self, **{name: getattr(self, name)[index] for name in self.arrays})

    def _set(self, name, value):
        object.__setattr__(self, name, value)

    def _mask(self, name: str, shape: tuple) -> np.ndarray:
        value = getattr(self, name)
        mask = np.zeros(shape, dtype=bool) if value is None else np.asarray(value, dtype=bool)
        if mask.shape != shape:
            raise ValueError(f"{self.kind}: {name} must have shape {shape}, not {mask.shape}")
        return mask


@dataclass(frozen=True, eq=False)
class TriadAnswers(_Answers):
    """`shares` (n, 3) in label order (top, bottom-left, bottom-right); `na` (n,)."""

    shares: np.ndarray
    na: np.ndarray | None = None
    kind: ClassVar[str] = "triad"
    arrays: ClassVar[tuple[str, ...]] = ("shares", "na")

    def __post_init__(self):
        shares = np.array(self.shares, dtype=float).reshape(-1, 3)
        na = self._mask("na", shares.shape[:1])
        shares[na] = np.nan
        blank = np.isnan(shares)
        if (blank.any(axis=1) != blank.all(axis=1)).any():
            raise ValueError("triad: a row is partly NaN")
        given = shares[~blank[:, 0]]
        if ((given < 0) | (given > 1)).any():
            raise ValueError("triad: shares must lie in [0, 1]")
        if (np.abs(given.sum(axis=1) - 1.0) > SUM_TOLERANCE).any():
            raise ValueError("triad: shares must sum to 1")
        self._set("shares", shares)
        self._set("na", na)

    @property
    def answered(self) -> np.ndarray:
        return ~np.isnan(self.shares[:, 0])

    @property
    def missing(self) -> np.ndarray:
        return ~self.answered & ~self.na

    @classmethod
    def from_stored(cls, values) -> "TriadAnswers":
        shares = np.full((len(values), 3), np.nan)
        na = np.zeros(len(values), dtype=bool)
        for i, value in enumerate(values):
            if value == NA:
                na[i] = True
            elif value is not None:
                shares[i] = value
        return cls(shares, na)

    def summary(self) -> dict:
        return summaries.triad(self)


@dataclass(frozen=True, eq=False)
class DyadAnswers(_Answers):
    """`values` (n,) in [0, 1], 0 at the first pole; `na` (n,)."""

    values: np.ndarray
    na: np.ndarray | None = None
    kind: ClassVar[str] = "dyad"
    arrays: ClassVar[tuple[str, ...]] = ("values", "na")

    def __post_init__(self):
        values = np.array(self.values, dtype=float).reshape(-1)
        na = self._mask("na", values.shape)
        values[na] = np.nan
        _check_unit(values, "dyad")
        self._set("values", values)
        self._set("na", na)

    @property
    def answered(self) -> np.ndarray:
        return ~np.isnan(self.values)

    @property
    def missing(self) -> np.ndarray:
        return ~self.answered & ~self.na

    @classmethod
    def from_stored(cls, values) -> "DyadAnswers":
        na = np.array([value == NA for value in values], dtype=bool)
        numbers = [np.nan if value is None or value == NA else value for value in values]
        return cls(np.array(numbers, dtype=float), na)

    def summary(self) -> dict:
        return summaries.dyad(self)


@dataclass(frozen=True, eq=False)
class StonesAnswers(_Answers):
    """`positions` (n, stones, 2) with NaN for an unplaced stone; `na` and `responded` (n,).

    `responded` says the teller saw and answered the question (perhaps placing nothing);
    when not given, a fragment counts as responded if it placed a stone or said N/A.
    """

    positions: np.ndarray
    stones: tuple[str, ...]
    na: np.ndarray | None = None
    responded: np.ndarray | None = None
    kind: ClassVar[str] = "stones"
    arrays: ClassVar[tuple[str, ...]] = ("positions", "na", "responded")

    def __post_init__(self):
        positions = np.array(self.positions, dtype=float).reshape(-1, len(self.stones), 2)
        na = self._mask("na", positions.shape[:1])
        positions[na] = np.nan
        _check_unit(positions, "stones")
        placed = ~np.isnan(positions).any(axis=2)
        responded = self.responded
        if responded is None:
            responded = placed.any(axis=1) | na
        self._set("positions", positions)
        self._set("na", na)
        self._set("responded", np.asarray(responded, dtype=bool) | na)
        self._set("stones", tuple(self.stones))

    @property
    def placed(self) -> np.ndarray:
        """(n, stones) mask of stones on the canvas."""
        return ~np.isnan(self.positions).any(axis=2)

    @property
    def missing(self) -> np.ndarray:
        return ~self.responded

    @classmethod
    def from_stored(cls, values, stones) -> "StonesAnswers":
        stones = tuple(stones)
        positions = np.full((len(values), len(stones), 2), np.nan)
        na = np.zeros(len(values), dtype=bool)
        responded = np.zeros(len(values), dtype=bool)
        column = {stone: j for j, stone in enumerate(stones)}
        for i, value in enumerate(values):
            if value == NA:
                na[i] = True
            elif value is not None:
                responded[i] = True
                for stone, point in value.items():
                    if point is not None:
                        positions[i, column[stone]] = point
        return cls(positions, stones, na, responded)

    def summary(self) -> dict:
        return summaries.stones(self)


@dataclass(frozen=True, eq=False)
class ChoiceAnswers(_Answers):
    """`selected` (n, options) booleans; `answered` (n,). A single choice has one True."""

    selected: np.ndarray
    options: tuple[str, ...]
    answered: np.ndarray | None = None
    multiple: bool = False
    kind: ClassVar[str] = "choice"
    arrays: ClassVar[tuple[str, ...]] = ("selected", "answered")

    def __post_init__(self):
        selected = np.asarray(self.selected, dtype=bool).reshape(-1, len(self.options))
        answered = self.answered
        if answered is None:
            answered = selected.any(axis=1)
        answered = np.asarray(answered, dtype=bool)
        if not self.multiple and (selected.sum(axis=1) > 1).any():
            raise ValueError("choice: a single choice has more than one option selected")
        self._set("selected", selected)
        self._set("answered", answered)
        self._set("options", tuple(self.options))

    @property
    def na(self) -> np.ndarray:
        return np.zeros(self.n, dtype=bool)  # choices have no N/A

    @property
    def missing(self) -> np.ndarray:
        return ~self.answered

    @classmethod
    def from_stored(cls, values, options, multiple: bool = False) -> "ChoiceAnswers":
        """`values` as stored: "id", ["a", "b"], {"selected": ..., "other": ...} or None."""
        options = tuple(options)
        column = {option: j for j, option in enumerate(options)}
        selected = np.zeros((len(values), len(options)), dtype=bool)
        answered = np.zeros(len(values), dtype=bool)
        for i, value in enumerate(values):
            if isinstance(value, dict):
                value = value["selected"]
            if value is None:
                continue
            answered[i] = True
            for option in [value] if isinstance(value, str) else value:
                selected[i, column[option]] = True
        return cls(selected, options, answered, multiple)

    def summary(self) -> dict:
        return summaries.choice(self)


@dataclass(frozen=True, eq=False)
class StarAnswers(_Answers):
    """`ratings` (n, areas) integers 1–10 as floats, NaN when N/A or not rated; `na` likewise."""

    ratings: np.ndarray
    areas: tuple[str, ...]
    na: np.ndarray | None = None
    kind: ClassVar[str] = "star"
    arrays: ClassVar[tuple[str, ...]] = ("ratings", "na")
    low: ClassVar[int] = 1
    high: ClassVar[int] = 10

    def __post_init__(self):
        ratings = np.array(self.ratings, dtype=float).reshape(-1, len(self.areas))
        na = self._mask("na", ratings.shape)
        ratings[na] = np.nan
        given = ratings[~np.isnan(ratings)]
        if ((given < self.low) | (given > self.high) | (given != np.round(given))).any():
            raise ValueError(f"star: ratings must be whole numbers {self.low}–{self.high}")
        self._set("ratings", ratings)
        self._set("na", na)
        self._set("areas", tuple(self.areas))

    @property
    def answered(self) -> np.ndarray:
        return ~np.isnan(self.ratings)

    @property
    def missing(self) -> np.ndarray:
        return ~self.answered & ~self.na

    @classmethod
    def from_stored(cls, values, areas) -> "StarAnswers":
        areas = tuple(areas)
        ratings = np.full((len(values), len(areas)), np.nan)
        na = np.zeros(ratings.shape, dtype=bool)
        column = {area: j for j, area in enumerate(areas)}
        for i, value in enumerate(values):
            for area, rating in (value or {}).items():
                if rating == NA:
                    na[i, column[area]] = True
                else:
                    ratings[i, column[area]] = rating
        return cls(ratings, areas, na)

    def summary(self) -> dict:
        return summaries.star(self)


Answers = TriadAnswers | DyadAnswers | StonesAnswers | ChoiceAnswers | StarAnswers


def _check_unit(values: np.ndarray, kind: str) -> None:
    given = values[~np.isnan(values)]
    if ((given < 0) | (given > 1)).any():
        raise ValueError(f"{kind}: values must lie in [0, 1]")


@dataclass(frozen=True)
class Significations:
    """All answers of a set of fragments: question id → answers, every one of length n."""

    questions: dict[str, Answers]
    n: int = field(init=False)

    def __post_init__(self):
        lengths = {answers.n for answers in self.questions.values()}
        if len(lengths) > 1:
            raise ValueError(f"questions cover different numbers of fragments: {lengths}")
        object.__setattr__(self, "n", lengths.pop() if lengths else 0)

    def __getitem__(self, question: str) -> Answers:
        return self.questions[question]

    def __iter__(self):
        return iter(self.questions)

    def items(self):
        return self.questions.items()

    def of_kind(self, *kinds: str) -> list[str]:
        return [qid for qid, answers in self.questions.items() if answers.kind in kinds]

    def take(self, index) -> "Significations":
        return Significations({qid: a.take(index) for qid, a in self.questions.items()})
