"""SenseMaker® signifiers: each kind becomes a survey question and reads its CSV columns.

One class per signifier type, as the question kinds are one class each. `question()` is
the question in the survey file's form; `columns()` the CSV columns the export has for it;
`read(cell)` the answer in the submission API's form, or None when not answered, raising
CellError (with the column) for a value that cannot be taken as it is. Nothing is clamped:
a share of 1.02 is reported, not made 1.
"""

import math

from ..questions.choices import MAX_OPTIONS
from .values import CellError, flag, identifier, listed, plain_text, unwrap

SHARE_TOLERANCE = 1e-3  # exports round shares; their sum may miss 1 by this much
RANGE_TOLERANCE = 1e-9
TEXT_MAX = 5000


class ColumnError(CellError):
    def __init__(self, column: str, key: str, **params):
        super().__init__(key, **params)
        self.column = column


def _unit(column: str, cell: str) -> float | None:
    """A share or coordinate from 0 to 1; None when blank. (Called a dozen times a row,
    so written out rather than through `number`.)"""
    cell = cell.strip()
    if not cell:
        return None
    try:
        value = float(cell)
    except ValueError:
        raise ColumnError(column, "import.not_a_number", value=cell[:40]) from None
    if value != value or value in (math.inf, -math.inf):
        raise ColumnError(column, "import.not_a_number", value=cell[:40])
    if not -RANGE_TOLERANCE <= value <= 1 + RANGE_TOLERANCE:
        raise ColumnError(column, "import.out_of_range", value=cell, low=0, high=1)
    return 0.0 if value < 0 else 1.0 if value > 1 else value  # only float noise is moved


def _flag(column: str, cell: str) -> bool:
    try:
        return flag(cell)
    except CellError as error:
        raise ColumnError(column, error.key, **error.params) from None


class Signifier:
    """What every signifier has: its SenseMaker id, our question id, title and N/A."""

    kind = ""

    def __init__(self, raw: dict, question_id: str, problems: list):
        self.raw_id = str(unwrap(raw.get("id")))
        self.id = question_id
        self.text = plain_text(raw.get("title")) or plain_text(raw.get("name")) or question_id
        self.allow_na = unwrap(raw.get("allow_na")) is True
        content = unwrap(raw.get("content"))
        self.content = content if isinstance(content, dict) else {}
        self.problems = problems  # definition problems: (place, key, params)

    def column(self, *parts: str) -> str:
        return "_".join((self.raw_id, *parts))

    def labelled(self, key: str, text_key: str, count: int | None = None) -> list[dict]:
        """`content[key]` as [{id, text, raw}], ids made safe and unique."""
        items = listed(self.content.get(key))
        if not items or (count is not None and len(items) != count):
            expected = {"what": key, "expected": count or "1+", "actual": len(items)}
            self.problems.append((self.raw_id, "import.def_count", expected))
            return []
        taken: set[str] = set()
        labelled = []
        for item in items:
            item = item if isinstance(item, dict) else {}
            raw_id = str(unwrap(item.get("id")))
            item_id = identifier(raw_id, taken, fallback=key[0])
            text = plain_text(item.get(text_key)) or plain_text(item.get("text")) or item_id
            labelled.append({"id": item_id, "text": text, "raw": raw_id})
        return labelled

    def base(self) -> dict:
        question = {"id": self.id, "kind": self.kind, "text": self.text}
        if self.allow_na:
            question["allow_na"] = True
        return question

    def na(self, cell) -> bool:
        column = self.raw_id + "_NA"
        return _flag(column, cell(column))


class Triad(Signifier):
    kind = "triad"

    def __init__(self, raw, question_id, problems):
        super().__init__(raw, question_id, problems)
        self.labels = self.labelled("labels", "text", count=3)
        self.share_columns = [self.column(label["raw"]) for label in self.labels]

    def question(self):
        labels = [{"id": label["id"], "text": label["text"]} for label in self.labels]
        return {**self.base(), "labels": labels}

    def columns(self):
        return [*self.share_columns, self.column("NA")]

    def read(self, cell):
        columns = self.share_columns
        shares = [_unit(column, cell(column)) for column in columns]
        if self.na(cell):
            if any(share is not None for share in shares):
                raise ColumnError(self.column("NA"), "import.na_with_values")
            return "na"
        if all(share is None for share in shares):
            return None
        if any(share is None for share in shares):
            raise ColumnError(", ".join(columns), "import.triad_incomplete")
        total = sum(shares)
        if abs(total - 1.0) > SHARE_TOLERANCE:
            raise ColumnError(", ".join(columns), "import.triad_sum", total=f"{total:.4f}")
        return [share / total for share in shares]  # closed to 1, as stored from the form


class Dyad(Signifier):
    kind = "dyad"

    def __init__(self, raw, question_id, problems):
        super().__init__(raw, question_id, problems)
        self.labels = self.labelled("labels", "text", count=2)
        self._columns = self.columns() if len(self.labels) == 2 else [""] * 4

    def question(self):
        labels = [{"id": label["id"], "text": label["text"]} for label in self.labels]
        return {**self.base(), "labels": labels}

    def columns(self):
        poles = [self.column(label["raw"]) for label in self.labels]
        return [self.column("percentX"), *poles, self.column("NA")]

    def read(self, cell):
        x_column, left_column, right_column, _ = self._columns
        x = _unit(x_column, cell(x_column))
        left, right = (_unit(c, cell(c)) for c in (left_column, right_column))
        if self.na(cell):
            if x is not None:
                raise ColumnError(self.column("NA"), "import.na_with_values")
            return "na"
        if x is None:
            x = right  # the right pole's share is x itself
        if x is None:
            return None
        for column, value, expected in ((left_column, left, 1 - x), (right_column, right, x)):
            if value is not None and abs(value - expected) > SHARE_TOLERANCE:
                raise ColumnError(column, "import.dyad_mismatch", x=f"{x:.4f}")
        return x


class Stones(Signifier):
    kind = "stones"

    def __init__(self, raw, question_id, problems):
        super().__init__(raw, question_id, problems)
        self.stones = self.labelled("stones", "title")
        self.pairs = [
            (s["id"], *(self.column(s["raw"], f"percent{axis}") for axis in "XY"))
            for s in self.stones
        ]
        axes = unwrap(self.content.get("axis"))
        self.axes = axes if isinstance(axes, dict) else {}

    def question(self):
        axes = {}
        for axis in ("x", "y"):
            spec = unwrap(self.axes.get(axis))
            spec = spec if isinstance(spec, dict) else {}
            axes[axis] = {
                "text": plain_text(spec.get("name")) or axis,
                "low": plain_text(spec.get("start_label")) or "0",
                "high": plain_text(spec.get("end_label")) or "1",
            }
        stones = [{"id": stone["id"], "text": stone["text"]} for stone in self.stones]
        return {**self.base(), "axes": axes, "stones": stones}

    def columns(self):
        names = [self.column(s["raw"], f"percent{axis}") for s in self.stones for axis in "XY"]
        return [*names, self.column("NA")]

    def read(self, cell):
        placed = {}
        for stone_id, x_column, y_column in self.pairs:
            x, y = _unit(x_column, cell(x_column)), _unit(y_column, cell(y_column))
            if (x is None) != (y is None):
                raise ColumnError(x_column if x is None else y_column, "import.stone_half")
            if x is not None:
                placed[stone_id] = [x, y]  # y counts up from the bottom, as here
        if self.na(cell):
            if placed:
                raise ColumnError(self.column("NA"), "import.na_with_values")
            return "na"
        return placed or None  # stones left unplaced: not answered


class List(Signifier):
    kind = "choice"

    def __init__(self, raw, question_id, problems):
        super().__init__(raw, question_id, problems)
        self.items = self.labelled("items", "title")
        self.by_raw = {item["raw"]: item["id"] for item in self.items}
        maximum = unwrap(self.content.get("max_responses"))
        self.max = maximum if isinstance(maximum, int) and maximum >= 1 else 1
        self.max = min(self.max, max(len(self.items), 1))
        if len(self.items) >= MAX_OPTIONS:
            problems.append((self.raw_id, "import.def_too_many_items",
                             {"max": MAX_OPTIONS - 1}))  # fmt: skip
        self.one_column = self.max == 1
        self.item_columns = [(item["id"], self.column(item["raw"])) for item in self.items]

    def question(self):
        options = [{"id": item["id"], "text": item["text"]} for item in self.items]
        question = {**self.base(), "options": options}
        question.pop("allow_na", None)  # only geometric kinds may offer N/A
        return question | ({"max": self.max} if self.max > 1 else {})

    def use_header(self, header: set[str]) -> None:
        """A single choice comes as one column of item ids, or as one column per item."""
        self.one_column = self.max == 1 and (
            self.raw_id in header or not any(self.column(i["raw"]) in header for i in self.items)
        )

    def columns(self):
        if self.one_column:
            return [self.raw_id]
        return [self.column(item["raw"]) for item in self.items]

    def read(self, cell):
        if self.one_column:
            chosen = cell(self.raw_id).strip()
            if not chosen:
                return None
            if chosen not in self.by_raw:
                raise ColumnError(self.raw_id, "import.unknown_item", value=chosen[:60])
            return self.by_raw[chosen]
        selected = []
        for item_id, column in self.item_columns:
            if _flag(column, cell(column)):
                selected.append(item_id)
        if not selected:
            return None
        if self.max == 1:
            if len(selected) > 1:
                raise ColumnError(", ".join(self.columns()), "import.too_many_items", max=1)
            return selected[0]
        return selected


class FreeText(Signifier):
    kind = "text"

    def __init__(self, raw, question_id, problems):
        super().__init__(raw, question_id, problems)
        self.story = unwrap(raw.get("fragment")) is True

    def question(self):
        question = {**self.base(), "max_length": TEXT_MAX}
        question.pop("allow_na", None)
        return question

    def columns(self):
        return [self.raw_id]

    def read(self, cell):
        return cell(self.raw_id).strip() or None


TYPES = {"triad": Triad, "dyad": Dyad, "stones": Stones, "list": List, "freetext": FreeText}
LAYOUT = {"label", "save", "navigation"}  # page furniture, not questions
