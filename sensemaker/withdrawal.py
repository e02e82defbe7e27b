"""A teller's receipt code, and withdrawing a story with it at /withdraw.

The code is derived from the fragment id with a keyed hash, so a retried submission gets
the same code back without the server keeping it; only the code's own hash is stored.
Withdrawal deletes the row for real, and the audit log keeps only that it happened.
"""

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from flask import Blueprint, current_app, render_template, request

from . import db
from .auth import client_address
from .web import get_db, language

bp = Blueprint("withdrawal", __name__)

# Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 60 bits
ATTEMPT_LIMIT = 20  # wrong codes per address per hour
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def receipt_for(fragment_id: str, secret: str | bytes | None = None) -> str:
    """The receipt code for a fragment, e.g. `7KQ2-M9TX-4HRB`."""
    key = secret if secret is not None else current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    digest = hmac.new(key, f"receipt:{fragment_id}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big") >> (64 - 5 * CODE_LENGTH)
    chars = [ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(CODE_LENGTH))]
    return "-".join("".join(chars[i : i + 4]) for i in range(0, CODE_LENGTH, 4))


def normalise(code: str) -> str:
    return "".join(ch for ch in code.upper().translate(_CONFUSABLE) if ch in ALPHABET)


def receipt_hash(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


@bp.route("/withdraw", methods=["GET", "POST"])
def withdraw():
    lang = language()
    if request.method != "POST":  # GET and HEAD only show the form
        return render_template("withdrawal/form.html", lang=lang, result=None)
    database = get_db()
    address = client_address()
    since = (datetime.now(UTC) - timedelta(hours=1)).isoformat(timespec="milliseconds")
    if db.count_attempts(database, "withdraw", since, address=address) >= ATTEMPT_LIMIT:
        return render_template("withdrawal/form.html", lang=lang, result="limited"), 429
    code = normalise(request.form.get("code", "")[:64])
    removed = db.delete_by_receipt(database, receipt_hash(code)) if len(code) == 12 else None
    if removed is None:
        db.record_attempt(database, "withdraw", "", address)
        return render_template("withdrawal/form.html", lang=lang, result="unknown"), 404
    db.audit(database, "teller", "fragment.withdrawn", survey_id=removed["survey_id"],
             target=removed["id"])  # fmt: skip
    return render_template("withdrawal/form.html", lang=lang, result="done")
