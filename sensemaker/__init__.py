"""Sensemaker: self-signified stories from health and elderly care, and their patterns."""

import os
import secrets
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"
SURVEYS = ROOT / "surveys"


def default_database() -> str:
    return os.environ.get("SENSEMAKER_DB") or str(ROOT / "instance" / "sensemaker.db")


def secret_key(database: str) -> str:
    """`SENSEMAKER_SECRET_KEY`, else a random key kept beside the database (mode 0600).

    Every worker process reads the same file, so sessions and receipt codes agree.
    """
    if os.environ.get("SENSEMAKER_SECRET_KEY"):
        return os.environ["SENSEMAKER_SECRET_KEY"]
    path = Path(database).resolve().parent / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as file:
        file.write(secrets.token_hex(32))
    return path.read_text().strip()


def create_app(test_config: dict | None = None) -> Flask:
    """The application factory: `flask --app sensemaker run`, or `sensemaker serve`."""
    app = Flask(__name__, static_folder=str(STATIC), static_url_path="/static")
    app.config.from_mapping(
        DATABASE=default_database(),
        SESSION_IDLE_MINUTES=int(os.environ.get("SENSEMAKER_IDLE_MINUTES", "30")),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Behind a reverse proxy that terminates HTTPS, trust its X-Forwarded-* headers.
        TRUST_PROXY=os.environ.get("SENSEMAKER_TRUST_PROXY") == "1",
        # Server processes hand their stories to one writer (db.shared_writer); set by
        # `sensemaker serve`, which runs several.
        SHARED_WRITER=False,
    )
    if test_config is not None:
        app.config.update(test_config)
    Path(app.config["DATABASE"]).parent.mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(app.config["DATABASE"])
    app.json.sort_keys = False  # keep definitions in the order of the survey file

    from . import (
        accessibility,
        admin,
        analyst,
        api,
        auth,
        capture,
        kiosks,
        offline,
        overview,
        web,
        withdrawal,
        workshop,
    )

    web.init_app(app)
    blueprints = (capture.bp, api.bp, auth.bp, admin.bp, overview.bp, withdrawal.bp, kiosks.bp,
                  workshop.bp, offline.bp, accessibility.bp, analyst.bp)  # fmt: skip
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    return app
