"""Users, their survey assignments, and the attempts that rate limiting counts."""

from .connection import now, writing

ROLES = ("admin", "facilitator", "analyst")
_USER_COLUMNS = "id, email, role, password_hash, active, language, created_at"


class DuplicateUser(ValueError):
    """A user with that e-mail address exists already."""


def _user(row) -> dict | None:
    if row is None:
        return None
    keys = ("id", "email", "role", "password_hash", "active", "language", "created_at")
    user = dict(zip(keys, row, strict=True))
    user["active"] = bool(user["active"])
    return user


def add_user(db, email: str, role: str, password_hash: str, language: str = "sv") -> dict:
    if role not in ROLES:
        raise ValueError(role)
    with writing(db):
        if get_user_by_email(db, email) is not None:
            raise DuplicateUser(email)
        cursor = db.execute(
            "INSERT INTO user (email, role, password_hash, active, language, created_at) "
            "VALUES (?, ?, ?, 1, ?, ?)",
            [email.strip().lower(), role, password_hash, language, now()],
        )
    return get_user(db, cursor.lastrowid)


def get_user(db, user_id: int) -> dict | None:
    sql = f"SELECT {_USER_COLUMNS} FROM user WHERE id = ?"
    return _user(db.execute(sql, [user_id]).fetchone())


def get_user_by_email(db, email: str) -> dict | None:
    sql = f"SELECT {_USER_COLUMNS} FROM user WHERE email = ?"
    return _user(db.execute(sql, [email.strip().lower()]).fetchone())


def list_users(db) -> list[dict]:
    rows = db.execute(f"SELECT {_USER_COLUMNS} FROM user ORDER BY email").fetchall()
    users = [_user(row) for row in rows]
    assigned = assignments_by_user(db)
    for user in users:
        user["surveys"] = assigned.get(user["id"], [])
    return users


def update_user(db, user_id: int, **changes) -> None:
    """Change `role`, `active`, `language` or `password_hash` of a user."""
    allowed = {"role", "active", "language", "password_hash"}
    if not changes or set(changes) - allowed:
        raise ValueError(sorted(changes))
    if "role" in changes and changes["role"] not in ROLES:
        raise ValueError(changes["role"])
    assignments = ", ".join(f"{column} = ?" for column in changes)
    with writing(db):
        db.execute(f"UPDATE user SET {assignments} WHERE id = ?", [*changes.values(), user_id])


def count_active_admins(db) -> int:
    sql = "SELECT count(*) FROM user WHERE role = 'admin' AND active = 1"
    return db.execute(sql).fetchone()[0]


# -- assignments -----------------------------------------------------------------------
def assign(db, user_id: int, survey_id: str) -> bool:
    """Give a user access to a survey's stories; False if they had it already."""
    with writing(db):
        cursor = db.execute(
            "INSERT INTO assignment (user_id, survey_id, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            [user_id, survey_id, now()],
        )
    return cursor.rowcount == 1


def unassign(db, user_id: int, survey_id: str) -> bool:
    with writing(db):
        cursor = db.execute(
            "DELETE FROM assignment WHERE user_id = ? AND survey_id = ?", [user_id, survey_id]
        )
    return cursor.rowcount == 1


def is_assigned(db, user_id: int, survey_id: str) -> bool:
    sql = "SELECT 1 FROM assignment WHERE user_id = ? AND survey_id = ?"
    return db.execute(sql, [user_id, survey_id]).fetchone() is not None


def assigned_surveys(db, user_id: int) -> list[str]:
    sql = "SELECT survey_id FROM assignment WHERE user_id = ? ORDER BY survey_id"
    return [row[0] for row in db.execute(sql, [user_id]).fetchall()]


def assignments_by_user(db) -> dict[int, list[str]]:
    result: dict[int, list[str]] = {}
    for user_id, survey_id in db.execute(
        "SELECT user_id, survey_id FROM assignment ORDER BY survey_id"
    ).fetchall():
        result.setdefault(user_id, []).append(survey_id)
    return result


# -- attempts (rate limiting) ----------------------------------------------------------
def record_attempt(db, kind: str, account: str, address: str) -> None:
    with writing(db):
        db.execute(
            "INSERT INTO attempt (kind, account, address, at) VALUES (?, ?, ?, ?)",
            [kind, account, address, now()],
        )


def count_attempts(db, kind: str, since: str, *, account=None, address=None) -> int:
    """Attempts of `kind` since an ISO time, for one account or one address."""
    column, value = ("account", account) if account is not None else ("address", address)
    sql = f"SELECT count(*) FROM attempt WHERE kind = ? AND {column} = ? AND at >= ?"
    return db.execute(sql, [kind, value, since]).fetchone()[0]


def clear_attempts(db, kind: str, account: str) -> None:
    with writing(db):
        db.execute("DELETE FROM attempt WHERE kind = ? AND account = ?", [kind, account])
