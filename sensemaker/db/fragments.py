"""Fragments: stored once under the id the client made, never overwritten."""

import json
from collections.abc import Iterable
from dataclasses import dataclass

import orjson

from ..fragments import Fragment
from .collection import survey_settings
from .connection import now, writing

CREATED, DUPLICATE, CONFLICT = "created", "duplicate", "conflict"


LINK_FULL = "link_full"
CLOSED = "closed"  # taken as open to all, but the survey no longer was when it was stored

_INSERT = (
    "INSERT INTO fragment (id, survey_id, survey_version, language, prompt, title, story, "
    "consent, collected_at, answers, body_sha256, source, receipt_sha256, personal_data, "
    "collection_link_id, received_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
)


@dataclass(frozen=True)
class Stored:
    """What the server adds to a fragment as it stores it."""

    body_sha256: str
    source: str = "capture"
    receipt_sha256: str | None = None  # the teller's withdrawal code, hashed
    personal_data: tuple[str, ...] = ()  # kinds of personal data found in the text
    link_id: int | None = None  # the collection link or kiosk it came through
    vector: bytes | None = None  # the answers as numbers (sensemaker.signification)
    while_open: bool = False  # store only if the survey is still open to all (`store_pending`)


def _row(fragment: Fragment, stored: Stored) -> tuple:
    """The fragment table's row in `_INSERT`'s order, all but the time it is received."""
    f = fragment
    consent = None if f.consent is None else int(f.consent)
    answers = orjson.dumps(f.answers).decode()  # compact, as json.dumps(separators=(",", ":"))
    personal = json.dumps(list(stored.personal_data)) if stored.personal_data else None
    return (
        f.id, f.survey_id, f.survey_version, f.language, f.prompt, f.title, f.story,
        consent, f.collected_at, answers, stored.body_sha256, stored.source,
        stored.receipt_sha256, personal, stored.link_id,
    )  # fmt: skip


def pending(fragment: Fragment, stored: Stored) -> tuple:
    """What storing a fragment writes, as plain values: (row without the time, vector,
    while_open).

    Made before the write transaction, so the writer only runs SQL; plain values also
    travel to the writer in another process (`sensemaker.db.shared_writer`).
    """
    return _row(fragment, stored), stored.vector, stored.while_open


_INSERT_VECTOR = (
    "INSERT INTO signification (fragment_seq, survey_id, survey_version, vector) "
    "VALUES (?, ?, ?, ?)"
)


_ID, _SURVEY_ID, _SURVEY_VERSION, _SHA, _LINK_ID = 0, 1, 2, 10, 14  # places in a row


def _insert(db, item: tuple, received_at: str) -> str:
    row, vector, while_open = item
    if while_open and not _open_to_all(db, row[_SURVEY_ID]):
        return existing_outcome(db, row[_ID], row[_SHA]) or CLOSED
    cursor = db.execute(_INSERT, (*row, received_at))
    if cursor.rowcount != 1:
        return existing_outcome(db, row[_ID], row[_SHA])
    if vector is not None:
        values = (cursor.lastrowid, row[_SURVEY_ID], row[_SURVEY_VERSION], vector)
        db.execute(_INSERT_VECTOR, values)
    return CREATED


def _open_to_all(db, survey_id: str) -> bool:
    settings = survey_settings(db, survey_id)
    return settings is not None and settings["collection"] == "open"


def existing_outcome(db, fragment_id: str, sha: str) -> str | None:
    """DUPLICATE or CONFLICT if a fragment with this id is stored, else None."""
    row = db.execute("SELECT body_sha256 FROM fragment WHERE id = ?", [fragment_id]).fetchone()
    if row is None:
        return None
    return DUPLICATE if row[0] == sha else CONFLICT


def store_pending(db, item: tuple, stamp: str) -> str:
    """Inside an open write transaction: store one `pending` fragment, all or nothing.

    Through a capped link, LINK_FULL when the cap is reached; the count and the story
    are written together, so concurrent tellers cannot overshoot it. A story taken
    `while_open` is CLOSED when its survey is no longer open to all (unless it is stored
    already), so a survey closed in one process takes no more such stories from another.
    A savepoint keeps a refused or failed fragment from touching others in the same
    transaction.
    """
    db.execute("SAVEPOINT fragment")
    try:
        outcome = _insert(db, item, stamp)
        link_id = item[0][_LINK_ID]
        if outcome == CREATED and link_id is not None:
            counted = db.execute(
                "UPDATE collection_link SET fragments = fragments + 1, last_seen_at = ? "
                "WHERE id = ? AND (max_fragments IS NULL OR fragments < max_fragments)",
                [stamp, link_id],
            )
            if counted.rowcount == 0:
                db.execute("ROLLBACK TO fragment")
                outcome = LINK_FULL
    except BaseException:
        db.execute("ROLLBACK TO fragment")
        db.execute("RELEASE fragment")
        raise
    db.execute("RELEASE fragment")
    return outcome


def insert_fragment(db, fragment: Fragment, stored: Stored) -> str:
    """Store a fragment once: CREATED, DUPLICATE (same body again), CONFLICT or LINK_FULL."""
    with writing(db):
        return store_pending(db, pending(fragment, stored), now())


def insert_fragments(db, items: Iterable[tuple[Fragment, Stored]]) -> list[str]:
    """Store many (fragment, Stored) pairs in one transaction; one outcome each."""
    stamp = now()
    with writing(db):
        return [_insert(db, pending(fragment, stored), stamp) for fragment, stored in items]


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


def delete_by_receipt(db, receipt_sha256: str) -> dict | None:
    """Delete the fragment with this withdrawal code; its id and survey, or None."""
    with writing(db):
        row = db.execute(
            "SELECT id, survey_id FROM fragment WHERE receipt_sha256 = ?", [receipt_sha256]
        ).fetchone()
        if row is None:
            return None
        db.execute("DELETE FROM fragment WHERE id = ?", [row[0]])
    return {"id": row[0], "survey_id": row[1]}


def purge_before(db, survey_id: str, before: str) -> int:
    """Delete a survey's fragments received before an ISO time; how many went."""
    with writing(db):
        cursor = db.execute(
            "DELETE FROM fragment WHERE survey_id = ? AND received_at < ?", [survey_id, before]
        )
    return cursor.rowcount


def flagged_fragments(db, survey_id: str, limit: int = 100) -> list[dict]:
    """Fragments in which personal data was found, newest first, for review."""
    rows = db.execute(
        "SELECT id, title, story, personal_data, received_at FROM fragment "
        "WHERE survey_id = ? AND personal_data IS NOT NULL ORDER BY received_at DESC LIMIT ?",
        [survey_id, limit],
    ).fetchall()
    keys = ("id", "title", "story", "personal_data", "received_at")
    result = [dict(zip(keys, row, strict=True)) for row in rows]
    for record in result:
        record["personal_data"] = json.loads(record["personal_data"])
    return result


def index_pending(db) -> int:
    """Add the stories stored since the last search to the full-text index, in one batch."""
    if db.execute("SELECT 1 FROM search_pending LIMIT 1").fetchone() is None:
        return 0
    with writing(db):
        db.execute(
            "INSERT INTO fragment_search (rowid, title, story) "
            "SELECT f.seq, f.title, f.story FROM search_pending p JOIN fragment f ON f.seq = p.seq"
        )
        return db.execute("DELETE FROM search_pending").rowcount


def search_ids(db, survey_id: str, words: list[str], limit: int = 1000) -> list[str]:
    """Ids of a survey's fragments whose title or story has every word (as a prefix)."""
    index_pending(db)
    # Each word is quoted, so nothing a user types is read as FTS5 query syntax.
    query = " ".join('"' + word.replace('"', '""') + '"*' for word in words if word)
    if not query:
        return []
    # The index answers first; only its hits are then looked up by key. Left to itself
    # SQLite may walk the survey's fragments and probe the index for each one.
    rows = db.execute(
        "WITH hits AS MATERIALIZED (SELECT rowid AS seq, rank FROM fragment_search "
        "WHERE fragment_search MATCH ?) "
        "SELECT f.id FROM hits JOIN fragment f ON f.seq = hits.seq "
        "WHERE f.survey_id = ? ORDER BY hits.rank LIMIT ?",
        [query, survey_id, limit],
    ).fetchall()
    return [row[0] for row in rows]
