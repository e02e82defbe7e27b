"""Group commit: many threads' fragments share transactions, and each gets its own answer."""

import sqlite3
import threading
import uuid

import pytest

from sensemaker import db, fragments, intake
from sensemaker.db.committer import Committer
from sensemaker.db.fragments import pending

from .test_api import body


def stored(all_kinds, **changes):
    sent = body(id=str(uuid.uuid4()), **changes)
    fragment = fragments.parse(sent, all_kinds)
    return fragment, intake.prepare(fragment, all_kinds, fragments.body_hash(sent))


def test_concurrent_fragments_are_all_stored_and_answered(app, all_kinds, database):
    path = app.config["DATABASE"]
    made = [stored(all_kinds) for _ in range(200)]
    outcomes = {}

    def send(part):
        for fragment, record in part:
            outcomes[fragment.id] = db.store_fragment(path, fragment, record)

    threads = [threading.Thread(target=send, args=(made[i::8],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(outcomes.values()) == {db.CREATED} and len(outcomes) == 200
    assert db.count_fragments(database) == 200
    # The same fragments again are duplicates, one answer each.
    send(made[:5])
    assert [outcomes[f.id] for f, _ in made[:5]] == [db.DUPLICATE] * 5


def test_one_refused_fragment_does_not_take_its_batch_with_it(app, all_kinds, database):
    path = app.config["DATABASE"]
    first, record = stored(all_kinds)
    assert db.store_fragment(path, first, record) == db.CREATED
    conflicting = fragments.parse(body(id=first.id, story="En annan berättelse."), all_kinds)
    other, other_record = stored(all_kinds)
    results = {}
    threads = [
        threading.Thread(target=lambda: results.update(c=db.store_fragment(
            path, conflicting, intake.prepare(conflicting, all_kinds, "annan")))),
        threading.Thread(target=lambda: results.update(o=db.store_fragment(
            path, other, other_record))),
    ]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {"c": db.CONFLICT, "o": db.CREATED}
    assert db.get_fragment(database, first.id)["story"] == first.story


def test_the_writer_thread_stops_when_idle(app, all_kinds, monkeypatch):
    monkeypatch.setattr("sensemaker.db.committer.IDLE_SECONDS", 0.05)
    committer = Committer.for_path(app.config["DATABASE"])
    fragment, record = stored(all_kinds)
    assert committer.store(pending(fragment, record)) == db.CREATED
    for _ in range(100):
        if not committer.running:
            break
        threading.Event().wait(0.02)
    assert not committer.running
    second, second_record = stored(all_kinds)
    assert committer.store(pending(second, second_record)) == db.CREATED  # and starts again


def test_the_writer_waits_for_another_writer_in_short_steps(app, monkeypatch):
    from sensemaker.db.connection import connect, writing

    path = app.config["DATABASE"]
    other, writer = connect(path, migrate=False), connect(path, migrate=False, stepwise=True)
    assert writer.execute("PRAGMA busy_timeout").fetchone()[0] == 0
    other.conn.execute("BEGIN IMMEDIATE")
    threading.Timer(0.05, lambda: other.conn.execute("COMMIT")).start()
    with writing(writer):  # the lock comes free after 50 ms: it gets it
        writer.execute("UPDATE survey SET loaded_at = loaded_at")
    other.conn.execute("BEGIN IMMEDIATE")
    monkeypatch.setattr("sensemaker.db.connection.BUSY_SECONDS", 0.05)
    held_too_long = pytest.raises(sqlite3.OperationalError, match="locked")  # as before
    with held_too_long, writing(writer):
        pass
    other.conn.execute("COMMIT")
    assert not writer.conn.in_transaction


def test_a_writer_that_cannot_open_answers_its_stories_and_the_next_tries_again(
    app, all_kinds, monkeypatch
):
    from sensemaker.db import committer as module

    real_connect = module.connect
    calls = []

    def connect_once(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise sqlite3.OperationalError("unable to open database file")
        return real_connect(*args, **kwargs)

    monkeypatch.setattr(module, "connect", connect_once)
    committer = Committer(app.config["DATABASE"])
    fragment, record = stored(all_kinds)
    with pytest.raises(sqlite3.OperationalError, match="unable to open"):
        committer.store(pending(fragment, record))
    assert committer.store(pending(fragment, record)) == db.CREATED
    assert len(calls) == 2
