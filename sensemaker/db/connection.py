"""Opening the database, write transactions, and the schema's migrations."""

import sqlite3
from contextlib import contextmanager
from datetime import UTC, datetime

import sqlite_utils

from .migrations import migrations


def connect(path: str, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open the database in WAL mode, upgrading its schema first unless told not to."""
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    conn.execute("PRAGMA journal_mode = WAL")
    # NORMAL in WAL mode survives a crash of the process (kill -9) without losing a
    # committed story; only a power cut can take the last transactions with it.
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 30000")
    if migrate:
        migrations.apply(db)
    return db


@contextmanager
def writing(db):
    """A write transaction that takes the write lock up front.

    BEGIN IMMEDIATE waits (busy_timeout) for other writers instead of failing later
    when a read inside the transaction would have to be upgraded.
    """
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")


@contextmanager
def reading(db):
    """A read transaction: every query inside sees the database as it was at the first.

    In WAL mode writers go on meanwhile; without it, numbers and facts read one after the
    other could disagree about a story withdrawn or purged between the two reads.
    """
    db.conn.execute("BEGIN")
    try:
        yield db
    finally:
        db.conn.execute("COMMIT")  # nothing was written: this only ends the snapshot


def applied_migrations(db) -> list[str]:
    return [m.name for m in migrations.applied(db)]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def backup(db, target_path: str) -> None:
    """Copy the whole database to `target_path` with SQLite's online backup API.

    The copy is consistent even while other connections write: SQLite restarts the
    copy of pages that change underneath it.
    """
    target = sqlite3.connect(target_path)
    try:
        db.conn.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
    finally:
        target.close()


def integrity_ok(path: str) -> bool:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
