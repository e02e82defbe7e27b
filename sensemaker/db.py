"""All SQLite work: connections, migrations, and the reads and writes the app needs.

No other module imports sqlite3 or sqlite_utils; they pass and receive plain values,
`Survey` and `Fragment` objects.
"""

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import UTC, datetime

import sqlite_utils

from .fragments import Fragment
from .migrations import migrations
from .survey import Survey

CREATED, DUPLICATE, CONFLICT = "created", "duplicate", "conflict"


class VersionConflict(ValueError):
    """A survey version already stored with a different definition."""


def connect(path: str, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open the database in WAL mode, upgrading its schema first unless told not to."""
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    conn.execute("PRAGMA journal_mode = WAL")
    # NORMAL in WAL mode survives a crash of the process (kill -9) without losing a
    # committed story; only a power cut can take the last transactions with it.
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 30000")
    if migrate:
        migrations.apply(db)
    return db


@contextmanager
def writing(db):
    """A write transaction that takes the write lock up front.

    BEGIN IMMEDIATE waits (busy_timeout) for other writers instead of failing later
    when a read inside the transaction would have to be upgraded.
    """
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")


def applied_migrations(db) -> list[str]:
    return [m.name for m in migrations.applied(db)]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


# -- surveys ---------------------------------------------------------------------------
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


# -- fragments -------------------------------------------------------------------------
_INSERT = (
    "INSERT INTO fragment (id, survey_id, survey_version, language, prompt, title, story, "
    "consent, collected_at, received_at, answers, body_sha256, source) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
)


def _row(fragment: Fragment, sha: str, source: str, received_at: str) -> tuple:
    f = fragment
    consent = None if f.consent is None else int(f.consent)
    answers = json.dumps(f.answers, ensure_ascii=False, separators=(",", ":"))
    return (
        f.id, f.survey_id, f.survey_version, f.language, f.prompt, f.title, f.story,
        consent, f.collected_at, received_at, answers, sha, source,
    )  # fmt: skip


def _outcome(db, fragment_id: str, sha: str, inserted: bool) -> str:
    if inserted:
        return CREATED
    row = db.execute("SELECT body_sha256 FROM fragment WHERE id = ?", [fragment_id]).fetchone()
    return DUPLICATE if row and row[0] == sha else CONFLICT


def insert_fragment(db, fragment: Fragment, sha: str, source: str = "capture") -> str:
    """Store a fragment once: CREATED, DUPLICATE (same body again) or CONFLICT."""
    with writing(db):
        cursor = db.execute(_INSERT, _row(fragment, sha, source, now()))
        return _outcome(db, fragment.id, sha, cursor.rowcount == 1)


def insert_fragments(
    db, fragments: Iterable[tuple[Fragment, str]], source: str = "capture"
) -> list[str]:
    """Store many (fragment, body hash) pairs in one transaction; one outcome each."""
    outcomes = []
    stamp = now()
    with writing(db):
        for fragment, sha in fragments:
            cursor = db.execute(_INSERT, _row(fragment, sha, source, stamp))
            outcomes.append(_outcome(db, fragment.id, sha, cursor.rowcount == 1))
    return outcomes


def get_fragment(db, fragment_id: str) -> dict | None:
    row = db.execute("SELECT * FROM fragment WHERE id = ?", [fragment_id]).fetchone()
    if row is None:
        return None
    columns = [d[0] for d in db.execute("SELECT * FROM fragment LIMIT 0").description]
    record = dict(zip(columns, row, strict=True))
    record["answers"] = json.loads(record["answers"])
    if record["consent"] is not None:
        record["consent"] = bool(record["consent"])
    return record


def count_fragments(db, survey_id: str | None = None) -> int:
    if survey_id is None:
        return db.execute("SELECT count(*) FROM fragment").fetchone()[0]
    return db.execute("SELECT count(*) FROM fragment WHERE survey_id = ?", [survey_id]).fetchone()[
        0
    ]
