"""The JSON API: fragments come in here, from the form, the tablets and other clients."""

from flask import Blueprint, abort, current_app, jsonify, request

from . import collection, db, fragments, intake, withdrawal
from .i18n import gettext
from .web import get_db, json_errors, language

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _read_json():
    """The request body as JSON and its hash (see `fragments.read_body`), or ValueError."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    data = request.stream.read(limit + 1)
    if len(data) > limit:
        abort(413)
    return fragments.read_body(data)


@bp.get("/health")
def health():
    """A liveness check for load balancers and monitoring; touches no data."""
    return jsonify({"status": "ok"})


@bp.post("/surveys/<survey_id>/fragments")
def submit_fragment(survey_id: str):
    """Store one fragment. 201 new, 200 the same body again, 409 a different body."""
    lang = language()
    survey = db.get_survey(get_db(), survey_id)
    if survey is None:
        return json_errors(404, {"survey": gettext("survey.not_found", lang)})
    if not request.is_json:
        return json_errors(415, {"body": gettext("request.not_json", lang)})
    try:
        body, sha = _read_json()
    except ValueError:
        return json_errors(422, {"body": gettext("request.bad_json", lang)})
    version = body.get("survey_version") if isinstance(body, dict) else None
    if type(version) is int and 0 < version < 2**63 and version != survey.version:
        # A story told against an older version is read against that version's questions
        # (`type` leaves out bools; the bound is SQLite's INTEGER).
        survey = db.get_survey(get_db(), survey_id, version) or survey
    try:
        fragment = fragments.parse(body, survey)
    except fragments.FragmentInvalid as invalid:
        lang = invalid.language or lang
        errors = {
            field: gettext(key, lang, **params) for field, (key, params) in invalid.errors.items()
        }
        return json_errors(422, errors)
    return _store(survey, fragment, sha, lang)


def _store(survey, fragment, sha: str, lang: str):
    """Admit, scan and store a valid fragment; the teller gets a receipt code back."""
    database = get_db()
    lang = fragment.language or lang
    admission = collection.admit(database, survey.id, request.headers.get(collection.TOKEN_HEADER))
    receipt = withdrawal.receipt_for(fragment.id)  # the same code again on a retry
    if not admission.allowed:
        # A story stored before the survey closed is still acknowledged on a retry.
        if db.existing_outcome(database, fragment.id, sha) == db.DUPLICATE:
            return _stored(fragment, db.DUPLICATE, receipt)
        return json_errors(403, {"collection": gettext(admission.reason, lang)})
    link_id = admission.link["id"] if admission.link else None
    stored = intake.prepare(fragment, survey, sha, link_id=link_id, receipt=receipt)
    outcome = db.store_fragment(current_app.config["DATABASE"], fragment, stored)
    if outcome == db.CONFLICT:
        return json_errors(409, {"id": gettext("fragment.conflict", lang)})
    if outcome == db.LINK_FULL:
        return json_errors(403, {"collection": gettext("collection.full", lang)})
    return _stored(fragment, outcome, receipt)


def _stored(fragment, outcome: str, receipt: str):
    body = {"id": fragment.id, "status": outcome, "receipt": receipt}
    return jsonify(body), 201 if outcome == db.CREATED else 200


from . import api_read  # noqa: E402,F401  (the read API's views register on bp)
