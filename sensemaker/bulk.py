"""Bulk loading of fragments from JSON Lines, with the API's validation."""

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field

from . import db, fragments, intake


@dataclass
class LoadReport:
    loaded: int = 0
    duplicates: int = 0
    rejected: int = 0
    # (line number, field, message key, params) for each rejected line
    problems: list[tuple[int, str, str, dict]] = field(default_factory=list)


def load_jsonl(database, survey, lines, *, batch: int = 1000, source="capture") -> LoadReport:
    """Validate each line against `survey` and store valid ones, one transaction per batch."""
    report = LoadReport()
    pending: list[tuple[int, fragments.Fragment, db.Stored]] = []

    def flush():
        outcomes = db.insert_fragments(database, [(f, stored) for _, f, stored in pending])
        for (number, _, _), outcome in zip(pending, outcomes, strict=True):
            if outcome == db.CREATED:
                report.loaded += 1
            elif outcome == db.DUPLICATE:
                report.duplicates += 1
            else:
                report.rejected += 1
                report.problems.append((number, "id", "fragment.conflict", {}))
        pending.clear()

    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            body, sha = fragments.read_body(line)
            fragment = fragments.parse(body, survey)
        except (ValueError, RecursionError) as error:
            report.rejected += 1
            if isinstance(error, fragments.FragmentInvalid):
                for name, (key, params) in error.errors.items():
                    report.problems.append((number, name, key, params))
            else:
                report.problems.append((number, "body", "request.bad_json", {}))
            continue
        pending.append((number, fragment, intake.prepare(fragment, survey, sha, source=source)))
        if len(pending) >= batch:
            flush()
    if pending:
        flush()
    return report


@contextmanager
def without_cycle_collection():
    """Pause the cyclic garbage collector while a bulk job makes millions of small objects.

    Rows, answers and fragments form no cycles, but the collector would scan them again
    and again as they pile up; pausing it halves the time of large generated batches and
    imports (forked workers inherit the pause).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
