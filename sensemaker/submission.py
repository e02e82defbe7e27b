"""Taking in one fragment: `POST /api/v1/surveys/<id>/fragments`, the route tablets hit in bulk.

`submit` does the work and knows nothing of the web framework, so it has two doors:

- `FragmentDoor`, a WSGI layer in front of Flask that answers this one method and path
  itself. Through Flask a submission cost the server about 1.5 times the CPU it costs
  here (request and session contexts, hooks, response objects), and capture throughput
  is what a server full of tablets needs most. It keeps the checks every route shares:
  the cross-site origin check (`csrf.from_elsewhere`), the size limit, the security headers
  (`web.SECURITY_HEADERS`), JSON errors in the request's language.
- the Flask view in `api.py`, for the same URL, which answers the same way; it is what
  `url_for`, the route table and the OpenAPI description see, and it is reached whenever
  the app is called without the door. tests/test_submission.py holds the two to the
  same answers.

The teller's language for error messages is worked out only when there is an error.
"""

import re
from dataclasses import dataclass

import orjson
from werkzeug.wrappers import Request

from . import collection, db, fragments, intake, withdrawal
from .csrf import from_elsewhere
from .i18n import gettext
from .web import SECURITY_HEADERS, request_language, thread_db


@dataclass(frozen=True)
class Reply:
    status: int
    body: dict


def _errors(status: int, **errors: str) -> Reply:
    return Reply(status, {"errors": errors})


def _too_large(lang: str) -> Reply:
    return _errors(413, body=gettext("request.too_large", lang,
                                     max=fragments.MAX_REQUEST_BYTES // 1024))  # fmt: skip


def submit(database, path: str, secret: str | bytes, survey_id: str, request: Request,
           limit: int, shared: bool = False) -> Reply:  # fmt: skip
    """Validate, admit and store one fragment. 201 new, 200 the same body again, 409 a
    different body under a stored id, 403 refused by the survey's collection mode.

    `database` is a connection for reading, `path` the database file the stories go to,
    `request` Flask's or a plain Werkzeug request, `limit` the body's largest size in
    bytes, `shared` whether the server's processes share one writer (`db.store_fragment`).
    """

    def lang() -> str:
        return request_language(request)

    token = request.headers.get(collection.TOKEN_HEADER)
    held = db.held_open(path, survey_id) if token is None else None
    survey = current = held or db.get_survey(database, survey_id)
    if survey is None:
        return _errors(404, survey=gettext("survey.not_found", lang()))
    if not request.is_json:
        return _errors(415, body=gettext("request.not_json", lang()))
    data = _body(request, limit)
    if data is None:
        return _too_large(lang())
    try:
        body, sha = fragments.read_body(data)
    except ValueError:
        return _errors(422, body=gettext("request.bad_json", lang()))
    version = body.get("survey_version") if isinstance(body, dict) else None
    if type(version) is int and 0 < version < 2**63 and version != survey.version:
        # A story told against an older version is read against that version's questions
        # (`type` leaves out bools; the bound is SQLite's INTEGER).
        survey = db.get_survey(database, survey_id, version) or survey
    try:
        fragment = fragments.parse(body, survey)
    except fragments.FragmentInvalid as invalid:
        language = invalid.language or lang()
        return Reply(422, {"errors": {
            field: gettext(key, language, **params)
            for field, (key, params) in invalid.errors.items()
        }})  # fmt: skip
    if held is not None:  # open to all a moment ago; the writer checks it still is
        admission = collection.Admission(True)
    else:
        admission = collection.admit(database, survey.id, token)
        if token is None and admission.allowed:
            db.hold_open(path, current)
    return _store(database, path, secret, survey, fragment, sha, lang, token, shared,
                  admission)  # fmt: skip


def _body(request: Request, limit: int) -> bytes | None:
    """The body, read by its length when sent (no buffer of the limit's size), else up to
    one byte past the limit; None when it is over the limit."""
    length = request.content_length
    if length is not None and length > limit:
        return None
    data = request.stream.read(limit + 1 if length is None else length)
    return None if len(data) > limit else data


def _store(database, path, secret, survey, fragment, sha, lang, token, shared,
           admission) -> Reply:  # fmt: skip
    """Scan and store a valid, admitted fragment; the teller gets a receipt code back."""
    receipt = withdrawal.receipt_for(fragment.id, secret)  # the same code again on a retry
    if not admission.allowed:
        # A story stored before the survey closed is still acknowledged on a retry.
        if db.existing_outcome(database, fragment.id, sha) == db.DUPLICATE:
            return _stored(fragment, db.DUPLICATE, receipt)
        return _errors(403, collection=gettext(admission.reason, fragment.language or lang()))
    link_id = admission.link["id"] if admission.link else None
    # Taken without a working link, a story is stored only while the survey is still open
    # to all: that is what admitted it.
    stored = intake.prepare(fragment, survey, sha, link_id=link_id, receipt=receipt,
                            while_open=link_id is None)  # fmt: skip
    outcome = db.store_fragment(path, fragment, stored, shared=shared)
    if outcome == db.CLOSED:  # since it was read or held: say why, as read now
        reason = collection.admit(database, survey.id, token).reason or "collection.closed"
        return _errors(403, collection=gettext(reason, fragment.language or lang()))
    if outcome == db.CONFLICT:
        return _errors(409, id=gettext("fragment.conflict", fragment.language or lang()))
    if outcome == db.LINK_FULL:
        return _errors(403, collection=gettext("collection.full", fragment.language or lang()))
    return _stored(fragment, outcome, receipt)


def _stored(fragment, outcome: str, receipt: str) -> Reply:
    body = {"id": fragment.id, "status": outcome, "receipt": receipt}
    return Reply(201 if outcome == db.CREATED else 200, body)


_PATH = re.compile(r"/api/v1/surveys/([^/]+)/fragments")
_REASONS = {200: "OK", 201: "CREATED", 403: "FORBIDDEN", 404: "NOT FOUND", 409: "CONFLICT",
            413: "REQUEST ENTITY TOO LARGE", 415: "UNSUPPORTED MEDIA TYPE",
            422: "UNPROCESSABLE ENTITY", 500: "INTERNAL SERVER ERROR"}  # fmt: skip


class FragmentDoor:
    """WSGI middleware: fragment submissions are answered here, all else goes to `inner`."""

    def __init__(self, app, inner):
        self.app = app
        self.inner = inner

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "POST":
            return self.inner(environ, start_response)
        match = _PATH.fullmatch(environ.get("PATH_INFO", ""))
        if match is None:
            return self.inner(environ, start_response)
        request = Request(environ)
        try:
            reply = self._answer(request, _path_segment(match[1]))
        except Exception:
            propagate = self.app.config["PROPAGATE_EXCEPTIONS"]
            if propagate or (propagate is None and (self.app.testing or self.app.debug)):
                raise
            # As Flask logs a failed request: the route and the traceback, never the body.
            self.app.logger.exception("Exception on %s [POST]", environ.get("PATH_INFO"))
            reply = _errors(500, server=gettext("page.error_text", request_language(request)))
        # The object Flask's jsonify would send, keys sorted, as UTF-8 without spaces: a third
        # of the cost of Flask's JSON provider. Clients read both alike.
        payload = orjson.dumps(reply.body, option=orjson.OPT_SORT_KEYS) + b"\n"
        start_response(f"{reply.status} {_REASONS[reply.status]}", [
            ("Content-Type", "application/json"), ("Content-Length", str(len(payload))),
            *SECURITY_HEADERS, ("Cache-Control", "no-store"),
        ])  # fmt: skip
        return [payload]

    def _answer(self, request: Request, survey_id: str) -> Reply:
        if from_elsewhere(request):
            return _errors(403, access=gettext("page.forbidden_text", request_language(request)))
        config = self.app.config
        return submit(thread_db(self.app), config["DATABASE"], config["SECRET_KEY"], survey_id,
                      request, config["MAX_CONTENT_LENGTH"], config["SHARED_WRITER"])  # fmt: skip


def _path_segment(raw: str) -> str:
    """A WSGI path segment as text: PEP 3333 hands over the URL's bytes as latin-1."""
    return raw.encode("latin-1").decode("utf-8", "replace")
