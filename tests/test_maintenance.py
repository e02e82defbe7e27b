"""Backups taken while stories arrive, restoring them, and purging by retention."""

import threading
import uuid
from datetime import UTC, datetime, timedelta

from click.testing import CliRunner

from sensemaker import db, fragments
from sensemaker.cli import cli

from .test_api import body


def cli_run(db_path, *args, input=None):
    return CliRunner().invoke(cli, ["--db", db_path, "--lang", "en", *args], input=input)


def store(database, survey, count):
    for _ in range(count):
        sent = body(id=str(uuid.uuid4()))
        fragment = fragments.parse(sent, survey)
        db.insert_fragment(database, fragment, db.Stored(fragments.body_hash(sent)))


def test_backup_during_concurrent_writes_restores_consistently(app, all_kinds, tmp_path):
    path = app.config["DATABASE"]
    stop = threading.Event()
    written = []

    def writer():
        own = db.connect(path)
        while not stop.is_set():
            store(own, all_kinds, 5)
            written.append(5)
        own.close()

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for thread in threads:
        thread.start()
    try:
        while sum(written) < 50:
            stop.wait(0.01)
        backup_file = str(tmp_path / "copy.db")
        result = cli_run(path, "backup", backup_file)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert result.exit_code == 0, result.output
    assert db.integrity_ok(backup_file)

    restored_path = str(tmp_path / "restored.db")
    result = cli_run(restored_path, "restore", backup_file, "--yes")
    assert result.exit_code == 0, result.output
    restored = db.connect(restored_path)
    count = db.count_fragments(restored)
    assert 50 <= count <= sum(written)
    # Every fragment in the copy is whole, and the search index agrees with the table.
    assert (
        restored.execute("SELECT count(*) FROM fragment WHERE answers IS NULL").fetchone()[0] == 0
    )
    indexed = restored.execute("SELECT count(*) FROM fragment_search").fetchone()[0]
    assert indexed == count
    assert restored.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert "restore" in [e["action"] for e in db.audit_entries(restored)]


def test_backup_refuses_to_overwrite(app, tmp_path):
    target = tmp_path / "exists.db"
    target.write_text("keep me")
    result = cli_run(app.config["DATABASE"], "backup", str(target))
    assert result.exit_code == 1 and target.read_text() == "keep me"


def test_restore_refuses_a_damaged_file_and_keeps_the_database(app, database, tmp_path):
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    result = cli_run(app.config["DATABASE"], "restore", str(broken), "--yes")
    assert result.exit_code != 0
    assert db.get_survey(db.connect(app.config["DATABASE"]), "all_kinds") is not None


def test_purge_deletes_only_what_is_past_retention(app, all_kinds, database):
    store(database, all_kinds, 3)
    old = (datetime.now(UTC) - timedelta(days=40)).isoformat()
    database.execute(
        "UPDATE fragment SET received_at = ? WHERE rowid IN (SELECT rowid FROM fragment LIMIT 2)",
        [old],
    )
    unchanged = cli_run(app.config["DATABASE"], "purge")
    assert "Deleted in all: 0" in unchanged.output  # no retention set yet
    db.set_survey_settings(database, "all_kinds", collection="open", retention_days=30)
    result = cli_run(app.config["DATABASE"], "purge")
    assert "all_kinds: 2 stories older than 30 days deleted" in result.output
    assert db.count_fragments(database) == 1
    assert database.execute("SELECT count(*) FROM fragment_search").fetchone()[0] == 1
    entry = db.audit_entries(database)[0]
    assert entry["action"] == "purge" and entry["details"]["removed"] == 2
