"""What every request shares: the database connection, the language, errors, headers."""

import threading

from flask import (
    current_app,
    g,
    has_request_context,
    jsonify,
    make_response,
    render_template,
    request,
)
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

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
        g.db = thread_db(current_app)
    return g.db


def thread_db(app):
    """This thread's connection to the app's database (see `get_db`), opened on first use."""
    local = app.extensions["sensemaker.connections"]
    conn = getattr(local, "db", None)
    if conn is None:
        conn = local.db = database.connect(app.config["DATABASE"], migrate=False)
    return conn


def finish_request(_error=None):
    conn = g.pop("db", None)
    if conn is not None and conn.conn.in_transaction:
        conn.conn.rollback()


def language(available=LANGUAGES) -> str:
    """The request's language: `?lang=`, else the browser's preference, else Swedish."""
    return request_language(request, available)


def request_language(req, available=LANGUAGES) -> str:
    """`language` for a given request, Flask's or a plain Werkzeug one."""
    return negotiate(req.args.get("lang"), req.accept_languages, available)


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path.endswith(".json")


def json_errors(status: int, errors: dict[str, str]):
    return jsonify({"errors": errors}), status


def _error_page(status: int, json_key: str, page_key: str):
    def handler(error):
        from .auth import ui_language

        lang = ui_language()
        if wants_json():
            response = make_response(
                json_errors(status, {json_key: gettext(page_key + "_text", lang)})
            )
        else:
            description = getattr(error, "description", None)
            key = "page.csrf" if description == "csrf" else page_key
            page = render_template("error.html", lang=lang, key=key, status=status)
            response = make_response(page, status)
        if getattr(error, "valid_methods", None):
            # A 405 names the methods that would work (RFC 9110), as Werkzeug's own page does.
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    return handler


def _too_large(_error):
    lang = language()
    message = gettext("request.too_large", lang, max=MAX_REQUEST_BYTES // 1024)
    if wants_json():
        return json_errors(413, {"body": message})
    return message, 413


CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)


# On every response, the fragment door's (`submission.FragmentDoor`) included.
SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("Content-Security-Policy", CSP),
)


def _headers(response):
    for name, value in SECURITY_HEADERS:
        response.headers.setdefault(name, value)
    if request.endpoint != "static":
        # Pages may carry stories or accounts: never kept in a browser's or proxy's cache.
        response.headers.setdefault("Cache-Control", "no-store")
    return response


class _SessionInterface(SecureCookieSessionInterface):
    def get_cookie_secure(self, app):
        # Secure whenever the request itself came over HTTPS (directly or via the proxy).
        return bool(has_request_context() and request.is_secure)


def init_app(app):
    from . import auth, csrf
    from .submission import FragmentDoor

    app.config["MAX_CONTENT_LENGTH"] = app.config.get("MAX_CONTENT_LENGTH") or MAX_REQUEST_BYTES
    app.wsgi_app = FragmentDoor(app, app.wsgi_app)  # inside the proxy fix: it sees the client
    if app.config.get("TRUST_PROXY"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    app.session_interface = _SessionInterface()
    app.extensions["sensemaker.connections"] = threading.local()
    app.teardown_appcontext(finish_request)
    app.before_request(auth.load_user)
    app.before_request(csrf.protect)
    for status, json_key, page_key in (
        (400, "body", "page.bad_request"),
        (403, "access", "page.forbidden"),
        (404, "survey", "page.not_found"),
        (405, "method", "page.bad_request"),
        (429, "body", "page.too_many"),
        (500, "server", "page.error"),
    ):
        app.register_error_handler(status, _error_page(status, json_key, page_key))
    app.register_error_handler(413, _too_large)
    app.after_request(_headers)
    app.jinja_env.globals["_"] = gettext
    app.jinja_env.globals["csrf_token"] = csrf.token
    app.jinja_env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": False}
    with app.app_context():
        # Bring the schema up to date once, before any request is served.
        database.connect(app.config["DATABASE"]).close()
