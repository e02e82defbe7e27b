"""Checking converted rows as the API does, and storing them in batches.

Converting and checking rows is most of an import's work and each row stands alone, so a
large file is worked on by a pool of processes, a chunk of rows each, while this process
stores the finished chunks in order. Small files are done in this process.
"""

import multiprocessing
import os
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .. import db, fragments, intake
from .report import ImportReport, Problem

# Imported fragment ids are version 5 UUIDs in this namespace: derived from what identifies
# the row, so the same row always gets the same id and a second import adds nothing. They
# are canonical lower-case UUID text like the form's version 4 ids; the version digit (5)
# tells an imported story's id from one made by a form.
NAMESPACE = uuid.UUID("5e6d0c1a-4b7e-5f0a-9c1d-2a3b4c5d6e7f")
CHUNK = 5000  # rows per piece of work, and per write transaction
PARALLEL_FROM = 20_000  # rows; below this, starting processes costs more than it saves


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


# A converter turns a chunk of CSV rows (the index of its first row, the rows) into Rows.
Converter = Callable[[int, list[list[str]]], Iterable[Row]]


@dataclass
class Checked:
    """A chunk of rows, checked: the valid ones ready to store, and every problem."""

    rows: int = 0
    valid: list[tuple[int, fragments.Fragment, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rejected: int = 0


def _check(row: Row, survey) -> fragments.Fragment | None:
    """The row as a Fragment, checked as the API checks; None with its problems noted."""
    try:
        fragment = fragments.parse(row.body, survey)
    except fragments.FragmentInvalid as invalid:
        fragment = None
        for name, (key, params) in invalid.errors.items():
            if name not in row.failed:  # a value already refused is not refused twice
                row.problems.append(Problem(row.number, row.columns.get(name, name), key, params))
    return None if row.problems else fragment


def check_chunk(convert: Converter, survey, start: int, chunk: list[list[str]]) -> Checked:
    """Convert and check a chunk of rows."""
    checked = Checked()
    for row in convert(start, chunk):
        checked.rows += 1
        fragment = _check(row, survey)
        if fragment is None:
            checked.rejected += 1
            checked.problems += row.problems
            continue
        # The hash of the body as made from the row, as the API hashes what it is sent.
        checked.valid.append((row.number, fragment, fragments.body_hash(row.body)))
    return checked


def _prepared(database, survey, checked: Checked) -> dict[int, db.Ready]:
    """The rows to write for a chunk's fragments that are not stored yet, by object id.

    Made before the chunk's turn to write (numbers, personal-data scan, the table row), so
    that one worker prepares while the other writes and the write lock is held briefly; a
    second import of a file finds everything stored and prepares nothing."""
    stored = db.stored_hashes(database, [f.id for _, f, _ in checked.valid])
    stamp = db.now()
    return {
        id(fragment): db.ready(
            fragment, intake.prepare(fragment, survey, sha, source="import"), stamp
        )  # fmt: skip
        for _, fragment, sha in checked.valid
        if fragment.id not in stored
    }


def _store(database, survey, checked: Checked, check: bool,
           records: dict[int, db.Ready]) -> list[tuple[int, str, str, str]]:  # fmt: skip
    """Store (or, with `check`, look up) a checked chunk: (row, id, hash, outcome) each."""
    valid = checked.valid
    if check:
        stored = db.stored_hashes(database, [f.id for _, f, _ in valid])
        results, seen = [], {}
        for _, fragment, sha in valid:
            before = stored.get(fragment.id) or seen.get(fragment.id)
            seen.setdefault(fragment.id, sha)
            results.append(db.CREATED if before is None else
                           db.DUPLICATE if before == sha else db.CONFLICT)  # fmt: skip
    else:

        def prepare(fragment, sha):  # not stored when looked up, or stored and gone since
            record = records.get(id(fragment))
            stored = None if record else intake.prepare(fragment, survey, sha, source="import")
            return record or db.ready(fragment, stored)

        items = [(fragment, sha) for _, fragment, sha in valid]
        results = db.insert_imported(database, items, prepare)
    return [(n, f.id, sha, result) for (n, f, sha), result in zip(valid, results, strict=True)]


@dataclass
class Done:
    """What became of a chunk: its counts, problems and each valid row's outcome."""

    rows: int
    rejected: int
    problems: list[Problem]
    outcomes: list[tuple[int, str, str, str]]  # row, fragment id, body hash, outcome


def _do_chunk(database, convert, survey, data, start, check) -> Done:
    checked = check_chunk(convert, survey, start, data[start : start + CHUNK])
    records = {} if check else _prepared(database, survey, checked)
    outcomes = _store(database, survey, checked, check, records)
    return Done(checked.rows, checked.rejected, checked.problems, outcomes)


# What forked workers inherit: (convert, survey, rows, database path, check, turn, ready).
_work: tuple | None = None
_connection = None  # each worker's own database connection


def _do_in_worker(task: tuple[int, int]) -> Done:
    """Convert and check a chunk, then store it when every earlier chunk is stored.

    Workers check their chunks side by side; writing waits for the chunk's turn, so the
    stories are stored in the file's order, one transaction per chunk, and a worker writes
    while the other checks.
    """
    global _connection
    index, start = task
    convert, survey, data, path, check, turn, ready = _work
    checked = check_chunk(convert, survey, start, data[start : start + CHUNK])
    if _connection is None:
        _connection = db.connect(path, migrate=False)
    records = {} if check else _prepared(_connection, survey, checked)
    with ready:
        ready.wait_for(lambda: turn.value == index)
    try:
        outcomes = _store(_connection, survey, checked, check, records)
    finally:
        with ready:
            turn.value += 1
            ready.notify_all()
    return Done(checked.rows, checked.rejected, checked.problems, outcomes)


def _database_path(database) -> str:
    rows = database.execute("PRAGMA database_list").fetchall()
    return next((row[2] for row in rows if row[1] == "main"), "")


def _done_chunks(database, convert, survey, data, check: bool, workers: int) -> Iterator[Done]:
    starts = list(range(0, len(data), CHUNK))
    path = _database_path(database)
    forks = "fork" in multiprocessing.get_all_start_methods()
    if workers <= 1 or len(data) < PARALLEL_FROM or not forks or not path:
        for start in starts:
            yield _do_chunk(database, convert, survey, data, start, check)
        return
    global _work
    context = multiprocessing.get_context("fork")  # workers inherit the rows: nothing to send
    turn, ready = context.Value("i", 0), context.Condition()
    _work = (convert, survey, data, path, check, turn, ready)
    try:
        with context.Pool(workers) as pool:
            yield from pool.imap(_do_in_worker, list(enumerate(starts)))
    finally:
        _work = None


def check_and_store(database, survey, convert: Converter, data: list[list[str]],
                    report: ImportReport, *, check: bool,
                    workers: int | None = None) -> None:  # fmt: skip
    """Check every row; store the valid ones unless `check` (then count what would be).

    Counts go to `report`: `created` (or would be), `duplicates` (stored before with the
    same content), `rejected`; a row whose id is stored with other content is a problem.
    A file of `PARALLEL_FROM` rows or more is worked on by `workers` processes (default:
    one per core).
    """
    workers = workers or os.cpu_count() or 1
    would_add: dict[str, str] = {}  # a dry run: ids earlier chunks would have stored
    for done in _done_chunks(database, convert, survey, data, check, workers):
        report.rows += done.rows
        report.rejected += done.rejected
        report.problems += done.problems
        for number, fragment_id, sha, result in done.outcomes:
            if check and result == db.CREATED:
                if fragment_id in would_add:  # given by a row of an earlier chunk
                    result = db.DUPLICATE if would_add[fragment_id] == sha else db.CONFLICT
                else:
                    would_add[fragment_id] = sha
            if result == db.CREATED:
                report.created += 1
            elif result == db.DUPLICATE:
                report.duplicates += 1
            else:
                report.rejected += 1
                report.problem(number, "id", "import.conflict", id=fragment_id)
