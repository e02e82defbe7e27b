"""A survey's answers as one float64 matrix, and back into the analysis's answer arrays.

Every survey version has a column layout: its questions in order, each contributing the
columns its kind encodes (`Question.numeric_columns`). A fragment's answers are stored as
one row of that layout (see the `signification` table); loading many fragments is then a
single narrow scan and a `numpy.frombuffer`. Rows told against an older version are
mapped onto the current layout by question id, and a question whose columns differ
between versions is left missing rather than mixed.
"""

from dataclasses import dataclass

import numpy as np

from .analysis import Significations
from .survey import Survey

DTYPE = np.dtype("<f8")


@dataclass(frozen=True)
class Layout:
    """Where each question's columns sit in a row."""

    columns: dict[str, tuple[int, int, tuple[str, ...]]]  # question → (start, stop, names)
    width: int


def layout(survey: Survey) -> Layout:
    columns, start = {}, 0
    for question in survey.questions.values():
        names = tuple(question.numeric_columns())
        if names:
            columns[question.id] = (start, start + len(names), names)
            start += len(names)
    return Layout(columns, start)


def encode(survey: Survey, answers: dict) -> bytes:
    """One fragment's answers as a row of its survey version's layout."""
    row = []
    for question in survey.questions.values():
        row.extend(question.encode(answers.get(question.id)))
    return np.asarray(row, dtype=DTYPE).tobytes()


def to_matrix(blob: bytes, width: int) -> np.ndarray:
    """Concatenated rows (as stored) → an (n, width) matrix."""
    return np.frombuffer(blob, dtype=DTYPE).reshape(-1, width) if width else np.empty((0, 0))


def remap(matrix: np.ndarray, old: Layout, new: Layout) -> np.ndarray:
    """Rows in an older version's layout, moved into the current layout."""
    moved = np.full((len(matrix), new.width), np.nan)
    for question_id, (start, stop, names) in new.columns.items():
        before = old.columns.get(question_id)
        if before is not None and before[2] == names:
            moved[:, start:stop] = matrix[:, before[0] : before[1]]
    return moved


def decode(survey: Survey, matrix: np.ndarray, questions=None) -> Significations:
    """The analysis's answers for the chosen questions (default: every numeric one)."""
    spec = layout(survey)
    chosen = questions if questions is not None else list(spec.columns)
    answers = {}
    for question_id in chosen:
        start, stop, _ = spec.columns[question_id]
        answers[question_id] = survey.questions[question_id].decode(matrix[:, start:stop])
    return Significations(answers)


@dataclass(frozen=True)
class Loaded:
    """A survey's stored answers as numbers: one row per fragment, in fragment order."""

    survey: Survey
    seqs: np.ndarray  # (n,) fragment seq of each row
    matrix: np.ndarray  # (n, width) in the current version's layout

    def significations(self, questions=None) -> Significations:
        return decode(self.survey, self.matrix, questions)


def load(database, survey_id: str) -> Loaded | None:
    """Every stored fragment of a survey, mapped onto its current version's layout."""
    from . import db

    survey = db.get_survey(database, survey_id)
    if survey is None:
        return None
    current = layout(survey)
    parts, seqs = [], []
    for version, version_seqs, blob in db.signification_blobs(database, survey_id):
        told = survey if version == survey.version else db.get_survey(database, survey_id, version)
        before = layout(told)
        matrix = to_matrix(blob, before.width)
        parts.append(matrix if told is survey else remap(matrix, before, current))
        seqs.append(np.asarray(version_seqs, dtype=np.int64))
    if not parts:
        return Loaded(survey, np.empty(0, dtype=np.int64), np.empty((0, current.width)))
    all_seqs = np.concatenate(seqs)
    order = np.argsort(all_seqs, kind="stable")
    matrix = parts[0] if len(parts) == 1 else np.concatenate(parts)[order]
    return Loaded(survey, all_seqs[order] if len(parts) > 1 else all_seqs, matrix)
