"""Fragments: stored once under the id the client made, never overwritten."""

import json
from collections.abc import Iterable

from ..fragments import Fragment
from .connection import now, writing

CREATED, DUPLICATE, CONFLICT = "created", "duplicate", "conflict"


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
