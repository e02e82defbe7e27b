"""The OpenAPI document matches the server: schemathesis drives every /api/v1 operation.

Requests go straight into the Flask app (WSGI), with an analyst's token; each response
must be a documented status with a body that fits its schema, and never a server error.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from sensemaker import collection, db, tokens
from sensemaker.openapi import document

SURVEY = "all_kinds"
# These two assume the schema holds every rule: that any value it allows is accepted and
# any it does not is refused. Opaque cursors, times and whole stories are checked by the
# server (400, 422, with a message), and unknown query parameters are ignored on purpose.
SEMANTIC = [negative_data_rejection, positive_data_acceptance]


@pytest.fixture
def bearer(database, users):
    return {"Authorization": "Bearer " + tokens.create(database, "analyst@region.se", "t").secret}


@pytest.fixture
def kiosk(database):
    token = collection.new_token()
    db.add_link(database, SURVEY, "kiosk", "Surfplatta", collection.token_hash(token), "t")
    return token


# Built from the document the server serves (test_the_served_document_is_this_one).
schema = schemathesis.openapi.from_dict(document())


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_server_does_what_the_document_says(case, app, bearer, kiosk):
    # Each test has its own app and database; the checks' own extra requests (such as the
    # same request without the token) must reach it too, so the schema carries it.
    case.operation.schema.app = app
    case.call_and_validate(app=app, headers=bearer, excluded_checks=SEMANTIC)
    if "survey_id" in (case.path_parameters or {}):
        # Generated ids rarely name a real survey: send each case once more to one that is.
        case.path_parameters["survey_id"] = SURVEY
        case.call_and_validate(app=app, headers=bearer, excluded_checks=SEMANTIC)
    if case.operation.path == "/api/v1/kiosk/status":
        # Likewise a generated token is never a kiosk's: once more with a real one.
        headers = {**bearer, collection.TOKEN_HEADER: kiosk}
        case.call_and_validate(app=app, headers=headers, excluded_checks=SEMANTIC)


def test_the_served_document_is_this_one(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.json == document()
    assert response.json["openapi"].startswith("3.1")


def test_every_api_route_is_documented(app):
    documented = {
        (path, method.upper())
        for path, operations in document()["paths"].items()
        for method in operations
    }
    served = {
        (rule.rule.replace("<", "{").replace(">", "}"), method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert served == documented
