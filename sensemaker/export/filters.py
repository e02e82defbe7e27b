"""`--filter` for exports: which fragments go in. Every filter must hold (AND).

    question=option   a choice question's option was chosen (roll=patient)
    from=YYYY-MM-DD   told on or after this date (the date in collected_at)
    to=YYYY-MM-DD     told on or before this date
    language=sv       told in this language
    prompt=id         told about this prompt
    cluster=N         in cluster N of the chosen clustering run (needs a run)

Filters on the fragment's own columns become SQL (`db.Selection`); filters on answers and
clusters are applied to each chunk's decoded numbers.
"""

import re
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from ..db import Selection
from ..survey import Survey
from .errors import ExportError

_FILTER = re.compile(r"^([a-z0-9][a-z0-9_-]{0,62})=(.{1,200})$", re.DOTALL)
_PLAIN = ("language", "prompt", "from", "to", "cluster")


@dataclass(frozen=True)
class Filters:
    """Parsed filters: the SQL part, the chosen options, and a cluster."""

    selection: Selection = Selection()
    options: tuple[tuple[str, str], ...] = ()  # (choice question id, option id)
    cluster: int | None = None  # numbered from 1, as in the export's `cluster` column
    written: list[str] = field(default_factory=list)  # as given, for the audit and codebook

    def keep(self, survey: Survey, matrix: np.ndarray, layout_columns: dict) -> np.ndarray | None:
        """Rows of `matrix` whose answers pass the option filters; None when there are none."""
        if not self.options:
            return None
        keep = np.ones(len(matrix), dtype=bool)
        for question_id, option in self.options:
            question = survey.questions[question_id]
            code = matrix[:, layout_columns[question_id][0]]
            answered = ~np.isnan(code)
            codes = np.where(answered, code, 0).astype(np.int64)
            position = question.option_ids.index(option)
            chosen = codes == position if question.max == 1 else (codes >> position) & 1 == 1
            keep &= answered & chosen
        return keep


def parse(raw: list[str] | tuple[str, ...], survey: Survey, *, has_run: bool) -> Filters:
    """Filters from `key=value` strings; ExportError names the first one that is wrong."""
    plain: dict[str, str] = {}
    options: list[tuple[str, str]] = []
    cluster = None
    for text in raw:
        match = _FILTER.match(text.strip())
        if not match:
            raise ExportError("export.filter_syntax", filter=text[:200])
        key, value = match.groups()
        if key in _PLAIN:
            if key in plain and plain[key] != value:
                raise ExportError("export.filter_twice", name=key)
            plain[key] = value
            if key == "cluster":
                cluster = _cluster(value, has_run)
        else:
            options.append(_option(survey, key, value))
    selection = Selection(
        language=_language(survey, plain.get("language")),
        prompt=_prompt(survey, plain.get("prompt")),
        told_from=_date(plain.get("from")),
        told_to=_date(plain.get("to")),
    )
    return Filters(selection, tuple(options), cluster, [text.strip() for text in raw])


def _option(survey: Survey, question_id: str, option: str) -> tuple[str, str]:
    question = survey.questions.get(question_id)
    if question is None or question.kind != "choice":
        choices = [q.id for q in survey.questions.values() if q.kind == "choice"]
        raise ExportError("export.filter_key", name=question_id,
                          names=", ".join([*_PLAIN, *choices]))  # fmt: skip
    if option not in question.option_ids:
        raise ExportError("export.filter_option", question=question_id, option=option,
                          options=", ".join(question.option_ids))  # fmt: skip
    return question_id, option


def _language(survey: Survey, value: str | None) -> str | None:
    if value is not None and value not in survey.languages:
        raise ExportError("export.filter_language", value=value,
                          languages=", ".join(survey.languages))  # fmt: skip
    return value


def _prompt(survey: Survey, value: str | None) -> str | None:
    if value is not None and value not in survey.prompt_ids:
        raise ExportError("export.filter_prompt", value=value,
                          prompts=", ".join(survey.prompt_ids) or "–")  # fmt: skip
    return value


def _date(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat() if len(value) == 10 else _bad_date(value)
    except ValueError:
        return _bad_date(value)


def _bad_date(value: str):
    raise ExportError("export.filter_date", value=value)


def _cluster(value: str, has_run: bool) -> int:
    if not has_run:
        raise ExportError("export.filter_cluster_run")
    if not value.isdigit() or not 1 <= int(value) <= 1000:
        raise ExportError("export.filter_cluster", value=value)
    return int(value)
