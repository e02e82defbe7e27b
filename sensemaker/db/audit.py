"""The audit log: who did what, when. Append-only; entries never hold story text."""

import json

from .connection import now, writing


def record(db, actor: str, action: str, *, survey_id=None, target=None, **details) -> None:
    """Append one entry. `details` must never carry anything a teller wrote."""
    with writing(db):
        db.execute(
            "INSERT INTO audit (at, actor, action, survey_id, target, details) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [now(), actor, action, survey_id, target, json.dumps(details, ensure_ascii=False)],
        )


def entries(db, *, limit: int = 200, before_id: int | None = None, action=None) -> list[dict]:
    """The newest entries first, paged by id."""
    clauses, params = [], []
    if before_id is not None:
        clauses.append("id < ?")
        params.append(before_id)
    if action:
        clauses.append("action = ?")
        params.append(action)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = db.execute(
        f"SELECT id, at, actor, action, survey_id, target, details FROM audit {where} "
        "ORDER BY id DESC LIMIT ?",
        [*params, limit],
    ).fetchall()
    keys = ("id", "at", "actor", "action", "survey_id", "target", "details")
    result = [dict(zip(keys, row, strict=True)) for row in rows]
    for entry in result:
        entry["details"] = json.loads(entry["details"] or "{}")
    return result
