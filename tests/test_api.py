"""The submission endpoint: stored once, retries harmless, conflicts refused, errors clear."""

import re
import uuid

import pytest

from sensemaker import db

URL = "/api/v1/surveys/all_kinds/fragments"


def body(**changes):
    fragment = {
        "id": str(uuid.uuid4()),
        "language": "sv",
        "prompt": "good-day",
        "title": "Kaffet på morgonen",
        "story": "Hon satt kvar hos mig tills jag somnade.",
        "consent": True,
        "collected_at": "2026-11-23T09:30:00+01:00",
        "answers": {
            "safety": [0.45, 0.30, 0.25],
            "pace": 0.7,
            "people": {"nurse": [0.1, 0.9]},
            "role": "relative",
            "topics": ["food", "sleep"],
            "life": {"health": 7, "home": 4, "friends": "na"},
            "wish": "Mer tid",
        },
    }
    fragment.update(changes)
    return fragment


def rows(database) -> int:
    return db.count_fragments(database)


def test_new_fragment_is_stored_with_its_survey_version(client, database):
    sent = body()
    response = client.post(URL, json=sent)
    assert response.status_code == 201
    assert response.json["id"] == sent["id"] and response.json["status"] == "created"
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", response.json["receipt"])
    stored = db.get_fragment(database, sent["id"])
    assert stored["survey_version"] == 1
    assert stored["answers"]["safety"] == pytest.approx([0.45, 0.30, 0.25])
    assert stored["answers"]["people"] == {"nurse": [0.1, 0.9]}
    assert stored["consent"] is True
    assert stored["source"] == "capture"
    assert stored["story"] == sent["story"]


def test_the_same_body_again_is_a_harmless_retry(client, database):
    sent = body()
    assert client.post(URL, json=sent).status_code == 201
    again = client.post(URL, json=dict(reversed(list(sent.items()))))  # key order is no change
    assert again.status_code == 200
    assert again.json["status"] == "duplicate"
    assert rows(database) == 1


def test_a_different_body_under_the_same_id_is_a_conflict(client, database):
    sent = body()
    client.post(URL, json=sent)
    changed = dict(sent, story="Något helt annat.")
    response = client.post(URL, json=changed)
    assert response.status_code == 409
    assert "id" in response.json["errors"]
    assert db.get_fragment(database, sent["id"])["story"] == sent["story"]


def test_uppercase_uuid_is_refused_rather_than_stored_twice(client, database):
    response = client.post(URL, json=body(id=str(uuid.uuid4()).upper()))
    assert response.status_code == 422 and "id" in response.json["errors"]


def test_unknown_survey_is_404(client):
    response = client.post("/api/v1/surveys/finns-inte/fragments", json=body())
    assert response.status_code == 404
    assert response.json["errors"]["survey"]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"id": "not-a-uuid"}, "id"),
        ({"language": "de"}, "language"),
        ({"prompt": "no-such-prompt"}, "prompt"),
        ({"story": "   "}, "story"),
        ({"story": "x" * 10_001}, "story"),
        ({"title": "x" * 201}, "title"),
        ({"consent": False}, "consent"),
        ({"consent": "yes"}, "consent"),
        ({"collected_at": "yesterday"}, "collected_at"),
        ({"survey_version": 99}, "survey_version"),
        ({"answers": []}, "answers"),
        ({"extra": 1}, "extra"),
        ({"answers": {"role": "patient", "nope": 1}}, "nope"),
        ({"answers": {"pace": 0.5}}, "role"),  # required question missing
        ({"answers": {"role": "patient", "safety": [0.5, 0.5, 0.5]}}, "safety"),
    ],
)
def test_invalid_fragments_are_refused_and_nothing_is_stored(client, database, changes, field):
    response = client.post(URL, json=body(**changes))
    assert response.status_code == 422
    assert field in response.json["errors"]
    assert rows(database) == 0


def test_errors_come_in_the_language_of_the_story(client):
    sv = client.post(URL, json=body(answers={"role": "patient", "pace": 3}))
    en = client.post(URL, json=body(language="en", answers={"role": "patient", "pace": 3}))
    assert sv.json["errors"]["pace"] == "Läget ska vara ett tal mellan 0 och 1."
    assert en.json["errors"]["pace"] == "The position must be a number between 0 and 1."


def test_errors_fall_back_to_the_browser_language(client):
    response = client.post(URL, json={"id": 1}, headers={"Accept-Language": "en-GB,en"})
    assert response.json["errors"]["id"] == "The id must be a UUID made by the form."


@pytest.mark.parametrize(
    "data, content_type, status",
    [
        ("{not json", "application/json", 422),
        ('{"a": NaN}', "application/json", 422),
        ("[" * 100_000, "application/json", 422),
        ('"just a string"', "application/json", 422),
        ("id=1", "application/x-www-form-urlencoded", 415),
        ("{}", "text/plain", 415),
    ],
)
def test_malformed_requests_are_refused_clearly(client, database, data, content_type, status):
    response = client.post(URL, data=data, content_type=content_type)
    assert response.status_code == status
    assert response.json["errors"]
    assert rows(database) == 0


def test_oversized_request_is_refused(client, database):
    response = client.post(URL, json=body(story="x" * 300_000))
    assert response.status_code == 413
    assert response.json["errors"]["body"]
    assert rows(database) == 0


def test_a_story_told_against_an_older_version_keeps_that_version(client, database, all_kinds):
    from sensemaker.survey import Survey

    newer = dict(all_kinds.definition, version=2)
    newer["questions"] = [q for q in all_kinds.definition["questions"] if q["id"] != "wish"]
    db.save_survey(database, Survey(newer))
    old = body(survey_version=1)
    assert client.post(URL, json=old).status_code == 201
    assert db.get_fragment(database, old["id"])["survey_version"] == 1
    # The current version no longer has the "wish" question.
    new = body()
    response = client.post(URL, json=new)
    assert response.status_code == 422 and "wish" in response.json["errors"]


def test_definition_json_serves_the_form_s_view(client):
    response = client.get("/s/all_kinds/definition.json?lang=en")
    assert response.status_code == 200
    assert response.json["title"] == "Every question kind"
    assert [q["kind"] for q in response.json["questions"]] == [
        "triad", "dyad", "stones", "choice", "choice", "star", "text",
    ]  # fmt: skip


def test_form_page_follows_lang_and_browser_language(client):
    assert b'lang="en"' in client.get("/s/all_kinds?lang=en").data
    assert b'lang="sv"' in client.get("/s/all_kinds", headers={"Accept-Language": "sv-SE"}).data
    assert b'lang="en"' in client.get("/s/all_kinds", headers={"Accept-Language": "en-US"}).data
    assert b'lang="sv"' in client.get("/s/all_kinds", headers={"Accept-Language": "de"}).data


def test_unknown_survey_page_is_a_friendly_404(client):
    response = client.get("/s/finns-inte?lang=en")
    assert response.status_code == 404
    assert b"Page not found" in response.data


def test_survey_texts_are_escaped_in_the_page(client, database, all_kinds):
    from sensemaker.survey import Survey

    hostile = dict(all_kinds.definition, version=2, title={"sv": "<script>x()</script>", "en": "t"})
    db.save_survey(database, Survey(hostile))
    page = client.get("/s/all_kinds?lang=sv").data
    assert b"<script>x()" not in page
    assert b"&lt;script&gt;x()" in page
