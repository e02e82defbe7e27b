"""The JSON API: fragments come in here, from the form, the tablets and other clients."""

import json

from flask import Blueprint, abort, current_app, jsonify, request

from . import db, fragments
from .i18n import gettext
from .web import get_db, json_errors, language

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _reject_constant(name):
    raise ValueError(f"{name} is not JSON")


def _read_json():
    """The request body as JSON, or raise ValueError; NaN, Infinity and deep nesting fail."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    data = request.stream.read(limit + 1)
    if len(data) > limit:
        abort(413)
    try:
        return json.loads(data, parse_constant=_reject_constant)
    except (ValueError, RecursionError, UnicodeDecodeError) as error:
        raise ValueError("bad json") from error


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
        body = _read_json()
    except ValueError:
        return json_errors(422, {"body": gettext("request.bad_json", lang)})
    if isinstance(body, dict) and isinstance(body.get("survey_version"), int):
        # A story told against an older version is read against that version's questions.
        survey = db.get_survey(get_db(), survey_id, body["survey_version"]) or survey
    try:
        fragment = fragments.parse(body, survey)
    except fragments.FragmentInvalid as invalid:
        lang = invalid.language or lang
        errors = {
            field: gettext(key, lang, **params) for field, (key, params) in invalid.errors.items()
        }
        return json_errors(422, errors)
    outcome = db.insert_fragment(get_db(), fragment, fragments.body_hash(body))
    if outcome == db.CONFLICT:
        return json_errors(409, {"id": gettext("fragment.conflict", fragment.language)})
    status = 201 if outcome == db.CREATED else 200
    return jsonify({"id": fragment.id, "status": outcome}), status
