"""Cross-site request forgery: a token per session on every form, an origin check on JSON.

HTML forms carry the session's token in a hidden `csrf_token` field. The JSON submission
endpoint is used by the capture form and by other clients; a browser on another site can
only reach it with an `Origin` header naming that site, which is refused.
"""

import hmac
import secrets
from urllib.parse import urlsplit

from flask import abort, request, session

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def from_elsewhere(request) -> bool:
    """True when the browser says the request (Flask's or Werkzeug's) comes from another site.

    Browsers send `Origin` (and `Sec-Fetch-Site`) on every cross-site POST; clients that
    send neither are not browsers and cannot be tricked into a request by a web page.
    """
    if request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site"):
        return True
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    parts = urlsplit(origin)
    return parts.netloc != request.host or parts.scheme != request.scheme


def protect():
    """Before each request: refuse unsafe methods without a valid token or from elsewhere."""
    if request.method not in UNSAFE:
        return
    if request.path.startswith("/api/"):
        if from_elsewhere(request):
            abort(403)
        return
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    expected = session.get("csrf")
    if not expected or not hmac.compare_digest(sent, expected):
        abort(400, description="csrf")
