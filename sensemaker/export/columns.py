"""The wide layout of an export: which columns a survey's questions become, and their values.

One row per fragment. Column names are ids joined by "__": `trygghet__personal` (a triad
share), `trygghet__x`, `trygghet__na`, `fokus__mat` (one option of a multiple choice),
`fokus__other_text`. A "-" in an id is written "_", so that Stata and SPSS accept the
names. Each question kind has one class here that lists its columns and turns a block of
numeric answers (`sensemaker.signification`) into their values; docs/exports.md has the
whole scheme.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace

import numpy as np
import pyarrow as pa

from ..analysis import shares_to_points
from ..i18n import gettext, localize
from ..questions import OTHER
from ..questions.base import NA_CODE
from ..survey import Survey

# Column types as the codebook names them, and how each is stored in Arrow.
ARROW_TYPES = {
    "text": pa.string(),
    "category": pa.dictionary(pa.int32(), pa.string()),
    "time": pa.string(),  # ISO 8601 as stored: exact, and every tool parses it
    "integer": pa.int32(),
    "number": pa.float64(),
    "flag": pa.int8(),  # 0 or 1
}


@dataclass(frozen=True)
class Column:
    """One column: its name, type and what the codebook says about it."""

    name: str
    type: str  # a key of ARROW_TYPES
    meaning: str  # message key (export.meaning.*) for what the column holds
    question: str | None = None
    part: str | None = None  # label, option, stone, area or derived part id
    label: dict = field(default_factory=dict)  # readable label of the part, per language
    range: str | None = None
    teller_text: bool = False  # typed by the teller: masked when masking is on


def column_name(*ids: str) -> str:
    return "__".join(part.replace("-", "_") for part in ids)


def _texts(text, languages) -> dict:
    return {lang: localize(text, lang) for lang in languages}


def _na_flag(na: np.ndarray, missing: np.ndarray) -> pa.Array:
    return pa.array(na.astype(np.int8), type=pa.int8(), mask=missing)


def _numbers(values: np.ndarray) -> pa.Array:
    return pa.array(values, type=pa.float64(), from_pandas=True)  # NaN → empty


def _strings(values) -> pa.Array:
    return values if isinstance(values, pa.Array) else pa.array(values, type=pa.string())


class Kind(ABC):
    """The export of one question: its columns and, per chunk, their values."""

    def __init__(self, question, languages):
        self.question = question
        self.languages = languages
        self.id = question.id

    def column(self, *parts, type, meaning, label=None, range=None, teller_text=False):
        return Column(
            column_name(self.id, *parts),
            type,
            meaning,
            self.id,
            parts[-1] if parts else None,
            _texts(label, self.languages) if label is not None else {},
            range,
            teller_text,
        )

    def texts(self) -> tuple[tuple[str, str | None], ...]:
        """Answers this question needs from the answers JSON (text, "other" text)."""
        return ()

    @abstractmethod
    def columns(self) -> list[Column]:
        """The columns this question adds to the wide layout."""

    @abstractmethod
    def values(self, block: np.ndarray, texts: list[list]) -> list[pa.Array]:
        """One Arrow array per column, from the numeric block and the texts of a chunk."""


class TriadKind(Kind):
    def columns(self):
        labels = self.question.raw["labels"]
        shares = [self.column(label["id"], type="number", meaning="export.meaning.share",
                              label=label["text"], range="0–1") for label in labels]  # fmt: skip
        return [
            *shares,
            self.column("x", type="number", meaning="export.meaning.triad_x", range="0–1"),
            self.column("y", type="number", meaning="export.meaning.triad_y", range="0–0.866"),
            self.column("na", type="flag", meaning="export.meaning.na", range="0, 1"),
        ]

    def values(self, block, texts):
        na, missing = block[:, 0] == NA_CODE, np.isnan(block[:, 0])
        shares = np.where(na[:, None], np.nan, block)
        points = shares_to_points(shares)
        return [*(_numbers(shares[:, j]) for j in range(3)), _numbers(points[:, 0]),
                _numbers(points[:, 1]), _na_flag(na, missing)]  # fmt: skip


class DyadKind(Kind):
    def columns(self):
        low, high = (label["text"] for label in self.question.raw["labels"])
        label = {lang: f"{localize(low, lang)} – {localize(high, lang)}" for lang in self.languages}
        return [
            Column(
                column_name(self.id, "x"),
                "number",
                "export.meaning.dyad_x",
                self.id,
                "x",
                label,
                "0–1",
            ),  # fmt: skip
            self.column("na", type="flag", meaning="export.meaning.na", range="0, 1"),
        ]

    def values(self, block, texts):
        x = block[:, 0]
        na = x == NA_CODE
        return [_numbers(np.where(na, np.nan, x)), _na_flag(na, np.isnan(x))]


class StonesKind(Kind):
    def columns(self):
        stones = self.question.raw["stones"]
        columns = [
            self.column(
                stone["id"],
                axis,
                type="number",
                meaning=f"export.meaning.stone_{axis}",
                label=stone["text"],
                range="0–1",
            )  # fmt: skip
            for stone in stones
            for axis in "xy"
        ]
        # Always there, as for triads and dyads: 0 tells "answered, nothing placed" from
        # "not answered" (empty).
        na = self.column("na", type="flag", meaning="export.meaning.na", range="0, 1")
        return [*columns, na]

    def values(self, block, texts):
        arrays = [_numbers(block[:, j]) for j in range(1, block.shape[1])]
        arrays.append(_na_flag(block[:, 0] == NA_CODE, np.isnan(block[:, 0])))
        return arrays


class StarKind(Kind):
    def columns(self):
        columns = []
        for area in self.question.raw["areas"]:
            columns.append(self.column(area["id"], type="integer", meaning="export.meaning.star",
                                       label=area["text"], range="1–10"))  # fmt: skip
            if self.question.allow_na:
                columns.append(self.column(area["id"], "na", type="flag", label=area["text"],
                                           meaning="export.meaning.na", range="0, 1"))  # fmt: skip
        return columns

    def values(self, block, texts):
        arrays = []
        for j in range(block.shape[1]):
            value = block[:, j]
            na, missing = value == NA_CODE, np.isnan(value)
            rating = np.where(na | missing, 0, value).astype(np.int32)
            arrays.append(pa.array(rating, type=pa.int32(), mask=na | missing))
            if self.question.allow_na:
                arrays.append(_na_flag(na, missing))
        return arrays


class ChoiceKind(Kind):
    def texts(self):
        return ((self.id, OTHER),) if self.question.other else ()

    def _options(self):
        options = [(o["id"], o["text"]) for o in self.question.raw["options"]]
        if self.question.other:
            other = {lang: gettext("form.choice.other", lang) for lang in ("sv", "en")}
            options.append((OTHER, other))
        return options

    def columns(self):
        question = self.question
        if question.max == 1:
            ids = ", ".join(option for option, _ in self._options())
            columns = [Column(column_name(self.id), "category", "export.meaning.choice",
                              self.id, None, {}, ids)]  # fmt: skip
        else:
            columns = [self.column(option, type="flag", meaning="export.meaning.option",
                                   label=text, range="0, 1")  # fmt: skip
                       for option, text in self._options()]  # fmt: skip
        if question.other:
            columns.append(self.column("other_text", type="text", meaning="export.meaning.other",
                                       teller_text=True))  # fmt: skip
        return columns

    def values(self, block, texts):
        code = block[:, 0]
        missing = np.isnan(code)
        codes = np.where(missing, 0, code).astype(np.int64)
        options = [option for option, _ in self._options()]
        if self.question.max == 1:
            indices = pa.array(codes.astype(np.int32), type=pa.int32(), mask=missing)
            arrays = [pa.DictionaryArray.from_arrays(indices, pa.array(options, pa.string()))]
        else:
            arrays = [_na_flag((codes >> j) & 1 == 1, missing) for j in range(len(options))]
        if self.question.other:
            arrays.append(_strings(texts[0]))
        return arrays


class TextKind(Kind):
    def texts(self):
        return ((self.id, None),)

    def columns(self):
        return [Column(column_name(self.id), "text", "export.meaning.text", self.id,
                       teller_text=True)]  # fmt: skip

    def values(self, block, texts):
        return [_strings(texts[0])]


KINDS = {"triad": TriadKind, "dyad": DyadKind, "stones": StonesKind, "star": StarKind,
         "choice": ChoiceKind, "text": TextKind}  # fmt: skip

FRAGMENT = (
    Column("fragment_id", "text", "export.meaning.fragment_id"),
    Column("survey_version", "integer", "export.meaning.survey_version"),
    Column("language", "category", "export.meaning.language"),
    Column("prompt", "category", "export.meaning.prompt"),
    Column("title", "text", "export.meaning.title", teller_text=True),
    Column("story", "text", "export.meaning.story", teller_text=True),
    Column("consent", "flag", "export.meaning.consent", range="0, 1"),
    Column("collected_at", "time", "export.meaning.collected_at"),
    Column("received_at", "time", "export.meaning.received_at"),
    Column("source", "category", "export.meaning.source"),
)
CLUSTER = (
    Column("cluster", "integer", "export.meaning.cluster"),
    Column("cluster_run", "integer", "export.meaning.cluster_run"),
)


@dataclass(frozen=True)
class WideLayout:
    """The columns of a survey's wide export, and the question kinds that fill them."""

    survey: Survey
    kinds: list[Kind]
    columns: list[Column]
    with_cluster: bool

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]

    def schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, ARROW_TYPES[c.type]) for c in self.columns])

    def texts(self) -> tuple[tuple[str, str | None], ...]:
        return tuple(spec for kind in self.kinds for spec in kind.texts())


def wide_layout(survey: Survey, with_cluster: bool = False) -> WideLayout:
    """The wide layout of the survey's current version."""
    kinds = [KINDS[q.kind](q, survey.languages) for q in survey.questions.values()]
    columns = [*FRAGMENT]
    for kind in kinds:
        columns += kind.columns()
    if with_cluster:
        columns += CLUSTER
    return WideLayout(survey, kinds, _unique(columns), with_cluster)


def _unique(columns: list[Column]) -> list[Column]:
    """Columns with clashing names (ids such as a triad label "x") made unique by _2, _3."""
    seen: dict[str, int] = {}
    result = []
    for column in columns:
        name = column.name
        while name in seen:
            seen[column.name] += 1
            name = f"{column.name}_{seen[column.name]}"
        seen.setdefault(name, 1)
        result.append(column if name == column.name else replace(column, name=name))
    return result
