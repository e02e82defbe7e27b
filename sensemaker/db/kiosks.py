"""Kiosk tablets' reports about their outboxes, and the per-kiosk view staff see."""

from .connection import now, writing

_OVERVIEW = (
    "SELECT l.id, l.label, l.revoked_at, l.fragments, l.last_seen_at, s.reported_at, "
    "s.waiting, s.oldest_waiting, s.attention FROM collection_link l "
    "LEFT JOIN kiosk_status s ON s.link_id = l.id "
    "WHERE l.survey_id = ? AND l.kind = 'kiosk' ORDER BY l.revoked_at IS NOT NULL, l.label, l.id"
)
_COLUMNS = (
    "id", "label", "revoked_at", "fragments", "last_seen_at", "reported_at", "waiting",
    "oldest_waiting", "attention",
)  # fmt: skip


def record_kiosk_status(db, link_id: int, *, waiting: int, oldest_waiting: str | None,
                        attention: int) -> None:  # fmt: skip
    """Keep the latest report of one kiosk; an older report is simply replaced."""
    with writing(db):
        db.execute(
            "INSERT INTO kiosk_status (link_id, reported_at, waiting, oldest_waiting, attention) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (link_id) DO UPDATE SET "
            "reported_at = excluded.reported_at, waiting = excluded.waiting, "
            "oldest_waiting = excluded.oldest_waiting, attention = excluded.attention",
            [link_id, now(), waiting, oldest_waiting, attention],
        )


def kiosk_overview(db, survey_id: str) -> list[dict]:
    """Every kiosk of a survey with its last story and its last report (None if none)."""
    rows = db.execute(_OVERVIEW, [survey_id]).fetchall()
    return [dict(zip(_COLUMNS, row, strict=True)) for row in rows]
