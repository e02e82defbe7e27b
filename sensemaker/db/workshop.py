"""What the pattern workshop reads: a survey's state, story search, stories to read aloud,
and the observations a group keeps."""

import json

from .connection import now, writing
from .fragments import index_pending


def survey_state(db, survey_id: str) -> tuple:
    """(count, lowest seq, highest seq) of a survey's fragments: changes whenever a story
    is added or removed, so the workshop knows when its loaded numbers are stale."""
    row = db.execute(
        "SELECT count(*), min(seq), max(seq) FROM fragment WHERE survey_id = ?", [survey_id]
    ).fetchone()
    return tuple(row)


def shared_patterns(db, survey_id: str) -> dict | None:
    """The patterns last worked out for a survey by any server process, or None."""
    row = db.execute(
        "SELECT state, patterns, computed_at, claimed_at FROM survey_patterns WHERE survey_id = ?",
        [survey_id],
    ).fetchone()
    if row is None:
        return None
    return {
        "state": json.loads(row[0]) if row[0] else None,
        "patterns": json.loads(row[1]) if row[1] is not None else None,
        "computed_at": row[2],
        "claimed_at": row[3],
    }


def claim_patterns(db, survey_id: str, stale_before: str) -> bool:
    """Claim the next pattern run for a survey; False while another one, begun after
    `stale_before`, is still in progress (a claim older than that is taken over)."""
    with writing(db):
        db.execute(
            "INSERT INTO survey_patterns (survey_id) VALUES (?) ON CONFLICT DO NOTHING",
            [survey_id],
        )
        cursor = db.execute(
            "UPDATE survey_patterns SET claimed_at = ? WHERE survey_id = ? "
            "AND (claimed_at IS NULL OR claimed_at < ?)",
            [now(), survey_id, stale_before],
        )
    return cursor.rowcount == 1


def save_patterns(db, survey_id: str, state, patterns: list[dict] | None) -> None:
    """Keep a run's patterns for every process and end the claim (None: the run failed)."""
    with writing(db):
        if patterns is None:
            db.execute(
                "UPDATE survey_patterns SET claimed_at = NULL WHERE survey_id = ?", [survey_id]
            )
            return
        db.execute(
            "UPDATE survey_patterns SET state = ?, patterns = ?, computed_at = ?, "
            "claimed_at = NULL WHERE survey_id = ?",
            [json.dumps(state), json.dumps(patterns, ensure_ascii=False), now(), survey_id],
        )


def search_seqs(db, survey_id: str, words: list[str]) -> list[int]:
    """Seqs of a survey's fragments whose title or story has every word (as a prefix).

    Like `search_ids`, each word is quoted so nothing typed is read as FTS5 syntax; unlike
    it there is no limit, since the result filters pictures rather than lists stories.
    """
    query = " ".join('"' + word.replace('"', '""') + '"*' for word in words if word)
    if not query:
        return []
    index_pending(db)
    # The index is asked first and on its own: joined to the fragment table, SQLite would
    # run the match once per fragment of the survey (minutes for 100 000 stories).
    rows = db.execute(
        "SELECT seq FROM fragment WHERE survey_id = ? AND seq IN "
        "(SELECT rowid FROM fragment_search WHERE fragment_search MATCH ?) ORDER BY seq",
        [survey_id, query],
    ).fetchall()
    return [row[0] for row in rows]


_READING = ("seq", "id", "title", "story", "language", "prompt", "collected_at", "answers",
            "personal_data")  # fmt: skip


def stories_for_reading(db, survey_id: str, seqs: list[int]) -> list[dict]:
    """The given fragments of one survey (others are left out), in the order asked for,
    with their answers, for the reading panel and the report."""
    if not seqs:
        return []
    found = {}
    for start in range(0, len(seqs), 500):  # SQLite's limit on bound parameters
        chunk = [int(seq) for seq in seqs[start : start + 500]]
        marks = ", ".join("?" * len(chunk))
        rows = db.execute(
            f"SELECT {', '.join(_READING)} FROM fragment WHERE survey_id = ? AND seq IN ({marks})",
            [survey_id, *chunk],
        ).fetchall()
        for row in rows:
            record = dict(zip(_READING, row, strict=True))
            record["answers"] = json.loads(record["answers"] or "{}")
            record["personal_data"] = json.loads(record["personal_data"] or "[]")
            found[record["seq"]] = record
    return [found[seq] for seq in seqs if seq in found]


# -- observations ------------------------------------------------------------------------
_OBSERVATION = ("id", "survey_id", "title", "text", "filter", "picture", "selection", "source",
                "stories", "created_by", "created_at", "updated_by", "updated_at")  # fmt: skip


def _observation(row) -> dict:
    record = dict(zip(_OBSERVATION, row, strict=True))
    record["stories"] = json.loads(record["stories"] or "[]")
    return record


def add_observation(db, survey_id: str, actor: str, *, title: str, text: str, filter: str,
                    picture: str, selection: str, source: str,
                    stories: list[int]) -> int:  # fmt: skip
    stamp = now()
    with writing(db):
        cursor = db.execute(
            "INSERT INTO observation (survey_id, title, text, filter, picture, selection, "
            "source, stories, created_by, created_at, updated_by, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [survey_id, title, text, filter, picture, selection, source, json.dumps(stories),
             actor, stamp, actor, stamp],
        )  # fmt: skip
    return cursor.lastrowid


def get_observation(db, survey_id: str, observation_id: int) -> dict | None:
    """One observation of this survey (None for another survey's, or none at all)."""
    row = db.execute(
        f"SELECT {', '.join(_OBSERVATION)} FROM observation WHERE id = ? AND survey_id = ?",
        [observation_id, survey_id],
    ).fetchone()
    return _observation(row) if row else None


def list_observations(db, survey_id: str) -> list[dict]:
    """A survey's observations, oldest first: the order a workshop made them in."""
    rows = db.execute(
        f"SELECT {', '.join(_OBSERVATION)} FROM observation WHERE survey_id = ? ORDER BY id",
        [survey_id],
    ).fetchall()
    return [_observation(row) for row in rows]


def update_observation(db, survey_id: str, observation_id: int, actor: str, *, title: str,
                       text: str, stories: list[int]) -> bool:  # fmt: skip
    with writing(db):
        cursor = db.execute(
            "UPDATE observation SET title = ?, text = ?, stories = ?, updated_by = ?, "
            "updated_at = ? WHERE id = ? AND survey_id = ?",
            [title, text, json.dumps(stories), actor, now(), observation_id, survey_id],
        )
    return cursor.rowcount == 1


def delete_observation(db, survey_id: str, observation_id: int) -> bool:
    with writing(db):
        cursor = db.execute(
            "DELETE FROM observation WHERE id = ? AND survey_id = ?", [observation_id, survey_id]
        )
    return cursor.rowcount == 1


def survey_seqs(db, survey_id: str, seqs: list[int]) -> list[int]:
    """Those of `seqs` that are fragments of this survey, in the order given."""
    found = {row["seq"] for row in stories_for_reading(db, survey_id, seqs)}
    return [seq for seq in seqs if seq in found]
