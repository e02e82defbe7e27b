"""What an import found and did: problems by row and column, notes, counts."""

from dataclasses import dataclass, field

from ..i18n import gettext


@dataclass(frozen=True)
class Problem:
    """One problem: where (`row` 0 for the definition or mapping, else the spreadsheet
    row; `column` a CSV column or a place in the definition) and what (a message key)."""

    row: int
    column: str
    key: str
    params: dict = field(default_factory=dict)

    def message(self, lang: str) -> str:
        return gettext(self.key, lang, **self.params)


@dataclass
class ImportReport:
    survey_id: str | None = None
    survey_version: int | None = None
    survey_outcome: str | None = None  # "new", "unchanged", or None when nothing was saved
    rows: int = 0
    created: int = 0
    duplicates: int = 0
    rejected: int = 0  # rows with at least one problem
    problems: list[Problem] = field(default_factory=list)
    notes: list[tuple[str, dict]] = field(default_factory=list)  # (message key, params)

    def problem(self, row: int, column: str, key: str, **params) -> None:
        self.problems.append(Problem(row, column, key, params))

    def note(self, key: str, **params) -> None:
        self.notes.append((key, params))

    @property
    def definition_problems(self) -> list[Problem]:
        return [p for p in self.problems if p.row == 0]
