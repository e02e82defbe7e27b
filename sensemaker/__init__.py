"""Sensemaker: self-signified stories from health and elderly care, and their patterns."""

import os
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "static"
SURVEYS = ROOT / "surveys"


def default_database() -> str:
    return os.environ.get("SENSEMAKER_DB") or str(ROOT / "instance" / "sensemaker.db")


def create_app(test_config: dict | None = None) -> Flask:
    """The application factory: `flask --app sensemaker run`, or `sensemaker serve`."""
    app = Flask(__name__, static_folder=str(STATIC), static_url_path="/static")
    app.config.from_mapping(
        DATABASE=default_database(),
        SECRET_KEY=os.environ.get("SENSEMAKER_SECRET_KEY", "dev-only-change-me"),
    )
    if test_config is not None:
        app.config.update(test_config)
    app.json.sort_keys = False  # keep definitions in the order of the survey file
    Path(app.config["DATABASE"]).parent.mkdir(parents=True, exist_ok=True)

    from . import api, capture, web

    web.init_app(app)
    app.register_blueprint(capture.bp)
    app.register_blueprint(api.bp)
    return app
