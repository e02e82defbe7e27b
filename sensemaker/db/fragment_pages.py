"""Reading a survey's stored fragments page by page, in a stable order, for the read API."""

import json

_COLUMNS = (
    "seq", "id", "survey_version", "language", "prompt", "title", "story", "consent",
    "collected_at", "received_at", "answers", "source",
)  # fmt: skip


def fragment_page(db, survey_id: str, *, after_seq: int = 0, since: str | None = None,
                  limit: int = 100) -> list[dict]:  # fmt: skip
    """Up to `limit` fragments with seq above `after_seq`, in seq order.

    `since` keeps those received at or after an ISO time. Times are stored as UTC ISO text
    of one fixed width, so comparing them as text compares the instants.
    """
    clauses, params = ["survey_id = ?", "seq > ?"], [survey_id, after_seq]
    if since is not None:
        clauses.append("received_at >= ?")
        params.append(since)
    rows = db.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM fragment WHERE {' AND '.join(clauses)} "
        "ORDER BY seq LIMIT ?",
        [*params, limit],
    ).fetchall()
    page = []
    for row in rows:
        record = dict(zip(_COLUMNS, row, strict=True))
        record["answers"] = json.loads(record["answers"])
        if record["consent"] is not None:
            record["consent"] = bool(record["consent"])
        page.append(record)
    return page
