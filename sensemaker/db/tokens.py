"""API tokens for the read API: stored as SHA-256 only, tied to a user, revocable."""

from .connection import now, writing

_COLUMNS = (
    "t.id", "t.user_id", "t.name", "t.created_at", "t.created_by", "t.expires_at",
    "t.revoked_at", "t.last_used_at", "u.email", "u.role", "u.active", "u.language",
)  # fmt: skip
_KEYS = tuple(column.split(".")[1] for column in _COLUMNS[:-4]) + (
    "email", "role", "active", "language",
)  # fmt: skip
_SELECT = f"SELECT {', '.join(_COLUMNS)} FROM api_token t JOIN user u ON u.id = t.user_id"


def _token(row) -> dict | None:
    if row is None:
        return None
    token = dict(zip(_KEYS, row, strict=True))
    token["active"] = bool(token["active"])
    return token


def add_token(db, user_id: int, name: str | None, token_sha256: str, created_by: str,
              expires_at: str | None = None) -> int:  # fmt: skip
    with writing(db):
        cursor = db.execute(
            "INSERT INTO api_token (user_id, name, token_sha256, created_at, created_by, "
            "expires_at) VALUES (?, ?, ?, ?, ?, ?)",
            [user_id, name, token_sha256, now(), created_by, expires_at],
        )
    return cursor.lastrowid


def token_by_hash(db, token_sha256: str) -> dict | None:
    """The token with this hash and its user's e-mail, role, status and language."""
    return _token(db.execute(f"{_SELECT} WHERE t.token_sha256 = ?", [token_sha256]).fetchone())


def get_token(db, token_id: int) -> dict | None:
    return _token(db.execute(f"{_SELECT} WHERE t.id = ?", [token_id]).fetchone())


def list_tokens(db, user_id: int | None = None) -> list[dict]:
    where, params = ("WHERE t.user_id = ?", [user_id]) if user_id is not None else ("", [])
    rows = db.execute(f"{_SELECT} {where} ORDER BY t.id", params).fetchall()
    return [_token(row) for row in rows]


def revoke_token(db, token_id: int) -> bool:
    """Revoke a token; False if there is none or it was revoked already."""
    with writing(db):
        cursor = db.execute(
            "UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
            [now(), token_id],
        )
    return cursor.rowcount == 1


def token_used(db, token_id: int) -> None:
    with writing(db):
        db.execute("UPDATE api_token SET last_used_at = ? WHERE id = ?", [now(), token_id])
