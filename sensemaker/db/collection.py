"""How a survey collects stories: its mode, its links and kiosks, retention, settings."""

from .connection import now, writing
from .surveys import forget_held

MODES = ("open", "link", "kiosk", "closed")
LINK_KINDS = ("link", "kiosk")
_LINK_COLUMNS = (
    "id", "survey_id", "kind", "label", "created_at", "created_by", "expires_at",
    "max_fragments", "fragments", "revoked_at", "last_seen_at",
)  # fmt: skip


def survey_settings(db, survey_id: str) -> dict | None:
    row = db.execute(
        "SELECT collection, retention_days FROM survey WHERE id = ?", [survey_id]
    ).fetchone()
    return None if row is None else {"collection": row[0], "retention_days": row[1]}


def set_survey_settings(db, survey_id: str, *, collection: str, retention_days) -> None:
    if collection not in MODES:
        raise ValueError(collection)
    with writing(db):
        db.execute(
            "UPDATE survey SET collection = ?, retention_days = ? WHERE id = ?",
            [collection, retention_days, survey_id],
        )
    forget_held()


def add_link(db, survey_id, kind, label, token_sha256, created_by, *, expires_at=None,
             max_fragments=None) -> int:  # fmt: skip
    if kind not in LINK_KINDS:
        raise ValueError(kind)
    with writing(db):
        cursor = db.execute(
            "INSERT INTO collection_link (survey_id, kind, label, token_sha256, created_at, "
            "created_by, expires_at, max_fragments, fragments) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
            [survey_id, kind, label, token_sha256, now(), created_by, expires_at, max_fragments],
        )
    return cursor.lastrowid


def _link(row) -> dict | None:
    return None if row is None else dict(zip(_LINK_COLUMNS, row, strict=True))


def link_by_token(db, token_sha256: str) -> dict | None:
    sql = f"SELECT {', '.join(_LINK_COLUMNS)} FROM collection_link WHERE token_sha256 = ?"
    return _link(db.execute(sql, [token_sha256]).fetchone())


def get_link(db, link_id: int) -> dict | None:
    sql = f"SELECT {', '.join(_LINK_COLUMNS)} FROM collection_link WHERE id = ?"
    return _link(db.execute(sql, [link_id]).fetchone())


def links(db, survey_id: str) -> list[dict]:
    sql = (
        f"SELECT {', '.join(_LINK_COLUMNS)} FROM collection_link WHERE survey_id = ? "
        "ORDER BY created_at DESC, id DESC"
    )
    return [_link(row) for row in db.execute(sql, [survey_id]).fetchall()]


def revoke_link(db, link_id: int) -> bool:
    with writing(db):
        cursor = db.execute(
            "UPDATE collection_link SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
            [now(), link_id],
        )
    return cursor.rowcount == 1


def get_setting(db, key: str, default: str | None = None) -> str | None:
    row = db.execute("SELECT value FROM setting WHERE key = ?", [key]).fetchone()
    return default if row is None else row[0]


def set_setting(db, key: str, value: str) -> None:
    with writing(db):
        db.execute(
            "INSERT INTO setting (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )
