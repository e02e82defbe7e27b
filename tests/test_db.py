"""Storage: WAL, migrations that upgrade an old database in place, survey versions."""

import os
import sqlite3

import pytest

from sensemaker import db
from sensemaker.db.connection import CHECKPOINT_PAGES
from sensemaker.db.migrations import migrations
from sensemaker.survey import Survey


def test_new_database_is_in_wal_mode_with_every_migration(db_path):
    database = db.connect(db_path)
    assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.applied_migrations(database) == [
        m.name for m in migrations.pending(db.connect(":memory:", migrate=False))
    ]


def test_an_old_database_upgrades_in_place_and_keeps_its_stories(db_path, all_kinds):
    # Build the database as the first release made it: only the first migration.
    old = db.connect(db_path, migrate=False)
    migrations.apply(old, stop_before="m002_fragment_source")
    assert "source" not in old["fragment"].columns_dict
    db.save_survey(old, all_kinds)
    old.execute(
        "INSERT INTO fragment (id, survey_id, survey_version, language, story, collected_at, "
        "received_at, answers, body_sha256) VALUES ('7c9e6679-7425-40de-944b-e07fc1f90ae7', "
        "'all_kinds', 1, 'sv', 'En gammal berättelse', '2025-01-01T10:00:00', "
        "'2025-01-01T10:00:01', '{}', 'x')"
    )
    old.close()

    upgraded = db.connect(db_path)
    assert "m002_fragment_source" in db.applied_migrations(upgraded)
    story = db.get_fragment(upgraded, "7c9e6679-7425-40de-944b-e07fc1f90ae7")
    assert story["story"] == "En gammal berättelse"
    assert story["source"] == "capture"
    # Opening again applies nothing twice.
    assert db.applied_migrations(db.connect(db_path)) == db.applied_migrations(upgraded)


def test_survey_versions_are_kept_and_the_newest_is_current(db_path, all_kinds):
    database = db.connect(db_path)
    assert db.save_survey(database, all_kinds) == "new"
    assert db.save_survey(database, all_kinds) == "unchanged"
    newer = Survey(dict(all_kinds.definition, version=2, title={"sv": "Ny", "en": "New"}))
    assert db.save_survey(database, newer) == "new"
    assert db.survey_versions(database, "all_kinds") == [1, 2]
    assert db.get_survey(database, "all_kinds").version == 2
    assert db.get_survey(database, "all_kinds", 1).title("sv") == "Alla frågetyper"


def test_a_loaded_version_cannot_change_silently(db_path, all_kinds):
    database = db.connect(db_path)
    db.save_survey(database, all_kinds)
    changed = Survey(dict(all_kinds.definition, title={"sv": "Annan", "en": "Other"}))
    with pytest.raises(db.VersionConflict):
        db.save_survey(database, changed)
    assert db.get_survey(database, "all_kinds").title("sv") == "Alla frågetyper"


def test_only_the_database_modules_touch_sqlite():
    from pathlib import Path

    database_package = Path(db.__file__).parent
    package = database_package.parent
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if database_package not in path.parents
        and any(
            word in path.read_text(encoding="utf-8")
            for word in ("import sqlite3", "import sqlite_utils", "from sqlite_utils")
        )
    ]
    assert offenders == []


def test_a_failed_write_leaves_nothing_behind(db_path):
    database = db.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError), db.writing(database):
        database.execute("INSERT INTO survey (id, current_version) VALUES ('a', 1)")
        database.execute("INSERT INTO survey (id, current_version) VALUES ('a', 1)")
    assert database.execute("SELECT count(*) FROM survey").fetchone()[0] == 0


def test_search_keeps_swedish_letters_apart_and_ignores_query_syntax(client, database):
    from .test_api import URL, body

    far = body(story="Min far kom på besök.")
    sheep = body(story="Vi såg får på ängen utanför fönstret.")
    for sent in (far, sheep):
        assert client.post(URL, json=sent).status_code == 201
    assert db.search_ids(database, "all_kinds", ["far"]) == [far["id"]]
    assert db.search_ids(database, "all_kinds", ["får"]) == [sheep["id"]]
    assert db.search_ids(database, "all_kinds", ["ÄNGEN"]) == [sheep["id"]]
    assert db.search_ids(database, "all_kinds", ['"', "OR", "*", "NEAR("]) == []


def test_stories_are_indexed_in_a_batch_before_the_next_search(client, database):
    from .test_api import URL, body

    waiting = body(title="Morgon", story="Kaffet var kallt.")
    withdrawn = body(title="Kväll", story="Kaffet var varmt.")
    for sent in (waiting, withdrawn):
        client.post(URL, json=sent)
    assert database.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 2
    # A story removed before it was ever indexed leaves nothing behind.
    database.execute("DELETE FROM fragment WHERE id = ?", [withdrawn["id"]])
    assert db.search_ids(database, "all_kinds", ["kaffet"]) == [waiting["id"]]
    assert database.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0
    assert db.index_pending(database) == 0
    # An indexed story that changes is re-indexed at once.
    database.execute("UPDATE fragment SET story = 'Teet var kallt.' WHERE id = ?", [waiting["id"]])
    assert db.search_ids(database, "all_kinds", ["kaffet"]) == []
    assert db.search_ids(database, "all_kinds", ["teet"]) == [waiting["id"]]
    # FTS5's own check compares the index with the table and raises if they disagree.
    database.execute(
        "INSERT INTO fragment_search (fragment_search, rank) VALUES ('integrity-check', 1)"
    )


def test_the_unused_source_index_is_dropped_in_place(db_path, all_kinds):
    old = db.connect(db_path, migrate=False)
    migrations.apply(old, stop_before="m011_drop_unused_source_index")
    db.save_survey(old, all_kinds)
    assert "idx_fragment_survey_id_source" in indexes(old)
    old.close()
    upgraded = db.connect(db_path)
    assert "idx_fragment_survey_id_source" not in indexes(upgraded)
    assert {"idx_fragment_id", "idx_fragment_receipt_sha256"} <= indexes(upgraded)
    assert db.get_survey(upgraded, "all_kinds") is not None


def indexes(database) -> set[str]:
    return {index.name for index in database["fragment"].indexes}


def test_the_wal_is_copied_back_every_checkpoint_pages_not_every_thousand(db_path):
    database = db.connect(db_path)
    database.execute("CREATE TABLE scratch (page BLOB)")
    frame = 24 + database.execute("PRAGMA page_size").fetchone()[0]  # header and page
    largest = 0
    for _ in range(3 * CHECKPOINT_PAGES // 10):  # ten new pages a commit
        with db.writing(database):
            database.conn.executemany("INSERT INTO scratch VALUES (zeroblob(3500))",
                                      [()] * 10)  # fmt: skip
        largest = max(largest, os.path.getsize(db_path + "-wal") // frame)
    # The log grew past SQLite's default of 1,000 pages, then was copied back and written
    # over from the start: the file stops growing at the checkpoint's size.
    assert CHECKPOINT_PAGES <= largest < CHECKPOINT_PAGES + 20
    assert database.execute("SELECT count(*) FROM scratch").fetchone()[0] == 3 * CHECKPOINT_PAGES
