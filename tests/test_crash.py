"""A server killed with SIGKILL in the middle of a load loses and duplicates nothing.

`sensemaker serve` (gunicorn, two workers) runs as its own process group. Sixteen client
threads send fragments and retry on any error until they get a 201 or a 200, recording
which ids were acknowledged. Mid-load the whole process group gets `kill -9`, the server
is started again on the same port, and the clients carry on. Then: every acknowledged id
is stored exactly once, every stored fragment is whole (the very body that was sent, with
its numeric row and its search entry), and SQLite's integrity checks pass. Three rounds,
on the same database, with the counts printed; the whole test stops itself within a
bounded time.
"""

import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid

import pytest

from sensemaker import db, fragments
from sensemaker.generate import generate_fragments

from .conftest import DATA, _free_port

pytestmark = pytest.mark.slow

CLIENTS = 16
PER_CLIENT = 20  # fragments per client and round
ROUNDS = 3
KILL_AFTER_ACKS = 60  # per round: kill once this many stories were acknowledged
DEADLINE_S = 50  # the whole test, servers and clients included


class Server:
    """`sensemaker serve` in its own process group, so that kill -9 takes every worker."""

    def __init__(self, db_path: str, port: int):
        self.db_path, self.port, self.process = db_path, port, None

    def start(self, deadline: float):
        cli = [sys.executable, "-m", "sensemaker", "--db", self.db_path, "serve"]
        self.process = subprocess.Popen(
            [*cli, "--port", str(self.port), "--workers", "2", "--threads", "4"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    pass
                if _health(self.port):
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.05)
        raise TimeoutError("the server did not answer in time")

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def _health(port) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        connection.request("GET", "/api/v1/health")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


class Client(threading.Thread):
    """Sends its fragments one by one, retrying each until the server acknowledges it."""

    def __init__(self, port, bodies, deadline, acks):
        super().__init__(daemon=True)
        self.port, self.bodies, self.deadline, self.acks = port, bodies, deadline, acks
        self.statuses: dict[str, int] = {}
        self.retries = 0

    def send(self, body: bytes) -> int | None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=3)
        try:
            headers = {"Content-Type": "application/json"}
            connection.request("POST", "/api/v1/surveys/all_kinds/fragments", body, headers)
            return connection.getresponse().status
        except (OSError, http.client.HTTPException):  # the server is down or dying
            return None
        finally:
            connection.close()

    def run(self):
        for fragment_id, body in self.bodies:
            while time.monotonic() < self.deadline:
                status = self.send(body)
                if status in (200, 201):
                    self.statuses[fragment_id] = status
                    self.acks.append(fragment_id)
                    break
                assert status is None or status >= 500, status  # never a 4xx: bodies are valid
                self.retries += 1
                time.sleep(random.uniform(0.02, 0.1))


def make_bodies(survey, count, seed):
    """Valid fragments with fresh ids: (id, request bytes, hash the server will compute)."""
    made = []
    for fragment in generate_fragments(survey, count, seed).fragments:
        body = {**fragment.as_body(), "id": str(uuid.uuid4())}
        made.append((body["id"], json.dumps(body, ensure_ascii=False).encode(), body))
    return made


def check_database(path, sent: dict, acknowledged: set) -> dict:
    conn = db.connect(path, migrate=False)
    try:
        rows = conn.execute(
            "SELECT f.id, f.body_sha256, f.story, s.fragment_seq IS NOT NULL, "
            "(SELECT count(*) FROM fragment_search WHERE rowid = f.seq) "
            "FROM fragment f LEFT JOIN signification s ON s.fragment_seq = f.seq"
        ).fetchall()
        ids = [row[0] for row in rows]
        assert len(ids) == len(set(ids)), "a fragment is stored twice"
        for fragment_id, sha, story, numbers, indexed in rows:
            body = sent[fragment_id]  # nothing is stored that was not sent
            assert sha == fragments.body_hash(body) and story == body["story"], fragment_id
            assert numbers and indexed == 1, f"{fragment_id} is stored only in part"
        missing = acknowledged - set(ids)
        assert not missing, f"acknowledged but not stored: {sorted(missing)[:5]}"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.execute("INSERT INTO fragment_search (fragment_search) VALUES ('integrity-check')")
        return {"stored": len(ids)}
    finally:
        conn.close()


def test_kill_9_mid_load_loses_and_duplicates_nothing(tmp_path, all_kinds):
    started = time.monotonic()
    deadline = started + DEADLINE_S
    path = str(tmp_path / "crash.db")
    cli = [sys.executable, "-m", "sensemaker", "--db", path]
    subprocess.run([*cli, "survey", "load", str(DATA / "all_kinds.yaml")], check=True,
                   capture_output=True)  # fmt: skip
    server = Server(path, _free_port())
    sent: dict[str, dict] = {}
    acknowledged: set[str] = set()
    try:
        server.start(deadline)
        for round_number in range(1, ROUNDS + 1):
            bodies = make_bodies(all_kinds, CLIENTS * PER_CLIENT, seed=round_number)
            sent.update({fragment_id: body for fragment_id, _, body in bodies})
            acks: list[str] = []
            clients = [
                Client(server.port, [(i, raw) for i, raw, _ in bodies[n::CLIENTS]], deadline, acks)
                for n in range(CLIENTS)
            ]
            for client in clients:
                client.start()
            while len(acks) < KILL_AFTER_ACKS and time.monotonic() < deadline:
                time.sleep(0.005)
            acked_at_kill = len(acks)
            server.kill()
            stored_at_kill = check_database(path, sent, acknowledged | set(acks))["stored"]
            server.start(deadline)
            for client in clients:
                client.join(timeout=max(0.0, deadline - time.monotonic()))
            assert not any(client.is_alive() for client in clients), "clients did not finish"
            statuses = [s for client in clients for s in client.statuses.values()]
            assert len(statuses) == len(bodies), "a client gave up on a story"
            acknowledged |= set(acks)
            counts = check_database(path, sent, acknowledged)
            assert counts["stored"] == len(sent) == len(acknowledged)
            print(
                f"round {round_number}: sent {len(bodies)}, killed after {acked_at_kill} acks "
                f"with {stored_at_kill - (len(sent) - len(bodies))} of this round stored, "
                f"201: {statuses.count(201)}, 200 (stored before the kill, answer lost): "
                f"{statuses.count(200)}, retries {sum(c.retries for c in clients)}, "
                f"stored in all {counts['stored']}, integrity ok"
            )
    finally:
        server.stop()
    print(f"{ROUNDS} kills, {len(acknowledged)} stories, {time.monotonic() - started:.1f} s")
