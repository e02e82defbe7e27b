"""One writer for all server processes: every story answered after its commit, none lost
when the writer goes away, and none handed to a socket of another user."""

import contextlib
import http.client
import json
import logging
import marshal
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid

import psutil
import pytest

from sensemaker import db, fragments, intake
from sensemaker.db import shared_writer

from .conftest import ROOT, _free_port
from .test_api import URL, body
from .test_crash import Server

pytestmark = pytest.mark.skipif(not shared_writer.AVAILABLE, reason="Linux only")


def made(survey, **changes):
    sent = body(id=str(uuid.uuid4()), **changes)
    fragment = fragments.parse(sent, survey)
    return fragment, intake.prepare(fragment, survey, fragments.body_hash(sent))


def test_threads_share_one_writer_and_each_gets_its_own_answer(app, all_kinds, database):
    path = app.config["DATABASE"]
    stories = [made(all_kinds) for _ in range(120)]
    outcomes = {}

    def send(part):
        for fragment, stored in part:
            outcomes[fragment.id] = db.store_fragment(path, fragment, stored, shared=True)

    threads = [threading.Thread(target=send, args=(stories[i::6],)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert shared_writer.hosting(path)  # the first story made this process the writer
    assert set(outcomes.values()) == {db.CREATED} and len(outcomes) == 120
    assert db.count_fragments(database) == 120
    fragment, stored = stories[0]
    assert db.store_fragment(path, fragment, stored, shared=True) == db.DUPLICATE
    other = fragments.parse(body(id=fragment.id, story="En annan berättelse."), all_kinds)
    conflicting = intake.prepare(other, all_kinds, "annan")
    assert db.store_fragment(path, other, conflicting, shared=True) == db.CONFLICT
    assert db.get_fragment(database, fragment.id)["story"] == fragment.story


def test_a_message_the_writer_cannot_read_is_refused_and_it_goes_on(app, all_kinds, database):
    path = app.config["DATABASE"]
    fragment, stored = made(all_kinds)
    assert db.store_fragment(path, fragment, stored, shared=True) == db.CREATED
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(5)
        sock.connect(shared_writer.address(path))
        for garbage in (b"not marshal", marshal.dumps(("a", "b", "c")), marshal.dumps((("x",), 1))):
            shared_writer._send(sock, garbage)
            kind, message = marshal.loads(shared_writer._receive(sock))
            assert kind == "error" and message
        second, second_stored = made(all_kinds)
        shared_writer._send(sock, marshal.dumps(shared_writer.pending(second, second_stored)))
        assert marshal.loads(shared_writer._receive(sock)) == ("ok", db.CREATED)
    assert db.count_fragments(database) == 2


class FakeWriter(threading.Thread):
    """Holds the writer's socket name: reads one story and, `silent` seconds later, hangs up
    without an answer."""

    def __init__(self, path, silent=0.0):
        super().__init__(daemon=True)
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(shared_writer.address(path))
        self.listener.listen(1)
        self.listener.settimeout(10)
        self.received = b""
        self.silent = silent

    def run(self):
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(2)
            with contextlib.suppress(OSError):
                self.received = conn.recv(1 << 16)
            time.sleep(self.silent)
        self.listener.close()


def test_a_story_whose_writer_went_away_is_stored_here_once(app, all_kinds, database, caplog):
    path = app.config["DATABASE"]
    fake = FakeWriter(path)
    fake.start()
    fragment, stored = made(all_kinds)
    with caplog.at_level(logging.WARNING):
        outcome = db.store_fragment(path, fragment, stored, shared=True)
    fake.join(5)
    assert fake.received  # the story went out, and no answer came back
    assert outcome == db.CREATED  # stored by this process's own group commit
    assert db.count_fragments(database) == 1
    assert "went away" in caplog.text and fragment.story not in caplog.text
    # The name is free again: the next story makes this process the writer.
    second, second_stored = made(all_kinds)
    assert db.store_fragment(path, second, second_stored, shared=True) == db.CREATED
    assert shared_writer.hosting(path)


def test_a_writer_that_never_answers_is_given_up_after_the_reply_time(
    app, all_kinds, database, monkeypatch
):
    path = app.config["DATABASE"]
    monkeypatch.setattr(shared_writer, "REPLY_SECONDS", 0.3)
    fake = FakeWriter(path, silent=5.0)  # takes the story and keeps the line open
    fake.start()
    fragment, stored = made(all_kinds)
    outcome = []
    sender = threading.Thread(
        target=lambda: outcome.append(db.store_fragment(path, fragment, stored, shared=True))
    )
    started = time.monotonic()
    sender.start()
    sender.join(4)  # the socket's own timeout ends the wait, long before the fake hangs up
    assert not sender.is_alive() and time.monotonic() - started < 4
    assert fake.received and outcome == [db.CREATED]
    assert db.count_fragments(database) == 1


def test_a_reply_is_read_whole_however_it_arrives():
    here, there = socket.socketpair()
    reply = marshal.dumps(("ok", db.CREATED))
    framed = shared_writer._LENGTH.pack(len(reply)) + reply

    def dribble(data):
        for i in range(len(data)):
            there.send(data[i : i + 1])
            time.sleep(0.002)

    with here, there:
        for _ in range(2):  # one reply to each message sent, a byte at a time
            dribbler = threading.Thread(target=dribble, args=(framed,))
            dribbler.start()
            assert shared_writer._receive(here) == reply
            dribbler.join()
        there.send(framed[:3])
        there.shutdown(socket.SHUT_WR)  # gone in the middle of a reply
        assert shared_writer._receive(here) is None


def test_a_socket_of_another_user_never_gets_a_story(app, all_kinds, database, monkeypatch):
    path = app.config["DATABASE"]
    squatter = FakeWriter(path)
    squatter.start()
    other_user = os.getuid() + 1
    monkeypatch.setattr(shared_writer.os, "getuid", lambda: other_user)  # not us
    fragment, stored = made(all_kinds)
    assert db.store_fragment(path, fragment, stored, shared=True) == db.CREATED
    squatter.listener.close()
    squatter.join(5)
    assert squatter.received == b""
    assert db.count_fragments(database) == 1 and not shared_writer.hosting(path)


def test_without_sharing_every_process_writes_for_itself(app, all_kinds, database):
    path = app.config["DATABASE"]
    fragment, stored = made(all_kinds)
    assert db.store_fragment(path, fragment, stored) == db.CREATED
    assert not shared_writer.hosting(path)


# -- several processes, and the writer killed -----------------------------------------------

CHILD = r"""
import json, sys, threading, uuid
from sensemaker import db, fragments, intake
from sensemaker.db import shared_writer

path, template = sys.argv[1], json.loads(sys.argv[2])
count, threads = int(sys.argv[3]), int(sys.argv[4])
survey = db.get_survey(db.connect(path, migrate=False), "all_kinds")
lock = threading.Lock()

def send(n):
    for _ in range(n):
        sent = {**template, "id": str(uuid.uuid4())}
        fragment = fragments.parse(sent, survey)
        stored = intake.prepare(fragment, survey, fragments.body_hash(sent))
        outcome = db.store_fragment(path, fragment, stored, shared=True)
        with lock:
            print("ack", fragment.id, outcome, shared_writer.hosting(path), flush=True)

workers = [threading.Thread(target=send, args=(count // threads,)) for _ in range(threads)]
for worker in workers:
    worker.start()
for worker in workers:
    worker.join()
print("done", shared_writer.hosting(path), flush=True)
"""


class Child:
    def __init__(self, path, count, threads):
        self.process = subprocess.Popen(
            [sys.executable, "-c", CHILD, path, json.dumps(body()), str(count), str(threads)],
            cwd=ROOT, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.acks: list[tuple[str, str, bool]] = []
        self.done: bool | None = None
        self.reader = threading.Thread(target=self.read, daemon=True)
        self.reader.start()

    def read(self):
        with self.process.stdout as lines:
            for line in lines:
                words = line.split()
                if words[:1] == ["ack"] and len(words) == 4:  # not a line torn by SIGKILL
                    self.acks.append((words[1], words[2], words[3] == "True"))
                elif words[:1] == ["done"]:
                    self.done = words[1] == "True"


def wait_until(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.mark.slow
def test_processes_share_a_writer_and_lose_nothing_when_it_is_killed(app, database):
    path = app.config["DATABASE"]
    host = Child(path, 10**6, 2)  # stores until it is killed
    wait_until(lambda: host.acks)
    assert host.acks[0][2]  # the first process to store became the writer
    others = [Child(path, 200, 4) for _ in range(2)]
    wait_until(lambda: all(len(o.acks) >= 20 for o in others))
    assert not any(hosting for o in others for _, _, hosting in o.acks[:20])
    host.process.send_signal(signal.SIGKILL)  # in the middle of its commits
    host.process.wait(10)
    host.reader.join(10)
    for other in others:
        other.process.wait(60)
        other.reader.join(10)
        assert other.process.returncode == 0
        assert len(other.acks) == 200
        assert {outcome for _, outcome, _ in other.acks} <= {db.CREATED, db.DUPLICATE}
    # One of the two took over as the writer. (The other may have followed it, when the
    # first ran out of stories and ended while the other still had some to store.)
    assert any(o.done for o in others)
    acknowledged = [fragment_id for child in (host, *others) for fragment_id, _, _ in child.acks]
    rows = database.execute(
        "SELECT count(*), count(DISTINCT id) FROM fragment WHERE id IN (SELECT value FROM "
        "json_each(?))",
        [json.dumps(acknowledged)],
    ).fetchone()
    assert rows == (len(acknowledged), len(acknowledged))  # each acknowledged story, once
    assert db.integrity_ok(path)


# -- the writer process `sensemaker serve` starts --------------------------------------------


def writer_process(path: str) -> psutil.Process | None:
    """The process listening on the writer's socket for the database at `path`, if any."""
    name = "@" + shared_writer.address(path)[1:].decode()  # as Linux lists abstract names
    for process in psutil.process_iter():
        with contextlib.suppress(psutil.Error):
            for connection in process.net_connections(kind="unix"):
                if connection.laddr == name and connection.status == psutil.CONN_NONE:
                    return process
    return None


def post_stories(port: int, count: int) -> list[int]:
    statuses = []
    for _ in range(count):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("POST", URL, json.dumps(body()),
                           {"Content-Type": "application/json"})  # fmt: skip
        statuses.append(connection.getresponse().status)
        connection.close()
    return statuses


@pytest.mark.slow
def test_the_server_runs_its_writer_in_a_process_of_its_own(app, database):
    path = app.config["DATABASE"]
    server = Server(path, _free_port())
    server.start(time.monotonic() + 30)
    try:
        master = psutil.Process(server.process.pid)
        writer = writer_process(path)
        # Bound before any story, by a child of the server that serves no requests (a
        # worker has gunicorn's thread pool).
        assert writer in master.children()
        assert writer.num_threads() == 1
        assert post_stories(server.port, 10) == [201] * 10
        assert db.count_fragments(database) == 10
        writer.kill()
        # The workers store for themselves, and one of them becomes the writer.
        assert post_stories(server.port, 10) == [201] * 10
        assert db.count_fragments(database) == 20
        successor = writer_process(path)
        assert successor in master.children() and successor != writer
        assert successor.num_threads() > 1
    finally:
        server.stop()


@pytest.mark.slow
def test_the_writer_process_ends_with_the_server(app, database):
    path = app.config["DATABASE"]
    for ending in (signal.SIGTERM, signal.SIGKILL):
        server = Server(path, _free_port())
        server.start(time.monotonic() + 30)
        try:
            writer = writer_process(path)
            assert post_stories(server.port, 3) == [201] * 3
            server.process.send_signal(ending)  # to the server alone, not its group
            server.process.wait(timeout=30)
            # After its workers on SIGTERM; within a second or two when orphaned.
            writer.wait(timeout=10)
            assert writer_process(path) is None
        finally:
            server.stop()
    assert db.count_fragments(database) == 6
