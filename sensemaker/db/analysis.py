"""What the analysis reads and keeps: numeric answers in bulk, and clustering runs."""

import json

from .connection import now, writing


def signification_blobs(db, survey_id: str) -> list[tuple[int, list[int], bytes]]:
    """Per survey version: the fragment seqs and their concatenated numeric rows."""
    versions = db.execute(
        "SELECT DISTINCT survey_version FROM signification WHERE survey_id = ? ORDER BY 1",
        [survey_id],
    ).fetchall()
    blocks = []
    for (version,) in versions:
        rows = db.execute(
            "SELECT fragment_seq, vector FROM signification "
            "WHERE survey_id = ? AND survey_version = ? ORDER BY fragment_seq",
            [survey_id, version],
        ).fetchall()
        blocks.append((version, [row[0] for row in rows], b"".join(row[1] for row in rows)))
    return blocks


def fragment_facts(db, survey_id: str, columns=("id",)) -> dict[str, list]:
    """Plain columns of a survey's fragments in seq order (e.g. id, language, prompt)."""
    allowed = {"seq", "id", "language", "prompt", "collected_at", "received_at", "source"}
    if not set(columns) <= allowed:
        raise ValueError(sorted(set(columns) - allowed))
    rows = db.execute(
        f"SELECT seq, {', '.join(columns)} FROM fragment WHERE survey_id = ? ORDER BY seq",
        [survey_id],
    ).fetchall()
    facts = {"seq": [row[0] for row in rows]}
    for index, column in enumerate(columns, start=1):
        facts[column] = [row[index] for row in rows]
    return facts


def stories_by_seq(db, seqs: list[int]) -> list[dict]:
    """Title and story of the given fragments, in the order asked for."""
    if not seqs:
        return []
    marks = ", ".join("?" * len(seqs))
    rows = db.execute(
        f"SELECT seq, id, title, story, language FROM fragment WHERE seq IN ({marks})", seqs
    ).fetchall()
    found = {row[0]: {"seq": row[0], "id": row[1], "title": row[2], "story": row[3],
                      "language": row[4]} for row in rows}  # fmt: skip
    return [found[seq] for seq in seqs if seq in found]


def save_cluster_run(db, survey_id, created_by, run: dict, fragment_seqs: bytes,
                     labels: bytes) -> int:  # fmt: skip
    with writing(db):
        cursor = db.execute(
            "INSERT INTO cluster_run (survey_id, created_at, created_by, k, run, "
            "fragment_seqs, labels) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [survey_id, now(), created_by, run["k"], json.dumps(run), fragment_seqs, labels],
        )
    return cursor.lastrowid


def get_cluster_run(db, run_id: int) -> dict | None:
    row = db.execute(
        "SELECT id, survey_id, created_at, created_by, k, run, fragment_seqs, labels "
        "FROM cluster_run WHERE id = ?",
        [run_id],
    ).fetchone()
    if row is None:
        return None
    keys = ("id", "survey_id", "created_at", "created_by", "k", "run", "fragment_seqs", "labels")
    record = dict(zip(keys, row, strict=True))
    record["run"] = json.loads(record["run"])
    return record


def list_cluster_runs(db, survey_id: str) -> list[dict]:
    rows = db.execute(
        "SELECT id, created_at, created_by, k FROM cluster_run WHERE survey_id = ? "
        "ORDER BY id DESC",
        [survey_id],
    ).fetchall()
    return [dict(zip(("id", "created_at", "created_by", "k"), r, strict=True)) for r in rows]
