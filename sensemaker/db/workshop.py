"""What the pattern workshop reads: a survey's state, story search, stories to read aloud,
and the observations a group keeps."""

import json

from .fragments import index_pending


def survey_state(db, survey_id: str) -> tuple:
    """(count, lowest seq, highest seq) of a survey's fragments: changes whenever a story
    is added or removed, so the workshop knows when its loaded numbers are stale."""
    row = db.execute(
        "SELECT count(*), min(seq), max(seq) FROM fragment WHERE survey_id = ?", [survey_id]
    ).fetchone()
    return tuple(row)


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
