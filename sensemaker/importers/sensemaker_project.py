"""SenseMaker® projects: a definition JSON and its CSV export become a survey and stories.

    report = import_project(database, definition_json, csv_bytes, survey_id=None, check=False)

The survey gets the project's questions (triads, dyads, stones, lists, free texts; labels,
save buttons and navigation are left out) with ids made safe for survey files, and the
story question's text as its story prompt. The CSV's layout is in docs/import.md.
"""

import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial

from .. import db
from .. import survey as surveys
from ..bulk import without_cycle_collection
from ..survey import STORY_LIMIT_MAX
from .report import ImportReport, Problem
from .signifiers import LAYOUT, TYPES, CellError, ColumnError, List
from .store import Row, check_and_store, fragment_id
from .values import identifier, listed, plain_text, read_csv, unwrap

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
ROW_ID_COLUMNS = ("id", "FragmentID")


class Project:
    """The signifiers of a definition, and the survey they make."""

    def __init__(self, raw: dict, report: ImportReport):
        self.raw = raw
        self.id = str(unwrap(raw.get("id")) or "")
        language = str(unwrap(raw.get("language")) or "").strip().lower()[:3]
        self.language = language if LANGUAGE_CODE.match(language) else None
        self.signifiers = []
        self.story = None
        problems: list = []
        taken: set[str] = set()
        for raw_signifier in _signifiers(raw):
            kind = str(unwrap(raw_signifier.get("type")) or "")
            if kind in LAYOUT:
                continue
            if kind not in TYPES:
                report.note("import.skipped_type", type=kind[:40] or "-")
                continue
            question_id = identifier(unwrap(raw_signifier.get("id")), taken)
            signifier = TYPES[kind](raw_signifier, question_id, problems)
            if getattr(signifier, "story", False) and self.story is None:
                self.story = signifier
            else:
                self.signifiers.append(signifier)
        for place, key, params in problems:
            report.problems.append(Problem(0, place, key, params))
        if self.story is None:
            report.problem(0, "signifiers", "import.no_story")

    def definition(self, survey_id: str, languages: list[str]) -> dict:
        title = plain_text(self.raw.get("title")) or plain_text(self.raw.get("name"))
        story = {"title": False, "max_length": STORY_LIMIT_MAX}
        if self.story is not None and self.story.text != self.story.id:
            story["text"] = self.story.text
        return {
            "id": survey_id,
            "version": 1,
            "languages": languages,
            "title": title or survey_id,
            "story": story,
            "questions": [signifier.question() for signifier in self.signifiers],
        }


def _signifiers(raw: dict) -> list[dict]:
    """Signifiers at the top level, or inside `sections`, in the project's order."""
    found = listed(raw.get("signifiers"))
    if not found:
        for section in listed(raw.get("sections")):
            found += listed(section.get("signifiers")) if isinstance(section, dict) else []
    return [s for s in found if isinstance(s, dict)]


def _language(cell: str, default: str) -> str | None:
    code = cell.strip().lower().replace("_", "-").split("-")[0]
    if not code:
        return default
    return code if LANGUAGE_CODE.match(code) else None


def _collected_at(cell: str) -> str | None:
    """`server_upload_time` (milliseconds since 1970, UTC) as ISO 8601."""
    try:
        moment = datetime.fromtimestamp(float(cell) / 1000, UTC)
    except (ValueError, OverflowError, OSError):
        return None
    return moment.isoformat(timespec="milliseconds")


def _rows(project: Project, survey, header, default_language, start, data) -> Iterator[Row]:
    """Rows `start`… of the CSV (`data`) as submission bodies."""
    row_id_column = next((c for c in ROW_ID_COLUMNS if c in header), ROW_ID_COLUMNS[0])
    width = len(header)
    story = project.story
    # Which CSV columns to name when the API's check refuses a field or an answer.
    columns = {"id": row_id_column, "language": "language", "story": story.raw_id,
               "collected_at": "server_upload_time"}  # fmt: skip
    columns |= {s.id: ", ".join(s.columns()[:3]) for s in project.signifiers}
    for offset, cells in enumerate(data):
        if not any(cells):
            continue  # a blank line
        number = start + offset + 2  # the header is row 1
        values = defaultdict(str, zip(header, cells, strict=False))  # short rows: blank
        cell = values.__getitem__
        problems, failed = [], set()
        if len(cells) != width:
            widths = {"expected": width, "actual": len(cells)}
            problems.append(Problem(number, "-", "import.row_width", widths))
        row_id = cell(row_id_column).strip()
        if not row_id:
            problems.append(Problem(number, row_id_column, "import.no_row_id"))
        project_id = cell("project_id").strip() or project.id
        body = {
            "id": fragment_id("sensemaker", survey.id, project_id, row_id),
            "language": _language(cell("language"), default_language),
            "story": story.read(cell),
            "collected_at": _collected_at(cell("server_upload_time")),
            "survey_version": survey.version,
            "answers": {},
        }
        if body["language"] is None:
            problems.append(Problem(number, "language", "import.bad_language",
                                    {"value": cell("language")[:20]}))  # fmt: skip
        if body["collected_at"] is None:
            problems.append(Problem(number, "server_upload_time", "import.bad_time",
                                    {"value": cell("server_upload_time")[:30]}))  # fmt: skip
        for signifier in project.signifiers:
            try:
                answer = signifier.read(cell)
            except ColumnError as error:
                problems.append(Problem(number, error.column, error.key, error.params))
                failed.add(signifier.id)
                continue
            if answer is not None:
                body["answers"][signifier.id] = answer
        yield Row(number, body, columns, problems, failed)


def _survey_version(database, definition: dict) -> tuple[int, str]:
    """The stored version with this definition, else the next version number: (version,
    "unchanged" or "new")."""
    survey_id = definition["id"]
    versions = db.survey_versions(database, survey_id)
    for version in versions:
        stored = dict(db.get_survey(database, survey_id, version).definition)
        if {**stored, "version": 1} == {**definition, "version": 1}:
            return version, "unchanged"
    return (max(versions) + 1 if versions else 1), "new"


def import_project(database, definition_json, data: bytes, *, survey_id: str | None = None,
                   check: bool = False, workers: int | None = None) -> ImportReport:  # fmt: skip
    """Import a SenseMaker® project (its parsed definition JSON and its CSV export).

    `workers`: processes that convert and check rows of a large file (default: one per
    core; 1 keeps everything in this process)."""
    with without_cycle_collection():
        return _import(database, definition_json, data, survey_id, check, workers)


def _import(database, definition_json, data, survey_id, check, workers) -> ImportReport:
    report = ImportReport()
    if not isinstance(definition_json, dict):
        report.problem(0, "-", "import.def_not_object")
        return report
    project = Project(definition_json, report)
    try:
        header, data_rows = read_csv(data)
    except CellError as error:
        report.problem(1, "-", error.key, **error.params)
        return report
    headers = set(header)
    for signifier in project.signifiers:
        if isinstance(signifier, List):
            signifier.use_header(headers)
    chosen = survey_id or str(unwrap(definition_json.get("code")) or "")
    chosen = chosen or str(unwrap(definition_json.get("name")) or project.id)
    survey_id = identifier(chosen, set(), fallback="sensemaker")
    if survey_id != chosen:
        report.note("import.survey_id_changed", given=chosen[:80], survey=survey_id)
    default_language = project.language or "sv"
    seen = {_language(row[index], default_language) for row in data_rows
            for index in [header.index("language")] if "language" in headers
            and index < len(row)}  # fmt: skip
    extra = sorted(code for code in seen | {default_language} if code and code not in ("sv", "en"))
    languages = ["sv", "en", *extra]
    report.note("import.one_language", language=project.language or "-")
    expected = [c for s in project.signifiers for c in s.columns() if not c.endswith("_NA")]
    expected += [project.story.raw_id] if project.story else []
    for column in expected:
        if column not in headers:
            report.problem(1, column, "import.missing_column")
    definition = project.definition(survey_id, languages)
    version, outcome = _survey_version(database, definition)
    definition["version"] = version
    for problem in surveys.check(definition, survey_id):
        report.problem(0, problem.path, problem.key, **problem.params)
    report.survey_id, report.survey_version = survey_id, version
    if report.problems:
        report.rows = sum(1 for row in data_rows if any(cell.strip() for cell in row))
        return report  # the survey itself cannot be made: nothing is read further
    survey = surveys.Survey(definition)
    if not check:
        report.survey_outcome = db.save_survey(database, survey)
    else:
        report.survey_outcome = outcome
    convert = partial(_rows, project, survey, header, default_language)
    check_and_store(database, survey, convert, data_rows, report, check=check, workers=workers)
    return report
