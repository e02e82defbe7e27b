"""Survey definitions, stored per version."""

import hashlib
import json
import threading
import time

from ..survey import Survey
from .connection import now, writing

# A survey open to all, held by this process for a moment after it was read, so the
# stories that tablets send in bulk do not each read it again: every commit empties the
# other connections' page caches, and those reads were the largest cost left in taking
# a story in (docs/performance.md, Capture). What it can leave stale is safe: a story
# taken on a held survey is stored only if the survey is still open when it is committed
# (`fragments.store_pending`, `while_open`); only "open to all" is held, so a refusal is
# always read afresh and a reopened survey takes stories at once; and a change made in
# this process forgets every hold. A version loaded by another process is used for new
# stories within HOLD_SECONDS; a story that names its version is read against it.
HOLD_SECONDS = 1.0
_held_open: dict[tuple[str, str], tuple[float, Survey]] = {}
_held_lock = threading.Lock()


def held_open(path: str, survey_id: str) -> Survey | None:
    """The survey at `path` held as open to all by `hold_open`, if held within HOLD_SECONDS."""
    held = _held_open.get((path, survey_id))
    if held is None or time.monotonic() - held[0] > HOLD_SECONDS:
        return None
    return held[1]


def hold_open(path: str, survey: Survey) -> None:
    """Hold `survey` (the current version, just read as open to all) for HOLD_SECONDS."""
    with _held_lock:
        _held_open[(path, survey.id)] = (time.monotonic(), survey)


def forget_held() -> None:
    """Let go of every held survey: a survey or its collection mode changed here."""
    with _held_lock:
        _held_open.clear()


class VersionConflict(ValueError):
    """A survey version already stored with a different definition."""


def save_survey(db, survey: Survey) -> str:
    """Store a survey version; returns "new" or "unchanged", raises VersionConflict."""
    definition = json.dumps(survey.definition, sort_keys=True, ensure_ascii=False)
    sha = hashlib.sha256(definition.encode()).hexdigest()
    with writing(db):
        row = db.execute(
            "SELECT sha256 FROM survey_version WHERE survey_id = ? AND version = ?",
            [survey.id, survey.version],
        ).fetchone()
        if row is not None:
            if row[0] != sha:
                raise VersionConflict(survey.id, survey.version)
            return "unchanged"
        stamp = now()
        db.execute(
            "INSERT INTO survey (id, current_version, loaded_at) VALUES (?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET current_version = max(current_version, "
            "excluded.current_version), loaded_at = excluded.loaded_at",
            [survey.id, survey.version, stamp],
        )
        db.execute(
            "INSERT INTO survey_version (survey_id, version, definition, sha256, loaded_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [survey.id, survey.version, definition, sha, stamp],
        )
    forget_held()
    return "new"


def get_survey(db, survey_id: str, version: int | None = None) -> Survey | None:
    """The survey's current version, or the version named; None when there is none."""
    if version is None:
        row = db.execute(
            "SELECT s.current_version, v.sha256 FROM survey s JOIN survey_version v "
            "ON v.survey_id = s.id AND v.version = s.current_version WHERE s.id = ?",
            [survey_id],
        ).fetchone()
    else:
        row = db.execute(
            "SELECT version, sha256 FROM survey_version WHERE survey_id = ? AND version = ?",
            [survey_id, version],
        ).fetchone()
    if row is None:
        return None
    key = (survey_id, row[0], row[1])
    survey = _parsed_surveys.get(key)
    if survey is None:
        # A stored version never changes, so its parsed form is shared by every request.
        definition = db.execute(
            "SELECT definition FROM survey_version WHERE survey_id = ? AND version = ?",
            [survey_id, row[0]],
        ).fetchone()[0]
        survey = _parsed_surveys[key] = Survey(json.loads(definition))
    return survey


_parsed_surveys: dict[tuple[str, int, str], Survey] = {}


def list_surveys(db) -> list[dict]:
    rows = db.execute(
        "SELECT s.id, s.current_version, s.loaded_at, "
        "(SELECT count(*) FROM fragment f WHERE f.survey_id = s.id) AS fragments "
        "FROM survey s ORDER BY s.id"
    ).fetchall()
    return [{"id": r[0], "version": r[1], "loaded_at": r[2], "fragments": r[3]} for r in rows]


def survey_versions(db, survey_id: str) -> list[int]:
    rows = db.execute(
        "SELECT version FROM survey_version WHERE survey_id = ? ORDER BY version", [survey_id]
    ).fetchall()
    return [r[0] for r in rows]
