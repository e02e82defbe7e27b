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
from .openapi_schemas import (
    BEARER,
    LANG,
    SCHEMAS,
    SURVEY_ID,
    TEXT,
    UNAUTHORIZED,
    error_answer,
    json_answer,
    schema_ref,
)


def _paths() -> dict:
    read_errors = {
        "401": UNAUTHORIZED,
        "403": error_answer("The token's user is not assigned to this survey."),
        "404": error_answer("No such survey."),
    }
    return {
        "/api/v1/health": {
            "get": {
                "operationId": "health",
                "summary": "Liveness check; touches no data.",
                "security": [],
                "responses": {
                    "200": json_answer(
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
                "responses": {"200": json_answer({"type": "object"}, "The OpenAPI document.")},
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
                    "403": error_answer("No working kiosk token, or sent from another site."),
                    "413": error_answer(f"Larger than {MAX_REQUEST_BYTES // 1024} kB."),
                    "415": error_answer("Not sent as application/json."),
                    "422": error_answer("Invalid: one message per field."),
                },
            }
        },
        "/api/v1/surveys": {
            "get": {
                "operationId": "surveys",
                "summary": "The surveys the token's user is assigned to.",
                "parameters": [LANG],
                "responses": {
                    "200": json_answer(
                        {
                            "type": "object",
                            "properties": {
                                "surveys": {"type": "array", "items": schema_ref("SurveySummary")}
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
                    "200": json_answer(schema_ref("SurveyDefinition"), "The definition."),
                    "400": error_answer("The version is not a number."),
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
                    "400": error_answer("A bad format, layout, run or filter."),
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
                    "200": json_answer(schema_ref("FragmentPage"), "One page."),
                    "400": error_answer("A bad limit, cursor or since."),
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
                    "content": {"application/json": {"schema": schema_ref("FragmentBody")}},
                },
                "responses": {
                    "200": json_answer(schema_ref("Stored"), "Stored before: a harmless retry."),
                    "201": json_answer(schema_ref("Stored"), "Stored."),
                    "400": error_answer("The request could not be read."),
                    "403": error_answer("The survey does not collect now, or not without a link."),
                    "404": error_answer("No such survey."),
                    "409": error_answer("A different fragment is stored under this id."),
                    "413": error_answer(f"Larger than {MAX_REQUEST_BYTES // 1024} kB."),
                    "415": error_answer("Not sent as application/json."),
                    "422": error_answer("Invalid: one message per field or question."),
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
