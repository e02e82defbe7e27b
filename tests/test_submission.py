"""The fragment door in front of Flask answers exactly as the Flask view for the same URL.

Every other submission test goes through the app as it runs, door included; here the same
requests also go to the Flask view alone (the app without its door), on a twin database,
and status, body and headers must agree.
"""

import json

import pytest
from werkzeug.test import Client

from sensemaker import create_app, db
from sensemaker.submission import FragmentDoor

from .test_api import URL, body

SECRET = "the same key for both apps, so receipts agree"


def twin(tmp_path, name, all_kinds):
    path = str(tmp_path / f"{name}.db")
    app = create_app({"DATABASE": path, "SECRET_KEY": SECRET})
    database = db.connect(path)
    db.save_survey(database, all_kinds)
    database.close()
    return app


def _cases():
    first = body(id="3f1e7a52-8c1d-4b7e-9a55-0d6f2a1b9c01")
    changed = {**first, "story": "Ett annat slut."}
    too_long = body(story="å" * 300_000)
    return [
        ("new", URL, json.dumps(first), {}),
        ("retry", URL, json.dumps(dict(reversed(list(first.items())))), {}),
        ("conflict", URL, json.dumps(changed), {}),
        ("invalid answer, Swedish", URL, json.dumps(body(answers={"safety": [2, 0, 0]})), {}),
        ("invalid, English body", URL, json.dumps(body(language="en", story="")), {}),
        ("bad JSON", URL, "{not json", {}),
        ("lone surrogate", URL, '{"id": "\\ud800"}', {}),
        ("not JSON", URL, "id=1", {"Content-Type": "application/x-www-form-urlencoded"}),
        ("too large", URL, json.dumps(too_long), {}),
        ("unknown survey, ?lang=en", "/api/v1/surveys/finns-inte/fragments?lang=en", "{}", {}),
        ("unknown survey, browser", "/api/v1/surveys/finns-inte/fragments", "{}",
         {"Accept-Language": "en-GB,en;q=0.8"}),
        ("other site", URL, json.dumps(body()), {"Origin": "https://elsewhere.example"}),
        ("fetch metadata", URL, json.dumps(body()), {"Sec-Fetch-Site": "cross-site"}),
        ("same origin", URL, json.dumps(body()), {"Origin": "http://localhost"}),
        ("bad token, open survey", URL, json.dumps(body()), {"X-Collection-Token": "nope"}),
        ("+json type", URL, json.dumps(body()), {"Content-Type": "application/merge+json"}),
    ]  # fmt: skip


CASES = _cases()


def _send(client, url, data, headers):
    headers = {"Content-Type": "application/json", **headers}
    response = client.post(url, data=data.encode("utf-8", "surrogatepass"), headers=headers)
    return response.status_code, response.get_json(), response.headers


@pytest.fixture
def apps(tmp_path, all_kinds):
    through_door = twin(tmp_path, "door", all_kinds)
    flask_only = twin(tmp_path, "flask", all_kinds)
    assert isinstance(flask_only.wsgi_app, FragmentDoor)
    return Client(through_door), Client(flask_only.wsgi_app.inner)


def test_door_and_flask_view_give_the_same_answers(apps):
    door, flask = apps
    for name, url, data, headers in CASES:
        got, want = _send(door, url, data, headers), _send(flask, url, data, headers)
        assert got[0] == want[0], name
        assert got[1] == want[1], name
        for header in ("Content-Type", "X-Content-Type-Options", "Referrer-Policy",
                       "Content-Security-Policy", "Cache-Control"):  # fmt: skip
            assert got[2].get(header) == want[2].get(header), (name, header)


def test_cases_cover_every_answer_the_route_gives(apps):
    door, _ = apps
    statuses = {_send(door, url, data, headers)[0] for _, url, data, headers in CASES}
    assert statuses == {201, 200, 409, 422, 415, 413, 404, 403}


def test_closed_survey_is_refused_alike_and_a_stored_story_still_acknowledged(apps, tmp_path):
    door, flask = apps
    stored = json.dumps(body())
    for client, name in ((door, "door"), (flask, "flask")):
        assert _send(client, URL, stored, {})[0] == 201
        database = db.connect(str(tmp_path / f"{name}.db"))
        db.set_survey_settings(database, "all_kinds", collection="closed", retention_days=None)
        database.close()
    new = json.dumps(body(language="en"))
    for data in (stored, new):
        got, want = _send(door, URL, data, {}), _send(flask, URL, data, {})
        assert got[:2] == want[:2]
    assert _send(door, URL, stored, {})[0] == 200
    refused = _send(door, URL, new, {})
    assert refused[0] == 403 and "not taking stories" in refused[1]["errors"]["collection"]


def test_door_leaves_other_methods_and_paths_to_flask(client):
    assert client.get("/api/v1/health").status_code == 200
    listing = client.get(URL)  # the read API on the same path takes a token
    assert listing.status_code == 401
    assert client.post(URL + "/extra", json={}).status_code == 404
    assert client.put(URL, json={}).status_code == 405


def test_door_answers_a_failure_as_the_app_would(tmp_path, all_kinds, monkeypatch, caplog):
    app = twin(tmp_path, "failing", all_kinds)
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("sensemaker.db.store_fragment", broken)
    sent = body(story="Det här får aldrig stå i en logg.")
    response = app.test_client().post(URL + "?lang=en", json=sent)
    assert response.status_code == 500
    assert response.json == {"errors": {"server": response.json["errors"]["server"]}}
    assert "try again" in response.json["errors"]["server"].lower()
    assert response.headers["Cache-Control"] == "no-store"
    assert "disk on fire" in caplog.text
    assert sent["story"] not in caplog.text
