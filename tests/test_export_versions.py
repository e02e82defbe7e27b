"""Exports across survey versions, and fragments without numeric answers."""

import copy
import io
import uuid

import pandas as pd

from sensemaker import db, fragments, intake
from sensemaker.export import export
from sensemaker.survey import Survey

SURVEY = "all_kinds"


def _body(answers, **fields) -> dict:
    return {"id": str(uuid.uuid4()), "language": "sv", "prompt": "good-day",
            "story": "Det gick bra.", "consent": True,
            "collected_at": "2026-11-20T09:30:00+01:00", "answers": answers, **fields}  # fmt: skip


def _store(database, survey, answers, *, vector=True):
    body = _body(answers)
    fragment = fragments.parse(body, survey)
    stored = intake.prepare(fragment, survey, fragments.body_hash(body))
    if not vector:
        stored = db.Stored(body_sha256=stored.body_sha256)
    assert db.insert_fragments(database, [(fragment, stored)]) == ["created"]
    return fragment.id


def _wide(database) -> pd.DataFrame:
    result = export(database, SURVEY, "csv", actor="cli")
    data = b"".join(result.chunks)
    return pd.read_csv(io.BytesIO(data), keep_default_na=False, na_values=[""]).set_index(
        "fragment_id"
    )


def test_older_versions_fill_the_current_columns_they_share(database, all_kinds):
    old = _store(database, all_kinds, {"role": "staff", "safety": [0.2, 0.3, 0.5], "pace": 0.4})
    definition = copy.deepcopy(all_kinds.definition)
    definition["version"] = 2
    safety = definition["questions"][0]
    safety["labels"][0]["id"] = "nurses"  # the triad's columns change: not mixed
    newer = Survey(definition)
    db.save_survey(database, newer)
    new = _store(database, newer, {"role": "patient", "safety": [0.1, 0.1, 0.8], "pace": 0.9})
    frame = _wide(database)
    assert "safety__nurses" in frame.columns and "safety__staff" not in frame.columns
    assert frame.loc[old, "survey_version"] == 1 and frame.loc[new, "survey_version"] == 2
    assert frame.loc[old, "pace__x"] == 0.4 and frame.loc[new, "pace__x"] == 0.9
    assert frame.loc[old, "role"] == "staff" and frame.loc[new, "role"] == "patient"
    assert pd.isna(frame.loc[old, "safety__nurses"]) and pd.isna(frame.loc[old, "safety__na"])
    assert frame.loc[new, "safety__self"] == 0.8 and frame.loc[new, "safety__na"] == 0


def test_a_fragment_without_numbers_keeps_its_text_and_has_empty_answers(database, all_kinds):
    plain = _store(database, all_kinds, {"role": "staff", "pace": 0.4, "wish": "Mer tid"},
                   vector=False)  # fmt: skip
    full = _store(database, all_kinds, {"role": "patient", "pace": 0.7})
    frame = _wide(database)
    assert frame.loc[plain, "story"] == "Det gick bra." and frame.loc[plain, "wish"] == "Mer tid"
    assert pd.isna(frame.loc[plain, "pace__x"]) and pd.isna(frame.loc[plain, "role"])
    assert frame.loc[full, "pace__x"] == 0.7
