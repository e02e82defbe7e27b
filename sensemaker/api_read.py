"""The read API for analysts: surveys, their definitions and their fragments, by token.

Every view here needs `Authorization: Bearer <token>` (see `sensemaker.tokens`) and reads
only surveys the token's user is assigned to. A signed-in session is deliberately NOT
accepted instead of a token: a browser attaches its session cookie to any GET it is made
to send, also a top-level navigation started by a page on another site (SameSite=Lax lets
those through), so a cookie would let such a page pull stories. A token is only sent by a
client that was given it on purpose. These are GET views, so the CSRF check does not apply.
"""

import base64
import binascii
import re
from datetime import UTC, datetime
from functools import wraps

from flask import Response, g, jsonify, request, stream_with_context

from . import db, privacy, tokens
from . import export as exports
from .api import bp
from .i18n import gettext
from .openapi import document
from .web import get_db, json_errors, language

DEFAULT_LIMIT, MAX_LIMIT = 100, 1000
MASK_SETTING = "export_mask_personal_data"
_DIGITS = re.compile(r"^[0-9]{1,7}$")


def _lang() -> str:
    """`?lang=`, else the token user's own language, else the request's."""
    if request.args.get("lang") in ("sv", "en"):
        return request.args["lang"]
    token = g.get("token")
    return token["language"] if token else language()


def token_required(view):
    """401 with `WWW-Authenticate: Bearer` unless the request carries a working token."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        token, reason = tokens.authenticate(get_db(), request.headers.get("Authorization"))
        if token is None:
            response, status = json_errors(401, {"token": gettext(reason, _lang())})
            # RFC 6750: no error code when no token was sent at all.
            challenge = 'Bearer realm="sensemaker"'
            if reason != "token.missing":
                challenge += ', error="invalid_token"'
            response.headers["WWW-Authenticate"] = challenge
            return response, status
        g.token = token
        return view(*args, **kwargs)

    return wrapped


def _readable(survey_id: str):
    """The survey, or an error response: 404 unknown, 403 when the user is not assigned."""
    database = get_db()
    survey = db.get_survey(database, survey_id)
    if survey is None:
        return None, json_errors(404, {"survey": gettext("survey.not_found", _lang())})
    if not db.is_assigned(database, g.token["user_id"], survey_id):
        return None, json_errors(403, {"access": gettext("apiread.not_assigned", _lang())})
    return survey, None


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of every /api/v1 route; public, it holds no data."""
    return jsonify(document())


@bp.get("/surveys")
@token_required
def surveys():
    """The surveys this token may read, with their versions and number of stories."""
    database = get_db()
    assigned = set(db.assigned_surveys(database, g.token["user_id"]))
    listed = []
    for row in db.list_surveys(database):
        if row["id"] in assigned:
            survey = db.get_survey(database, row["id"])
            listed.append({
                "id": row["id"],
                "title": survey.definition["title"],
                "version": row["version"],
                "versions": db.survey_versions(database, row["id"]),
                "fragments": row["fragments"],
            })  # fmt: skip
    return jsonify({"surveys": listed})


@bp.get("/surveys/<survey_id>")
@token_required
def survey(survey_id: str):
    """A survey's definition as loaded (every language), the current or `?version=N`."""
    current, error = _readable(survey_id)
    if error:
        return error
    definition = current
    version = request.args.get("version")
    if version is not None:
        if not _DIGITS.match(version):
            return json_errors(400, {"version": gettext("apiread.bad_version", _lang())})
        definition = db.get_survey(get_db(), survey_id, int(version))
        if definition is None:
            return json_errors(404, {"version": gettext("apiread.no_version", _lang())})
    return jsonify({
        "id": survey_id,
        "version": definition.version,
        "current_version": current.version,
        "versions": db.survey_versions(get_db(), survey_id),
        "definition": definition.definition,
    })  # fmt: skip


def encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"seq:{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int | None:
    """The seq a cursor stands for, or None when it is not one this API made."""
    if len(cursor) > 40:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, ValueError):
        return None
    kind, _, seq = text.partition(":")
    if kind != "seq" or not seq.isdigit() or not seq.isascii() or len(seq) > 18:
        return None
    return int(seq)


def parse_since(value: str) -> str | None:
    """An ISO-8601 time as stored (UTC, milliseconds); a time without zone is UTC."""
    if len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC).isoformat(timespec="milliseconds")
    except OverflowError:  # e.g. 0001-01-01T00:00-01:00 has no UTC time
        return None


def _page_arguments() -> tuple[dict, dict]:
    """limit, after_seq and since from the query string, and problems by parameter."""
    lang, problems = _lang(), {}
    arguments = {"limit": DEFAULT_LIMIT, "after_seq": 0, "since": None}
    limit = request.args.get("limit")
    if limit is not None:
        if _DIGITS.match(limit) and 1 <= int(limit) <= MAX_LIMIT:
            arguments["limit"] = int(limit)
        else:
            problems["limit"] = gettext("apiread.bad_limit", lang, max=MAX_LIMIT)
    cursor = request.args.get("cursor")
    if cursor is not None:
        seq = decode_cursor(cursor)
        if seq is None:
            problems["cursor"] = gettext("apiread.bad_cursor", lang)
        else:
            arguments["after_seq"] = seq
    since = request.args.get("since")
    if since is not None:
        arguments["since"] = parse_since(since)
        if arguments["since"] is None:
            problems["since"] = gettext("apiread.bad_since", lang)
    return arguments, problems


def masked(record: dict, survey, lang: str) -> dict:
    """The record with personal data in everything the teller typed replaced."""
    record = dict(record)
    for field in ("title", "story"):
        if record[field]:
            record[field] = privacy.mask(record[field], lang=lang)
    answers = dict(record["answers"])
    for question_id, answer in answers.items():
        question = survey.questions.get(question_id)
        if question is not None and question.kind == "text" and isinstance(answer, str):
            answers[question_id] = privacy.mask(answer, lang=lang)
        elif isinstance(answer, dict) and isinstance(answer.get("other"), str):
            answers[question_id] = {**answer, "other": privacy.mask(answer["other"], lang=lang)}
    record["answers"] = answers
    return record


@bp.get("/surveys/<survey_id>/fragments")
@token_required
def fragments(survey_id: str):
    """A page of the survey's fragments in a stable order, and the cursor for the next."""
    current, error = _readable(survey_id)
    if error:
        return error
    arguments, problems = _page_arguments()
    if problems:
        return json_errors(400, problems)
    database = get_db()
    limit = arguments["limit"]
    rows = db.fragment_page(database, survey_id, after_seq=arguments["after_seq"],
                            since=arguments["since"], limit=limit + 1)  # fmt: skip
    more = len(rows) > limit
    rows = rows[:limit]
    mask = db.get_setting(database, MASK_SETTING, "on") != "off"
    placeholders = _lang()
    next_cursor = encode_cursor(rows[-1]["seq"]) if more else None
    page = []
    for row in rows:
        del row["seq"]  # an internal key; the cursor stands for it
        if mask:
            survey = db.get_survey(database, survey_id, row["survey_version"]) or current
            row = masked(row, survey, placeholders)
        page.append(row)
    db.audit(database, g.token["email"], "api.read", survey_id=survey_id,
             target=f"token {g.token['id']}", fragments=len(page), masked=mask)  # fmt: skip
    return jsonify({"survey_id": survey_id, "fragments": page, "next_cursor": next_cursor})


# Which query parameter an export refusal is about, by its message key.
_EXPORT_PARAMETERS = {"export.format": "format", "export.layout": "layout", "export.run": "run"}


@bp.get("/surveys/<survey_id>/export")
@token_required
def export(survey_id: str):
    """The survey as a file, streamed: `?format=` csv (default), csv-excel-sv, xlsx, json,
    parquet or zip; `run=` a cluster run's id; `filter=` (repeatable); `layout=` wide or
    long. The export module checks the request and writes the audit entry."""
    _, error = _readable(survey_id)
    if error:
        return error
    lang = _lang()
    run = request.args.get("run")
    if run is not None and not _DIGITS.match(run):
        return json_errors(400, {"run": gettext("export.run", lang, run=run[:20])})
    try:
        result = exports.export(
            get_db(), survey_id, request.args.get("format", "csv"),
            run_id=None if run is None else int(run), filters=request.args.getlist("filter"),
            layout=request.args.get("layout", "wide"), actor=g.token["email"], lang=lang,
        )  # fmt: skip
    except exports.ExportError as refused:
        field = _EXPORT_PARAMETERS.get(refused.key, "filter")
        return json_errors(400, {field: refused.message(lang)})
    response = Response(stream_with_context(result.chunks), content_type=result.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    return response
