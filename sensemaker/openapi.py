"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json.

Written by hand as a dict, next to the views it describes; tests/test_openapi.py runs
schemathesis against the app to check that the server does what this says, and that every
/api/v1 route is in it.
"""

from functools import cache

from .export import FORMATS as EXPORT_FORMATS
from .export import LAYOUTS as EXPORT_LAYOUTS
from .export import MIMETYPES as EXPORT_MIMETYPES
from .fragments import MAX_REQUEST_BYTES

TEXT = {"type": "string"}
NULLABLE_TEXT = {"type": ["string", "null"]}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description: str) -> dict:
    return _json(_ref("Errors"), description)


UNAUTHORIZED = {
    **_error("No token, or one that is unknown, revoked, expired or whose user is disabled."),
    "headers": {"WWW-Authenticate": {"schema": TEXT, "description": "Bearer"}},
}
LANG = {
    "name": "lang",
    "in": "query",
    "required": False,
    "description": "Language of messages: sv or en (else the user's or the browser's).",
    "schema": {"type": "string"},
}
SURVEY_ID = {
    "name": "survey_id",
    "in": "path",
    "required": True,
    "description": "The survey's id (its file name without .yaml).",
    "schema": {"type": "string"},
}
BEARER = [{"bearer": []}]

SCHEMAS = {
    "Errors": {
        "type": "object",
        "description": "One message per field, parameter or question id, in the user's language.",
        "properties": {"errors": {"type": "object", "additionalProperties": TEXT}},
        "required": ["errors"],
    },
    "Text": {
        "description": "A survey text: one string for every language, or one per language.",
        "oneOf": [TEXT, {"type": "object", "additionalProperties": TEXT}],
    },
    "SurveySummary": {
        "type": "object",
        "properties": {
            "id": TEXT,
            "title": _ref("Text"),
            "version": {"type": "integer"},
            "versions": {"type": "array", "items": {"type": "integer"}},
            "fragments": {"type": "integer", "minimum": 0},
        },
        "required": ["id", "title", "version", "versions", "fragments"],
    },
    "SurveyDefinition": {
        "type": "object",
        "properties": {
            "id": TEXT,
            "version": {"type": "integer", "description": "The version shown."},
            "current_version": {"type": "integer"},
            "versions": {"type": "array", "items": {"type": "integer"}},
            "definition": {
                "type": "object",
                "description": "The survey file as loaded, every language (docs/surveys.md).",
            },
        },
        "required": ["id", "version", "current_version", "versions", "definition"],
    },
    "FragmentBody": {
        "type": "object",
        "description": "One story and its signification, as the form sends it (docs/api.md).",
        "properties": {
            "id": {"type": "string", "description": "A UUID, canonical lower-case text."},
            "language": TEXT,
            "prompt": NULLABLE_TEXT,
            "title": NULLABLE_TEXT,
            "story": TEXT,
            "consent": {"type": ["boolean", "null"]},
            "collected_at": {"type": "string", "description": "ISO 8601, the client's clock."},
            "survey_version": {"type": "integer"},
            "answers": {
                "type": "object",
                "description": "By question id; the shape depends on the kind (docs/api.md).",
            },
        },
        "required": ["id", "language", "story", "collected_at"],
    },
    "StoredFragment": {
        "allOf": [
            _ref("FragmentBody"),
            {
                "type": "object",
                "properties": {
                    "received_at": {"type": "string", "description": "Server clock, UTC."},
                    "source": {"type": "string", "enum": ["capture", "generated", "import"]},
                },
                "required": ["survey_version", "answers", "received_at", "source"],
            },
        ]
    },
    "FragmentPage": {
        "type": "object",
        "properties": {
            "survey_id": TEXT,
            "fragments": {"type": "array", "items": _ref("StoredFragment")},
            "next_cursor": {
                "type": ["string", "null"],
                "description": "Pass as `cursor` for the next page; null on the last page.",
            },
        },
        "required": ["survey_id", "fragments", "next_cursor"],
    },
    "Stored": {
        "type": "object",
        "properties": {
            "id": TEXT,
            "status": {"type": "string", "enum": ["created", "duplicate"]},
            "receipt": {"type": "string", "description": "The teller's withdrawal code."},
        },
        "required": ["id", "status", "receipt"],
    },
}


def _paths() -> dict:
    read_errors = {
        "401": UNAUTHORIZED,
        "403": _error("The token's user is not assigned to this survey."),
        "404": _error("No such survey."),
    }
    return {
        "/api/v1/health": {
            "get": {
                "operationId": "health",
                "summary": "Liveness check; touches no data.",
                "security": [],
                "responses": {
                    "200": _json(
                        {"type": "object", "properties": {"status": {"const": "ok"}}}, "Up."
                    )
                },
            }
        },
        "/api/v1/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This document.",
                "security": [],
                "responses": {"200": _json({"type": "object"}, "The OpenAPI document.")},
            }
        },
        "/api/v1/kiosk/status": {
            "post": {
                "operationId": "kiosk_status",
                "summary": "A kiosk tablet's report on its outbox; never any story text.",
                "security": [],
                "parameters": [
                    LANG,
                    {
                        "name": "X-Collection-Token",
                        "in": "header",
                        "required": False,
                        "description": "The kiosk's token (a teller's link is not one).",
                        "schema": {"type": "string"},
                    },
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "waiting": {"type": "integer", "minimum": 0},
                                    "oldest_waiting": {
                                        "type": ["string", "null"],
                                        "description": "ISO 8601 with a time zone.",
                                    },
                                    "attention": {"type": "integer", "minimum": 0},
                                },
                                "required": ["waiting"],
                                "additionalProperties": False,
                            }
                        }
                    },
                },
                "responses": {
                    "204": {"description": "Stored."},
                    "403": _error("No working kiosk token, or sent from another site."),
                    "413": _error(f"Larger than {MAX_REQUEST_BYTES // 1024} kB."),
                    "415": _error("Not sent as application/json."),
                    "422": _error("Invalid: one message per field."),
                },
            }
        },
        "/api/v1/surveys": {
            "get": {
                "operationId": "surveys",
                "summary": "The surveys the token's user is assigned to.",
                "parameters": [LANG],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {
                                "surveys": {"type": "array", "items": _ref("SurveySummary")}
                            },
                            "required": ["surveys"],
                        },
                        "The readable surveys.",
                    ),
                    "401": UNAUTHORIZED,
                },
            }
        },
        "/api/v1/surveys/{survey_id}": {
            "get": {
                "operationId": "survey",
                "summary": "A survey's definition in every language, and its versions.",
                "parameters": [
                    SURVEY_ID,
                    LANG,
                    {
                        "name": "version",
                        "in": "query",
                        "required": False,
                        "description": "A stored version; the current one if left out.",
                        "schema": {"type": "integer", "minimum": 1},
                    },
                ],
                "responses": {
                    "200": _json(_ref("SurveyDefinition"), "The definition."),
                    "400": _error("The version is not a number."),
                    **read_errors,
                },
            }
        },
        "/api/v1/surveys/{survey_id}/export": {
            "get": {
                "operationId": "export",
                "summary": "The survey's stories as a file with its codebook (docs/exports.md).",
                "description": (
                    "Streamed. Personal data is masked as for the fragments; the export is "
                    "written to the audit log."
                ),
                "parameters": [
                    SURVEY_ID,
                    LANG,
                    {
                        "name": "format",
                        "in": "query",
                        "required": False,
                        "description": "The file format (default csv).",
                        "schema": {"type": "string", "enum": list(EXPORT_FORMATS)},
                    },
                    {
                        "name": "layout",
                        "in": "query",
                        "required": False,
                        "description": "wide (default): a row per story; long: a row per "
                        "answer (csv, json, parquet, zip).",
                        "schema": {"type": "string", "enum": list(EXPORT_LAYOUTS)},
                    },
                    {
                        "name": "run",
                        "in": "query",
                        "required": False,
                        "description": "A stored cluster run of this survey: adds its clusters.",
                        "schema": {"type": "integer", "minimum": 1},
                    },
                    {
                        "name": "filter",
                        "in": "query",
                        "required": False,
                        "description": "key=value, repeatable, e.g. role=patient, from=2026-01-31.",
                        "schema": {"type": "array", "items": {"type": "string"}},
                        "style": "form",
                        "explode": True,
                    },
                ],
                "responses": {
                    "200": {
                        "description": "The file, as an attachment.",
                        "headers": {"Content-Disposition": {"schema": TEXT}},
                        "content": {
                            mimetype.split(";")[0]: {
                                "schema": {"type": "string", "format": "binary"}
                            }
                            for mimetype in dict.fromkeys(EXPORT_MIMETYPES.values())
                        },
                    },
                    "400": _error("A bad format, layout, run or filter."),
                    **read_errors,
                },
            }
        },
        "/api/v1/surveys/{survey_id}/fragments": {
            "get": {
                "operationId": "fragments",
                "summary": "A page of stored fragments, oldest first (stable order).",
                "description": (
                    "Personal data in what tellers typed is masked while the admin setting "
                    "export_mask_personal_data is on (the default). Every page read is "
                    "written to the audit log with the number of fragments, never their text."
                ),
                "parameters": [
                    SURVEY_ID,
                    LANG,
                    {
                        "name": "limit",
                        "in": "query",
                        "required": False,
                        "description": "Fragments per page, 1 to 1000 (default 100).",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 1000},
                    },
                    {
                        "name": "cursor",
                        "in": "query",
                        "required": False,
                        "description": "The next_cursor of the previous page.",
                        "schema": {"type": "string"},
                    },
                    {
                        "name": "since",
                        "in": "query",
                        "required": False,
                        "description": "Only fragments received at or after this ISO 8601 time "
                        "(UTC when it names no zone).",
                        "schema": {"type": "string"},
                    },
                ],
                "responses": {
                    "200": _json(_ref("FragmentPage"), "One page."),
                    "400": _error("A bad limit, cursor or since."),
                    **read_errors,
                },
            },
            "post": {
                "operationId": "submit_fragment",
                "summary": "Store one fragment: 201 new, 200 the same body again.",
                "security": [],
                "parameters": [
                    SURVEY_ID,
                    LANG,
                    {
                        "name": "X-Collection-Token",
                        "in": "header",
                        "required": False,
                        "description": "The link or kiosk token, when the survey needs one.",
                        "schema": {"type": "string"},
                    },
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("FragmentBody")}},
                },
                "responses": {
                    "200": _json(_ref("Stored"), "Stored before: a harmless retry."),
                    "201": _json(_ref("Stored"), "Stored."),
                    "400": _error("The request could not be read."),
                    "403": _error("The survey does not collect now, or not without a link."),
                    "404": _error("No such survey."),
                    "409": _error("A different fragment is stored under this id."),
                    "413": _error(f"Larger than {MAX_REQUEST_BYTES // 1024} kB."),
                    "415": _error("Not sent as application/json."),
                    "422": _error("Invalid: one message per field or question."),
                },
            },
        },
    }


@cache
def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Sensemaker API",
            "version": "1",
            "description": (
                "Stories come in through POST .../fragments (the form, tablets, other "
                "clients). Analysts read surveys and fragments with a token made by "
                "`sensemaker token create EMAIL`, sent as `Authorization: Bearer <token>`; "
                "a token reads only the surveys its user is assigned to. See docs/api.md."
            ),
        },
        "paths": _paths(),
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": BEARER,
    }
