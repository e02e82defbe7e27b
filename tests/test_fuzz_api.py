"""Fuzzing the submission endpoint: no body, however broken, crashes it or harms the data.

Every response is one of the statuses the API documents; every refusal is JSON that says
what is wrong; and a refused request leaves the fragments and the audit log as they were.
"""

import json
import uuid

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

URL = "/api/v1/surveys/all_kinds/fragments"
STATUSES = {200, 201, 403, 409, 413, 415, 422}
FUZZ = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Any character at all, lone surrogates included: JSON can carry them as "\ud800".
characters = st.characters(codec=None, exclude_categories=())
strings = st.text(characters, max_size=40) | st.sampled_from(["", "na", "other", "sv", "food"])
# Values that have broken parsers before, drawn often rather than hoped for.
edges = st.sampled_from(
    [10**400, -(10**400), 2**63, float("nan"), float("inf"), "\ud800", "a\udfffb", "na", 0.5]
)
scalars = (
    edges
    | st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**300, max_value=10**400)  # beyond any float
    | st.floats()  # nan and ±inf too, written as NaN/Infinity by json.dumps
    | strings
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(strings, inner, max_size=4),
    max_leaves=12,
)


def valid() -> dict:
    return {
        "id": str(uuid.uuid4()),
        "language": "sv",
        "prompt": "good-day",
        "title": "Kaffet",
        "story": "Hon satt kvar hos mig tills jag somnade.",
        "consent": True,
        "collected_at": "2026-11-23T09:30:00+01:00",
        "survey_version": 1,
        "answers": {
            "safety": [0.45, 0.30, 0.25],
            "pace": 0.7,
            "people": {"nurse": [0.1, 0.9]},
            "role": "relative",
            "topics": {"selected": ["food", "other"], "other": "Kvällarna"},
            "life": {"health": 7, "home": 4, "friends": "na"},
            "wish": "Mer tid",
        },
    }


def snapshot(database) -> tuple:
    fragments = database.execute("SELECT count(*), group_concat(id) FROM fragment").fetchone()
    return (*fragments, database.execute("SELECT count(*) FROM audit").fetchone()[0])


def send(client, database, data, content_type="application/json"):
    """POST raw `data`; check the status, the error shape, and that a refusal stored nothing."""
    before = snapshot(database)
    response = client.post(URL, data=data, content_type=content_type)
    assert response.status_code in STATUSES, (response.status_code, response.data[:300])
    if response.status_code >= 400:
        errors = response.json["errors"]
        assert isinstance(errors, dict) and errors
        assert all(isinstance(text, str) and text.strip() for text in errors.values()), errors
        assert snapshot(database) == before
    return response


def dumps(value) -> str:
    return json.dumps(value, allow_nan=True)


@FUZZ
@given(value=json_values)
def test_any_json_value_as_the_body(client, database, value):
    send(client, database, dumps(value))


@FUZZ
@given(text=st.text(characters, max_size=200) | st.binary(max_size=200))
@example(text="[" * 10_000)
@example(text='{"a":' * 10_000)
@example(text="[" * 10_000 + "]" * 10_000)
@example(text="NaN")
@example(text='{"id": Infinity}')
@example(text=b"\xff\xfe{}")
@example(text=b'{"story": "\xc3"}')
@example(text="\ud800")
@example(text="")
@example(text='{"story": "\\ud800"}')
def test_malformed_json_text(client, database, text):
    if isinstance(text, str):  # a raw surrogate becomes the invalid UTF-8 a client could send
        text = text.encode("utf-8", "surrogatepass")
    send(client, database, text)


@FUZZ
@given(
    content_type=st.sampled_from(
        ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "", "json"]
    )
)
def test_other_content_types_are_refused(client, database, content_type):
    response = send(client, database, dumps(valid()), content_type=content_type)
    assert response.status_code == 415


def mutate(body: dict, path: tuple, value) -> dict:
    target = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return body


FIELDS = [(key,) for key in valid() if key != "answers"] + [("answers",)]
FIELDS += [("answers", question) for question in valid()["answers"]]


@FUZZ
@given(path=st.sampled_from(FIELDS), value=json_values)
@example(path=("story",), value="\ud800")
@example(path=("answers", "pace"), value=10**400)
@example(path=("survey_version",), value=10**30)
def test_a_valid_body_with_one_field_changed(client, database, path, value):
    body = mutate(valid(), path, value)
    response = send(client, database, dumps(body))
    if response.status_code in (200, 201):
        # Accepted once: sending it again is a harmless retry, never a second story.
        stored = snapshot(database)
        again = send(client, database, dumps(body))
        assert again.status_code == 200 and snapshot(database) == stored


@FUZZ
@given(key=st.text(characters, min_size=1, max_size=300), value=json_values)
def test_unknown_fields_are_named_in_the_error(client, database, key, value):
    body = valid()
    assume(key not in body)
    response = send(client, database, dumps({**body, key: value}))
    assert response.status_code == 422


WRONG = {
    "id": [1, True, [], {}, "not-a-uuid", str(uuid.uuid4()).upper(), None],
    "language": [1, True, [], {}, "de", None],
    "prompt": [1, [], {}, "nope", None],
    "title": [1, True, [], {}, "x" * 201],
    "story": [1, True, [], {}, None, "", "   "],
    "consent": [1, "true", [], {}, False, None],
    "collected_at": [1, True, None, "igår", "x" * 41],
    "survey_version": [True, 1.0, "1", 0, -1, 2, 10**30, None, [], {}],
    "answers": [1, True, [], "x", None],
    "safety": [1, "x", [0.5, 0.5], [1, 0, 0.5], [True, False, False], [10**400, 0, 0]],
    "pace": [-0.1, 1.1, "0.5", True, 10**400, [0.5]],
    "people": [[], {"nurse": [2, 0]}, {"nobody": [0, 0]}, {"nurse": [10**400, 0]}],
    "role": ["nobody", 1, ["patient"], {"other": "x"}],
    "topics": [["food", "sleep", "company"], "food", ["x"], {"selected": ["food"], "other": "x"}],
    "life": [{"health": 11}, {"health": 0}, {"health": 5.5}, {"health": True}, {"nope": 1}, 5],
    "wish": [1, "x" * 301, [], True],
}


@pytest.mark.parametrize("field", WRONG)
def test_wrong_values_in_each_field_are_refused_by_name(client, database, field):
    path = ("answers", field) if field in valid()["answers"] else (field,)
    for value in WRONG[field]:
        response = send(client, database, dumps(mutate(valid(), path, value)))
        assert response.status_code == 422, (field, value)
        assert field in response.json["errors"], (field, value, response.json)


@pytest.mark.parametrize(
    "path",
    [("title",), ("story",), ("answers", "wish"), ("answers", "topics", "other"), ("prompt",)],
)
def test_a_lone_surrogate_is_refused_wherever_it_is(client, database, path):
    """Valid JSON ("\\ud800") but not text: it can be neither stored nor hashed as UTF-8."""
    response = send(client, database, dumps(mutate(valid(), path, "Hej \ud800 då")))
    assert response.status_code == 422


@pytest.mark.parametrize(
    "field, size",
    [("story", 300_000), ("title", 200_000), ("wish", 262_000), ("story", 10_001)],
)
def test_huge_strings_are_refused(client, database, field, size):
    path = ("answers", field) if field == "wish" else (field,)
    response = send(client, database, dumps(mutate(valid(), path, "ö" * size)))
    assert response.status_code in (413, 422)


@pytest.mark.slow
@settings(FUZZ, max_examples=40)
@given(
    path=st.sampled_from(FIELDS),
    size=st.integers(min_value=1_000, max_value=400_000),
    char=characters,
)
def test_huge_values_anywhere(client, database, path, size, char):
    send(client, database, dumps(mutate(valid(), path, char * size)))


def test_a_valid_body_is_stored_once(client, database):
    """The fuzzing above means something only if a good body does get in."""
    body = dumps(valid())
    assert send(client, database, body).status_code == 201
    assert send(client, database, body).status_code == 200
    assert snapshot(database)[0] == 1
