"""Any CSV, with a small YAML mapping file that says which column answers what.

    report = import_csv(database, csv_bytes, mapping_text, check=False)

The stories go into a survey that is loaded already (`sensemaker survey load`); the
mapping names it and says, per question, which columns hold the answer and on what scale.
The mapping's format, with examples, is in docs/import.md.
"""

import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from functools import partial

import yaml

from .. import db
from ..bulk import without_cycle_collection
from ..i18n import localize
from ..questions import NA
from .report import ImportReport, Problem
from .signifiers import SHARE_TOLERANCE, ColumnError
from .store import Row, check_and_store, fragment_id
from .values import CellError, flag, number, read_csv

TOP = {"survey", "version", "id", "key", "story", "title", "language", "default_language",
       "prompt", "default_prompt", "consent", "default_consent", "collected_at",
       "default_collected_at", "questions"}  # fmt: skip
QUESTION_KEYS = {"column", "columns", "stones", "scale", "na", "na_value", "separator", "other"}


class MappingError(ValueError):
    def __init__(self, place: str, key: str, **params):
        super().__init__(key)
        self.place, self.key, self.params = place, key, params


def _scale(spec: dict, place: str, default=(0.0, 1.0)) -> tuple[float, float]:
    scale = spec.get("scale", list(default))
    if isinstance(scale, int | float) and not isinstance(scale, bool):
        scale = [0, scale]
    if (not isinstance(scale, list) or len(scale) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in scale)
            or scale[0] == scale[1]):  # fmt: skip
        raise MappingError(f"{place}.scale", "import.map_scale")
    return float(scale[0]), float(scale[1])


class Reader:
    """Reads one question's answer from a row's cells, as the mapping says."""

    def __init__(self, question, spec: dict, place: str):
        self.question, self.spec, self.place = question, spec, place
        unknown = set(spec) - QUESTION_KEYS
        if unknown:
            raise MappingError(place, "import.map_unknown_key", key=sorted(unknown)[0])
        self.na_value = spec.get("na_value")
        self.na_column = spec.get("na") if isinstance(spec.get("na"), str) else None
        kind = question.kind
        readers = {"triad": self._triad, "dyad": self._dyad, "stones": self._stones,
                   "choice": self._choice, "star": self._star, "text": self._text}  # fmt: skip
        self.read = readers[kind]
        self.low, self.high = _scale(spec, place, (0, 1))
        if kind == "triad" and not self._list_of_columns(3):
            raise MappingError(f"{place}.columns", "import.map_triad")
        if kind in ("dyad", "text") and not isinstance(spec.get("column"), str):
            raise MappingError(f"{place}.column", "import.map_column")
        if kind == "stones" and not isinstance(spec.get("stones"), dict):
            raise MappingError(f"{place}.stones", "import.map_stones")
        if kind in ("choice", "star") and not (
            isinstance(spec.get("column"), str) or isinstance(spec.get("columns"), dict)
        ):
            raise MappingError(place, "import.map_column")

    def _list_of_columns(self, count: int) -> bool:
        columns = self.spec.get("columns")
        return (
            isinstance(columns, list)
            and len(columns) == count
            and all(isinstance(c, str) for c in columns)
        )

    def columns(self) -> list[str]:
        spec = self.spec
        found = [spec["column"]] if isinstance(spec.get("column"), str) else []
        columns = spec.get("columns")
        found += columns if isinstance(columns, list) else list((columns or {}).values())
        for pair in (spec.get("stones") or {}).values():
            found += pair if isinstance(pair, list) else []
        found += [c for c in (self.na_column, spec.get("other")) if isinstance(c, str)]
        if isinstance(spec.get("na"), dict):
            found += list(spec["na"].values())
        return found

    # -- cells -----------------------------------------------------------------------
    def _is_na(self, cell: Callable[[str], str], *columns: str) -> bool:
        if self.na_column is not None:
            try:
                if flag(cell(self.na_column)):
                    return True
            except CellError as error:
                raise ColumnError(self.na_column, error.key, **error.params) from None
        return self.na_value is not None and any(cell(c).strip() == self.na_value for c in columns)

    def _scaled(self, column: str, text: str) -> float | None:
        try:
            value = number(text)
        except CellError as error:
            raise ColumnError(column, error.key, **error.params) from None
        if value is None:
            return None
        low, high = sorted((self.low, self.high))
        if not low - 1e-9 <= value <= high + 1e-9:
            raise ColumnError(column, "import.out_of_range", value=text.strip(), low=f"{low:g}",
                              high=f"{high:g}")  # fmt: skip
        return min(max((value - self.low) / (self.high - self.low), 0.0), 1.0)

    # -- kinds -----------------------------------------------------------------------
    def _triad(self, cell):
        columns = self.spec["columns"]
        if self._is_na(cell, *columns):
            return NA
        # Shares run from 0 to the scale's top (1, or 100 for percentages).
        shares = [self._scaled(column, cell(column)) for column in columns]
        if all(share is None for share in shares):
            return None
        if any(share is None for share in shares):
            raise ColumnError(", ".join(columns), "import.triad_incomplete")
        total = sum(shares)
        if abs(total - 1.0) > SHARE_TOLERANCE:
            raise ColumnError(", ".join(columns), "import.triad_sum", total=f"{total:.4f}")
        return [share / total for share in shares]

    def _dyad(self, cell):
        column = self.spec["column"]
        return NA if self._is_na(cell, column) else self._scaled(column, cell(column))

    def _stones(self, cell):
        pairs = self.spec["stones"]
        columns = [c for pair in pairs.values() for c in pair]
        if self._is_na(cell, *columns):
            return NA
        placed, blank = {}, True
        for stone, (x_column, y_column) in pairs.items():
            x, y = self._scaled(x_column, cell(x_column)), self._scaled(y_column, cell(y_column))
            if (x is None) != (y is None):
                raise ColumnError(x_column if x is None else y_column, "import.stone_half")
            if x is not None:
                placed[stone] = [x, y]
        if self.na_column is not None:
            blank = not cell(self.na_column).strip()  # "0": answered, nothing placed
        return placed if placed or not blank else None

    def _option(self, column: str, value: str) -> str:
        """An option id, given as the id or as its text in any of the survey's languages."""
        question = self.question
        if value in question.option_ids:
            return value
        for option in question.raw["options"]:
            texts = option["text"] if isinstance(option["text"], dict) else {"": option["text"]}
            if value in texts.values() or value == localize(option["text"], "sv"):
                return option["id"]
        raise ColumnError(column, "import.unknown_item", value=value[:60])

    def _choice(self, cell):
        spec = self.spec
        if isinstance(spec.get("columns"), dict):
            cells = {option: (column, cell(column)) for option, column in spec["columns"].items()}
            if not any(text.strip() for _, text in cells.values()):
                return None
            selected = []
            for option, (column, text) in cells.items():
                try:
                    chosen = flag(text)
                except CellError as error:
                    raise ColumnError(column, error.key, **error.params) from None
                if chosen:
                    selected.append(option)
        else:
            column, text = spec["column"], cell(spec["column"]).strip()
            if not text:
                return None
            parts = text.split(spec["separator"]) if spec.get("separator") else [text]
            selected = [self._option(column, part.strip()) for part in parts if part.strip()]
        answer = selected[0] if self.question.max == 1 and len(selected) == 1 else selected
        other = spec.get("other")
        if isinstance(other, str) and cell(other).strip():
            return {"selected": answer, "other": cell(other).strip()}
        return answer

    def _star(self, cell):
        columns = self.spec.get("columns") or {}
        na_columns = self.spec.get("na") if isinstance(self.spec.get("na"), dict) else {}
        ratings = {}
        for area, column in columns.items():
            text = cell(column).strip()
            na_column = na_columns.get(area)
            if (na_column and cell(na_column).strip() in ("1", "1.0")) or (
                self.na_value is not None and text == self.na_value
            ):
                ratings[area] = NA
            elif text:
                try:
                    value = number(text)
                except CellError as error:
                    raise ColumnError(column, error.key, **error.params) from None
                ratings[area] = int(value) if value == int(value) else value
        return ratings or None

    def _text(self, cell):
        return cell(self.spec["column"]).strip() or None


def _mapping(text: str, report: ImportReport) -> dict | None:
    try:
        mapping = yaml.safe_load(text)
    except yaml.YAMLError as error:
        report.problem(0, "-", "import.map_yaml", error=str(error).splitlines()[0][:200])
        return None
    if not isinstance(mapping, dict):
        report.problem(0, "-", "import.map_yaml", error="not a mapping")
        return None
    for key in sorted(set(mapping) - TOP):
        report.problem(0, str(key), "import.map_unknown_key", key=key)
    for key in ("survey", "story"):
        if not isinstance(mapping.get(key), str):
            report.problem(0, key, "import.map_required")
    if "collected_at" not in mapping and "default_collected_at" not in mapping:
        report.problem(0, "collected_at", "import.map_collected_at")
    return mapping


_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _row_id(mapping: dict, survey_id: str, cell, cells: list[str]) -> str:
    """The row's fragment id: its id column when that holds a UUID (as exports do), else
    derived from the id or key columns, else from the whole row."""
    if isinstance(mapping.get("id"), str):
        value = cell(mapping["id"]).strip().lower()
        if _UUID.match(value) and str(uuid.UUID(value)) == value:
            return value
        return fragment_id("csv", survey_id, value)
    key = mapping.get("key")
    parts = [cell(c) for c in ([key] if isinstance(key, str) else key)] if key else cells
    return fragment_id("csv", survey_id, *parts)


def _rows(mapping, survey, readers, header, start, data) -> Iterator[Row]:
    """Rows `start`… of the CSV (`data`) as submission bodies."""
    fields = {"title": mapping.get("title"), "prompt": mapping.get("prompt"),
              "language": mapping.get("language"), "collected_at": mapping.get("collected_at"),
              "consent": mapping.get("consent")}  # fmt: skip
    # Which CSV columns to name when the API's check refuses a field or an answer.
    columns = {name: column for name, column in fields.items() if column}
    columns |= {"id": mapping.get("id") or "-", "story": mapping["story"]}
    columns |= {q: ", ".join(reader.columns()[:3]) for q, reader in readers.items()}
    default_language = mapping.get("default_language", "sv")
    default_collected_at = str(mapping.get("default_collected_at", ""))
    for offset, cells in enumerate(data):
        if not any(c.strip() for c in cells):
            continue
        number_ = start + offset + 2  # the header is row 1
        values = defaultdict(str, zip(header, cells, strict=False))  # short rows: blank
        cell = values.__getitem__
        body = {"id": _row_id(mapping, survey.id, cell, cells), "story": cell(mapping["story"]),
                "survey_version": survey.version, "answers": {}}  # fmt: skip
        body["language"] = cell(fields["language"]).strip() if fields["language"] else None
        body["language"] = body["language"] or default_language
        collected = cell(fields["collected_at"]).strip() if fields["collected_at"] else ""
        body["collected_at"] = collected or default_collected_at
        for name in ("title", "prompt"):
            if fields[name] and cell(fields[name]).strip():
                body[name] = cell(fields[name]).strip()
        if "prompt" not in body and isinstance(mapping.get("default_prompt"), str):
            body["prompt"] = mapping["default_prompt"]
        if isinstance(mapping.get("default_consent"), bool):
            body["consent"] = mapping["default_consent"]
        problems, failed = [], set()
        if fields["consent"] and cell(fields["consent"]).strip():
            try:
                body["consent"] = flag(cell(fields["consent"]))
            except CellError as error:
                problems.append(Problem(number_, fields["consent"], error.key, error.params))
                failed.add("consent")
        for question_id, reader in readers.items():
            try:
                answer = reader.read(cell)
            except ColumnError as error:
                problems.append(Problem(number_, error.column, error.key, error.params))
                failed.add(question_id)
                continue
            if answer is not None:
                body["answers"][question_id] = answer
        yield Row(number_, body, columns, problems, failed)


def import_csv(database, data: bytes, mapping_text: str, *, check: bool = False,
               workers: int | None = None) -> ImportReport:  # fmt: skip
    """Import a CSV into a loaded survey as the mapping says (`workers`: see
    `check_and_store`)."""
    with without_cycle_collection():
        return _import(database, data, mapping_text, check, workers)


def _import(database, data, mapping_text, check, workers) -> ImportReport:
    report = ImportReport()
    mapping = _mapping(mapping_text, report)
    if mapping is None or report.problems:
        return report
    version = mapping.get("version") if isinstance(mapping.get("version"), int) else None
    survey = db.get_survey(database, mapping["survey"], version)
    if survey is None:
        report.problem(0, "survey", "import.map_no_survey", survey=str(mapping["survey"])[:80])
        return report
    report.survey_id, report.survey_version = survey.id, survey.version
    readers = {}
    questions = mapping.get("questions") or {}
    for question_id, spec in questions.items() if isinstance(questions, dict) else ():
        place = f"questions.{question_id}"
        if question_id not in survey.questions:
            report.problem(0, place, "import.map_no_question", question=str(question_id))
        elif not isinstance(spec, dict):
            report.problem(0, place, "import.map_column")
        else:
            try:
                readers[question_id] = Reader(survey.questions[question_id], spec, place)
            except MappingError as error:
                report.problem(0, error.place, error.key, **error.params)
    try:
        header, rows = read_csv(data)
    except CellError as error:
        report.problem(1, "-", error.key, **error.params)
        return report
    named = [mapping.get(k) for k in ("story", "title", "language", "prompt", "consent",
                                       "collected_at", "id")]  # fmt: skip
    key = mapping.get("key")
    named += [key] if isinstance(key, str) else key if isinstance(key, list) else []
    named += [c for reader in readers.values() for c in reader.columns()]
    for column in dict.fromkeys(c for c in named if isinstance(c, str)):
        if column not in header:
            report.problem(1, column, "import.missing_column")
    if report.problems:
        return report
    report.survey_outcome = "unchanged"
    convert = partial(_rows, mapping, survey, readers, header)
    check_and_store(database, survey, convert, rows, report, check=check, workers=workers)
    return report
