"""Signing in and out, who the current user is, and what their role lets them reach.

Sessions live in Flask's signed cookie: the user id, when they were last seen (for the
idle timeout) and the CSRF token. The user is read from the database on every request, so
disabling an account or removing an assignment takes effect at once.
"""

import time
from datetime import UTC, datetime, timedelta
from functools import wraps

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.security import check_password_hash, generate_password_hash

from . import db
from .web import get_db, language

bp = Blueprint("auth", __name__)

ACCOUNT_LIMIT = 5  # failed sign-ins per account ...
ADDRESS_LIMIT = 20  # ... and per address ...
LIMIT_WINDOW = timedelta(minutes=15)  # ... within this window
MIN_PASSWORD = 10
# Checked against when the e-mail is unknown, so a wrong address takes as long as a
# wrong password and does not reveal which accounts exist.
_DUMMY_HASH = generate_password_hash("not a real password")


def hash_password(password: str) -> str:
    return generate_password_hash(password)  # scrypt, Werkzeug's default


def load_user():
    """Before each request: the signed-in, active, not idle user in `g.user`, or None."""
    g.user = None
    user_id = session.get("uid")
    if user_id is None:
        return
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    if time.time() - session.get("seen", 0) > idle:
        session.clear()
        g.session_expired = True
        return
    user = db.get_user(get_db(), user_id)
    if user is None or not user["active"]:
        session.clear()
        return
    session["seen"] = int(time.time())
    g.user = user


def client_address() -> str:
    return request.remote_addr or "unknown"


def ui_language() -> str:
    """The language for a signed-in user's pages: `?lang=`, else their own setting."""
    if request.args.get("lang") in ("sv", "en"):
        return request.args["lang"]
    user = g.get("user")
    return user["language"] if user else language()


def roles_required(*roles):
    """Only signed-in users with one of `roles`; others go to sign-in or get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if g.get("user") is None:
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if g.user["role"] not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def require_assignment(survey_id: str) -> None:
    """403 unless the current user is assigned to the survey (admins too: stories are
    seen only by those assigned to them)."""
    if not db.is_assigned(get_db(), g.user["id"], survey_id):
        abort(403)


def _since() -> str:
    return (datetime.now(UTC) - LIMIT_WINDOW).isoformat(timespec="milliseconds")


def _rate_limited(email: str, address: str) -> bool:
    database = get_db()
    return (
        db.count_attempts(database, "login", _since(), account=email) >= ACCOUNT_LIMIT
        or db.count_attempts(database, "login", _since(), address=address) >= ADDRESS_LIMIT
    )


def _safe_next(target: str | None) -> str | None:
    # Only paths on this site: no scheme, no host, no protocol-relative "//evil". No
    # whitespace or control characters either: URL parsers drop tabs and line breaks, so
    # "/\t/evil" would become "//evil", and a line break cannot go in a header at all.
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ch.isspace() or not ch.isprintable() for ch in target):
        return None
    return target


def landing_page(user) -> str:
    return url_for("admin.index") if user["role"] == "admin" else url_for("overview.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    lang = ui_language()
    if request.method != "POST":  # GET and HEAD only show the form
        if g.user is not None:
            return redirect(landing_page(g.user))
        expired = request.args.get("expired") == "1"
        return render_template("auth/login.html", lang=lang, error=None, expired=expired)
    email = request.form.get("email", "").strip().lower()[:254]
    password = request.form.get("password", "")[:1024]
    address = client_address()
    database = get_db()
    if _rate_limited(email, address):
        db.audit(database, email or "-", "login.blocked", address=address)
        error = "auth.rate_limited"
        return render_template("auth/login.html", lang=lang, error=error, email=email), 429
    user = db.get_user_by_email(database, email) if email else None
    valid = check_password_hash(user["password_hash"] if user else _DUMMY_HASH, password)
    if not (user and valid and user["active"]):
        db.record_attempt(database, "login", email, address)
        db.audit(database, email or "-", "login.failed", address=address)
        error = "auth.failed"
        return render_template("auth/login.html", lang=lang, error=error, email=email), 401
    session.clear()  # a new session for a new sign-in: no fixation
    session["uid"] = user["id"]
    session["seen"] = int(time.time())
    db.clear_attempts(database, "login", email)
    db.audit(database, user["email"], "login.ok", address=address)
    return redirect(_safe_next(request.args.get("next")) or landing_page(user))


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    if request.method != "POST":  # GET and HEAD only show the form
        return render_template("auth/logout.html", lang=ui_language())
    if g.user is not None:
        db.audit(get_db(), g.user["email"], "logout")
    session.clear()
    return redirect(url_for("auth.login"))
