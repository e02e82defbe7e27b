"""Checking converted rows as the API does, and storing them in batches."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from .. import db, fragments, intake
from .report import ImportReport, Problem

# Imported fragment ids are version 5 UUIDs in this namespace: derived from what identifies
# the row, so the same row always gets the same id and a second import adds nothing. They
# are canonical lower-case UUID text like the form's version 4 ids; the version digit (5)
# tells an imported story's id from one made by a form.
NAMESPACE = uuid.UUID("5e6d0c1a-4b7e-5f0a-9c1d-2a3b4c5d6e7f")
BATCH = 5000


def fragment_id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(parts)))


@dataclass
class Row:
    """One CSV row as a submission body, with what converting it already found wrong."""

    number: int
    body: dict
    columns: dict[str, str]  # body field or question id → the CSV column(s) to name
    problems: list[Problem] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)  # answers already refused in `problems`


def _parse(row: Row, survey, report: ImportReport) -> fragments.Fragment | None:
    try:
        fragment = fragments.parse(row.body, survey)
    except fragments.FragmentInvalid as invalid:
        fragment = None
        for name, (key, params) in invalid.errors.items():
            if name not in row.failed:  # a value already refused is not refused twice
                row.problems.append(Problem(row.number, row.columns.get(name, name), key, params))
    if row.problems:
        report.rejected += 1
        report.problems.extend(row.problems)
        return None
    return fragment


def check_and_store(database, survey, rows: Iterable[Row], report: ImportReport, *,
                    check: bool, batch: int = BATCH) -> None:  # fmt: skip
    """Validate every row; store the valid ones unless `check` (then count what would be).

    Counts go to `report`: `created` (or would be), `duplicates` (stored before with the
    same content), `rejected`; a row whose id is stored with other content is a problem.
    """
    pending: list[tuple[int, fragments.Fragment, str]] = []

    def prepare(fragment, sha):
        return intake.prepare(fragment, survey, sha, source="import")

    seen: dict[str, str] = {}  # in a dry run: ids this file has already given

    def outcome(number: int, fragment_id: str, result: str) -> None:
        if result == db.CREATED:
            report.created += 1
        elif result == db.DUPLICATE:
            report.duplicates += 1
        else:
            report.rejected += 1
            report.problem(number, "id", "import.conflict", id=fragment_id)

    def flush() -> None:
        if check:
            stored = db.stored_hashes(database, [f.id for _, f, _ in pending])
            for number, fragment, sha in pending:
                before = stored.get(fragment.id) or seen.get(fragment.id)
                result = db.CREATED if before is None else db.DUPLICATE
                if before is not None and before != sha:
                    result = db.CONFLICT
                seen.setdefault(fragment.id, sha)
                outcome(number, fragment.id, result)
        else:
            items = [(fragment, sha) for _, fragment, sha in pending]
            results = db.insert_imported(database, items, prepare)
            for (number, fragment, _), result in zip(pending, results, strict=True):
                outcome(number, fragment.id, result)
        pending.clear()

    for row in rows:
        report.rows += 1
        fragment = _parse(row, survey, report)
        if fragment is not None:
            # The hash of the body as made from the row, as the API hashes what it is sent.
            pending.append((row.number, fragment, fragments.body_hash(row.body)))
            if len(pending) >= batch:
                flush()
    if pending:
        flush()
