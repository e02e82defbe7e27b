"""The pieces the OpenAPI document is built from: schemas, parameters, common answers."""

TEXT = {"type": "string"}
NULLABLE_TEXT = {"type": ["string", "null"]}


def schema_ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def json_answer(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def error_answer(description: str) -> dict:
    return json_answer(schema_ref("Errors"), description)


UNAUTHORIZED = {
    **error_answer("No token, or one that is unknown, revoked, expired or whose user is disabled."),
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
            "title": schema_ref("Text"),
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
            schema_ref("FragmentBody"),
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
            "fragments": {"type": "array", "items": schema_ref("StoredFragment")},
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
