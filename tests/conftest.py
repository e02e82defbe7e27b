"""Shared fixtures: an app on a fresh database, its clients, and a live server."""

import functools
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from sensemaker import create_app, db
from sensemaker import survey as surveys

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


@pytest.fixture
def db_path(tmp_path):
    return str(tmp_path / "test.db")


@pytest.fixture
def all_kinds():
    """The test survey with one question of every kind (tests/data/all_kinds.yaml)."""
    return surveys.load(DATA / "all_kinds.yaml")


@pytest.fixture
def app(db_path, all_kinds):
    app = create_app({"DATABASE": db_path, "TESTING": True})
    database = db.connect(db_path)
    db.save_survey(database, all_kinds)
    database.close()
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def database(app):
    conn = db.connect(app.config["DATABASE"])
    yield conn
    conn.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """`sensemaker serve` on a free port, with the test survey and the example surveys.

    Yields an object with `url` and `db_path`. The server is a real subprocess under
    gunicorn, as in production.
    """
    path = str(tmp_path_factory.mktemp("live") / "live.db")
    files = [
        str(DATA / "all_kinds.yaml"),
        *sorted(str(p) for p in (ROOT / "surveys").glob("*.yaml")),
    ]
    cli = [sys.executable, "-m", "sensemaker", "--db", path]
    subprocess.run([*cli, "survey", "load", *files], check=True, capture_output=True)
    port = _free_port()
    process = subprocess.Popen(
        [*cli, "serve", "--port", str(port), "--workers", "1", "--threads", "4"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=1).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(process.stderr.read().decode()) from None
            time.sleep(0.1)

    class Live:
        pass

    live = Live()
    live.url, live.db_path = url, path
    yield live
    process.terminate()
    process.wait(timeout=10)
    process.stderr.close()


PASSWORD = "ett-långt-lösenord"


@functools.cache
def _password_hash() -> str:
    # scrypt is slow on purpose; hash the shared test password once per run.
    from sensemaker.auth import hash_password

    return hash_password(PASSWORD)


@pytest.fixture
def users(database):
    """One user per role; the facilitator and analyst are assigned to all_kinds, and a
    second facilitator is assigned to nothing. Returns {name: user dict}."""
    made = {}
    for name, role in (
        ("admin", "admin"),
        ("facilitator", "facilitator"),
        ("outsider", "facilitator"),
        ("analyst", "analyst"),
    ):
        made[name] = db.add_user(database, f"{name}@region.se", role, _password_hash())
    for name in ("facilitator", "analyst"):
        db.assign(database, made[name]["id"], "all_kinds")
    return made


def csrf_token(client, path="/login") -> str:
    import re

    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def sign_in(client, email, password=PASSWORD):
    """Sign in through the real form; returns the response of the POST."""
    token = csrf_token(client)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


@pytest.fixture
def signed_in(app, users):
    """A factory: signed_in("admin") gives a test client signed in as that user."""

    def make(name):
        client = app.test_client()
        response = sign_in(client, users[name]["email"])
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return make


@pytest.fixture(scope="module")
def chromium():
    """One Debian Chromium per test module, for the field-tablet browser tests."""
    from .browser import launch

    with launch() as browser:
        yield browser


@pytest.fixture
def tablet(chromium, live_server):
    """A factory of fresh browser contexts on the live server (see `tablets.contexts`)."""
    from .tablets import contexts

    yield from contexts(chromium, live_server)
