"""Opening the database, write transactions, and the schema's migrations."""

import sqlite3
import time
from contextlib import contextmanager
from datetime import UTC, datetime

import sqlite_utils

from .migrations import migrations

BUSY_SECONDS = 30  # how long a statement waits for another connection's lock
# The write-ahead log is copied into the database file when a commit takes it past this
# many pages (about 40 MB; SQLite's default is 1,000). Stories arrive a few to a commit,
# and every commit writes the same pages again: the last leaf of the table and of each
# index, and the leaves the randomly keyed indexes (story id, receipt) land on. A
# checkpoint copies each page once however often it is in the log, so checkpointing ten
# times as many commits copies far fewer pages per story: storing one story a commit
# costs 10-20 % less CPU (docs/performance.md, Capture). The log file keeps its largest
# size on disk and is written over from the start after each checkpoint.
CHECKPOINT_PAGES = 10_000


def connect(path: str, *, migrate: bool = True, stepwise: bool = False) -> sqlite_utils.Database:
    """Open the database in WAL mode, upgrading its schema first unless told not to.

    A `stepwise` connection has no busy timeout: `writing` waits for the write lock in
    short steps instead of SQLite's busy handler (`_begin_stepwise`). It is meant for a
    connection that only writes, as the group commit's.
    """
    conn = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None,
                           check_same_thread=False)  # fmt: skip
    db = sqlite_utils.Database(conn)
    conn.execute("PRAGMA journal_mode = WAL")
    # NORMAL in WAL mode survives a crash of the process (kill -9) without losing a
    # committed story; only a power cut can take the last transactions with it.
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA wal_autocheckpoint = {CHECKPOINT_PAGES}")
    conn.execute(f"PRAGMA busy_timeout = {0 if stepwise else BUSY_SECONDS * 1000}")
    if migrate:
        migrations.apply(db)
    return db


@contextmanager
def writing(db):
    """A write transaction that takes the write lock up front.

    BEGIN IMMEDIATE waits for other writers instead of failing later when a read inside
    the transaction would have to be upgraded: in SQLite's busy handler, or on a
    `stepwise` connection (see `connect`) in short steps.
    """
    _begin_stepwise(db.conn)
    try:
        yield db
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")


def _begin_stepwise(conn, first_pause: float = 0.0001, longest_pause: float = 0.002) -> None:
    """BEGIN IMMEDIATE, trying again after 0.1, 0.2, 0.4 ... 2 ms while another writer holds
    the lock, for up to BUSY_SECONDS. A connection with a busy timeout has already waited
    that long in SQLite when it gets SQLITE_BUSY, so it fails at once, as before.

    SQLite's own busy handler sleeps 1, 2, 5, 10 ms ... between tries. A group commit of
    a few stories holds the lock for well under a millisecond, so with four server
    processes writing, each spent about 1.5 ms of every commit asleep after the lock was
    already free, and its waiting requests with it.
    """
    deadline = time.monotonic() + BUSY_SECONDS
    pause = first_pause
    while True:
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as error:
            busy = error.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY
            if not busy or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(2 * pause, longest_pause)


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
