"""What every request shares: the database connection, the language, errors, headers."""

import threading

from flask import current_app, g, jsonify, render_template, request

from . import db as database
from .fragments import MAX_REQUEST_BYTES
from .i18n import LANGUAGES, gettext, negotiate


def get_db():
    """The database connection of this app and thread, opened on first use.

    Each server thread keeps its connection between requests: opening one costs more
    than storing a story. Connections run in autocommit mode, so nothing is held open
    between requests; `finish_request` rolls back anything a failed request left behind.
    """
    if "db" not in g:
        local = current_app.extensions["sensemaker.connections"]
        conn = getattr(local, "db", None)
        if conn is None:
            conn = local.db = database.connect(current_app.config["DATABASE"], migrate=False)
        g.db = conn
    return g.db


def finish_request(_error=None):
    conn = g.pop("db", None)
    if conn is not None and conn.conn.in_transaction:
        conn.conn.rollback()


def language(available=LANGUAGES) -> str:
    """The request's language: `?lang=`, else the browser's preference, else Swedish."""
    return negotiate(request.args.get("lang"), request.accept_languages, available)


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path.endswith(".json")


def json_errors(status: int, errors: dict[str, str]):
    return jsonify({"errors": errors}), status


def _not_found(_error):
    lang = language()
    if wants_json():
        return json_errors(404, {"survey": gettext("survey.not_found", lang)})
    return render_template("error.html", lang=lang, status=404), 404


def _too_large(_error):
    lang = language()
    message = gettext("request.too_large", lang, max=MAX_REQUEST_BYTES // 1024)
    if wants_json():
        return json_errors(413, {"body": message})
    return message, 413


def _server_error(_error):
    lang = language()
    if wants_json():
        return json_errors(500, {"server": gettext("page.error_text", lang)})
    return render_template("error.html", lang=lang, status=500), 500


def _headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    )
    return response


def init_app(app):
    app.config["MAX_CONTENT_LENGTH"] = app.config.get("MAX_CONTENT_LENGTH") or MAX_REQUEST_BYTES
    app.extensions["sensemaker.connections"] = threading.local()
    app.teardown_appcontext(finish_request)
    app.register_error_handler(404, _not_found)
    app.register_error_handler(413, _too_large)
    app.register_error_handler(500, _server_error)
    app.after_request(_headers)
    app.jinja_env.globals["_"] = gettext
    app.jinja_env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": False}
    with app.app_context():
        # Bring the schema up to date once, before any request is served.
        database.connect(app.config["DATABASE"]).close()
