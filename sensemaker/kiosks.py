"""Kiosk tablets: their reports about stories waiting to be sent, and the staff view of them.

A kiosk tablet that has been offline keeps stories in its outbox until the network comes
back. When it is online it tells the server how many are waiting (never what they say), so
a facilitator can see a tablet that has not sent for a while and go and look at it.
"""

from datetime import UTC, datetime, timedelta

from flask import Blueprint, abort, g, render_template, request

from . import collection, db
from .auth import require_assignment, roles_required, ui_language
from .i18n import gettext
from .web import get_db, json_errors, language

bp = Blueprint("kiosks", __name__)

MAX_COUNT = 1_000_000
FIELDS = {"waiting", "oldest_waiting", "attention"}
# Stories waiting longer than this are shown as a problem to look into.
STUCK_AFTER = timedelta(hours=1)


def _count(value) -> int | None:
    return value if type(value) is int and 0 <= value <= MAX_COUNT else None


def _moment(value) -> str | None:
    """An ISO 8601 date and time with a time zone, or None when it is not one."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if moment.tzinfo is not None else None


def parse_report(body) -> tuple[dict, dict[str, str]]:
    """The report's values and the message key of each field that is wrong."""
    if not isinstance(body, dict):
        return {}, {"body": "kiosks.report_body"}
    errors = {field: "kiosks.report_unknown" for field in body.keys() - FIELDS}
    waiting = _count(body.get("waiting"))
    attention = _count(body.get("attention", 0))
    oldest = body.get("oldest_waiting")
    if waiting is None:
        errors["waiting"] = "kiosks.report_count"
    if attention is None:
        errors["attention"] = "kiosks.report_count"
    if oldest is not None and _moment(oldest) is None:
        errors["oldest_waiting"] = "kiosks.report_moment"
    report = {"waiting": waiting, "oldest_waiting": oldest, "attention": attention}
    return report, errors


@bp.post("/api/v1/kiosk/status")
def report():
    """A kiosk's report on its outbox: 204 stored, 403 without a working kiosk token."""
    lang = language()
    database = get_db()
    link = collection.find_link(database, request.headers.get(collection.TOKEN_HEADER))
    if link is None or link["kind"] != "kiosk" or link["revoked_at"]:
        return json_errors(403, {"kiosk": gettext("kiosks.bad_token", lang)})
    if not request.is_json:
        return json_errors(415, {"body": gettext("request.not_json", lang)})
    body = request.get_json(silent=True)
    values, errors = parse_report(body)
    if errors:
        return json_errors(422, {field: gettext(key, lang) for field, key in errors.items()})
    db.record_kiosk_status(database, link["id"], **values)
    return "", 204


@bp.get("/overview/kiosks/<survey_id>")
@roles_required("admin", "facilitator")
def overview(survey_id: str):
    """Per kiosk: its last story, its last report and what waits in its outbox."""
    database = get_db()
    survey = db.get_survey(database, survey_id) or abort(404)
    if g.user["role"] != "admin":
        # Admins made the kiosks; facilitators see those of the surveys they work with.
        require_assignment(survey_id)
    kiosks = db.kiosk_overview(database, survey_id)
    stuck_before = (datetime.now(UTC) - STUCK_AFTER).isoformat()
    for kiosk in kiosks:
        oldest = _moment(kiosk["oldest_waiting"])
        kiosk["stuck"] = (
            bool(kiosk["waiting"]) and oldest is not None and _utc(oldest) < stuck_before
        )
    lang = ui_language()
    return render_template("overview/kiosks.html", lang=lang, survey=survey, kiosks=kiosks)


def _utc(moment: str) -> str:
    return datetime.fromisoformat(moment.replace("Z", "+00:00")).astimezone(UTC).isoformat()
