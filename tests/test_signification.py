"""Answers as numbers: every kind encodes and decodes faithfully, across survey versions."""

import json

import numpy as np
import pytest

from sensemaker import analysis, db, signification
from sensemaker.generate import generate_fragments
from sensemaker.survey import Survey

from .test_api import URL, body


@pytest.fixture
def batch(all_kinds):
    return generate_fragments(all_kinds, 400, seed=4)


def test_layout_names_every_numeric_column(all_kinds):
    spec = signification.layout(all_kinds)
    assert spec.columns["safety"] == (0, 3, ("staff", "family", "self"))
    assert spec.columns["pace"] == (3, 4, ("x",))
    assert spec.columns["people"][2] == ("answered", "nurse.x", "nurse.y", "doctor.x", "doctor.y")
    assert "wish" not in spec.columns  # short text has no numbers
    assert spec.width == 3 + 1 + 5 + 1 + 1 + 3


def test_decoding_gives_what_from_stored_gives(all_kinds, batch):
    """The fast numeric path and the analysis's own reading of stored JSON agree."""
    rows = [signification.encode(all_kinds, f.answers) for f in batch.fragments]
    matrix = signification.to_matrix(b"".join(rows), signification.layout(all_kinds).width)
    decoded = signification.decode(all_kinds, matrix)
    stored = [json.loads(json.dumps(f.answers)) for f in batch.fragments]
    column = {qid: [answers.get(qid) for answers in stored] for qid in all_kinds.questions}
    expected = {
        "safety": analysis.TriadAnswers.from_stored(column["safety"]),
        "pace": analysis.DyadAnswers.from_stored(column["pace"]),
        "people": analysis.StonesAnswers.from_stored(column["people"], ["nurse", "doctor"]),
        "role": analysis.ChoiceAnswers.from_stored(
            column["role"], ["patient", "relative", "staff"]
        ),
        "topics": analysis.ChoiceAnswers.from_stored(
            column["topics"], ["food", "sleep", "company", "other"], multiple=True
        ),
        "life": analysis.StarAnswers.from_stored(column["life"], ["health", "home", "friends"]),
    }
    for qid, want in expected.items():
        got = decoded[qid]
        for name in want.arrays:
            np.testing.assert_array_equal(getattr(got, name), getattr(want, name), err_msg=qid)
    assert decoded["safety"].na.sum() > 0  # the batch really has N/A answers


def test_rows_from_an_older_version_map_by_question_id(all_kinds):
    old = all_kinds
    newer_definition = dict(all_kinds.definition, version=2)
    questions = [q for q in old.definition["questions"] if q["id"] != "pace"]
    changed = dict(questions[0], labels=questions[0]["labels"][::-1])  # safety reordered
    newer_definition["questions"] = [changed, *questions[1:]]
    newer = Survey(newer_definition)
    answers = {"safety": [0.2, 0.3, 0.5], "pace": 0.9, "role": "staff"}
    row = signification.to_matrix(signification.encode(old, answers), 14)
    moved = signification.remap(row, signification.layout(old), signification.layout(newer))
    decoded = signification.decode(newer, moved)
    assert np.isnan(decoded["safety"].shares).all()  # labels changed: not mixed
    assert decoded["role"].selected[0].tolist() == [False, False, True]


def test_loading_from_the_database_follows_every_door(client, database, all_kinds):
    sent = body(answers={"role": "staff", "safety": "na", "pace": 0.25})
    client.post(URL, json=sent)
    loaded = signification.load(database, "all_kinds")
    assert loaded.seqs.tolist() == [1]
    decoded = loaded.significations()
    assert decoded["safety"].na.tolist() == [True]
    assert decoded["pace"].values.tolist() == [0.25]
    assert decoded["people"].missing.tolist() == [True]


def test_a_withdrawn_story_leaves_no_numbers_behind(client, database):
    from .test_withdrawal import withdraw

    receipt = client.post(URL, json=body()).json["receipt"]
    assert database.execute("SELECT count(*) FROM signification").fetchone()[0] == 1
    withdraw(client, receipt)
    assert database.execute("SELECT count(*) FROM signification").fetchone()[0] == 0
    assert len(signification.load(database, "all_kinds").seqs) == 0


def test_unknown_survey_loads_nothing(database):
    assert signification.load(database, "finns-inte") is None
    assert db.signification_blobs(database, "finns-inte") == []


def test_a_survey_without_stories_decodes_to_empty_answers(all_kinds):
    width = signification.layout(all_kinds).width
    decoded = signification.decode(all_kinds, np.empty((0, width)))
    assert decoded["people"].positions.shape == (0, 2, 2)
    assert decoded["safety"].shares.shape == (0, 3)
