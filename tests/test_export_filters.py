"""Exports: which fragments go in (filters, clusters), what is refused, and the audit."""

import io
import json

import pandas as pd
import pytest

from sensemaker import db, findings, signification
from sensemaker.export import ExportError, export

from .test_export import SURVEY, from_db, run_export, store_stories


@pytest.fixture
def stored(database, all_kinds):
    return store_stories(database, all_kinds)


@pytest.fixture
def unmasked(stored):
    db.set_setting(stored, "export_mask_personal_data", "off")
    return stored


def test_the_export_is_recorded_in_the_audit_log(stored):
    result = export(stored, SURVEY, "parquet", filters=["role=staff"], actor="analyst@region.se")
    entry = db.audit_entries(stored, action="export")[0]
    assert entry["actor"] == "analyst@region.se" and entry["survey_id"] == SURVEY
    assert entry["details"] == {"format": "parquet", "layout": "wide", "run": None,
                                "filters": ["role=staff"], "masked": True}  # fmt: skip
    assert "Personalen" not in json.dumps(entry)
    assert result.codebook["filters"] == ["role=staff"]


def ids(database, **options) -> list[str]:
    data, _ = run_export(database, "csv", **options)
    return pd.read_csv(io.BytesIO(data))["fragment_id"].tolist()


def test_filters_choose_fragments(stored):
    frame = from_db(stored)
    every = ids(stored)
    assert every == frame["id"].tolist()
    assert ids(stored, filters=["language=en"]) == frame[frame.language == "en"]["id"].tolist()
    hard = frame[frame.prompt == "hard-day"]["id"].tolist()
    assert ids(stored, filters=["prompt=hard-day"]) == hard
    told = frame.collected_at.str[:10]
    october = frame[(told >= "2026-10-01") & (told <= "2026-10-31")]["id"].tolist()
    assert ids(stored, filters=["from=2026-10-01", "to=2026-10-31"]) == october
    loaded = signification.load(stored, SURVEY)
    role = loaded.significations(["role"])["role"]
    staff = frame[role.selected[:, role.options.index("staff")]]["id"].tolist()
    assert ids(stored, filters=["role=staff"]) == staff
    topics = loaded.significations(["topics"])["topics"]
    both = topics.selected[:, topics.options.index("sleep")] & topics.selected[:, 0]
    assert ids(stored, filters=["topics=sleep", "topics=food"]) == frame[both]["id"].tolist()
    assert ids(stored, filters=["role=staff", "language=en"]) == [
        i for i in staff if i in frame[frame.language == "en"]["id"].tolist()
    ]


@pytest.mark.parametrize("filters, key", [
    (["role"], "export.filter_syntax"),
    (["mood=glad"], "export.filter_key"),
    (["pace=0.5"], "export.filter_key"),
    (["role=king"], "export.filter_option"),
    (["language=fi"], "export.filter_language"),
    (["prompt=nope"], "export.filter_prompt"),
    (["from=2026-13-01"], "export.filter_date"),
    (["to=yesterday"], "export.filter_date"),
    (["cluster=1"], "export.filter_cluster_run"),
    (["language=sv", "language=en"], "export.filter_twice"),
])  # fmt: skip
def test_bad_filters_are_refused_with_a_message(stored, filters, key):
    before = len(db.audit_entries(stored, action="export"))
    with pytest.raises(ExportError) as refused:
        export(stored, SURVEY, "csv", filters=filters, actor="analyst@region.se")
    assert refused.value.key == key
    assert refused.value.message("sv") and refused.value.message("en")
    assert len(db.audit_entries(stored, action="export")) == before  # refused: not recorded


def test_bad_format_layout_run_and_survey_are_refused(stored):
    for kwargs, key in (
        ({"fmt": "sav"}, "export.format"),
        ({"fmt": "xlsx", "layout": "long"}, "export.layout"),
        ({"fmt": "csv", "layout": "tall"}, "export.layout"),
        ({"fmt": "csv", "run_id": 999}, "export.run"),
    ):
        fmt = kwargs.pop("fmt")
        with pytest.raises(ExportError) as refused:
            export(stored, SURVEY, fmt, actor="cli", **kwargs)
        assert refused.value.key == key
    with pytest.raises(ExportError) as refused:
        export(stored, "finns-inte", "csv", actor="cli")
    assert refused.value.key == "export.no_survey"


def test_cluster_columns_come_from_the_chosen_run(unmasked):
    stored_run, _ = findings.run_clustering(unmasked, SURVEY, k=3, seed=1)
    data, result = run_export(unmasked, "parquet", run_id=stored_run.id)
    frame = pd.read_parquet(io.BytesIO(data))
    labels = dict(zip(stored_run.seqs.tolist(), stored_run.run.labels.tolist(), strict=True))
    seqs = from_db(unmasked)
    expected = [labels[s] + 1 if labels[s] >= 0 else None
                for s in db.fragment_facts(unmasked, SURVEY)["seq"]]  # fmt: skip
    got = [None if pd.isna(v) else int(v) for v in frame["cluster"]]
    assert got == expected and set(frame["cluster_run"]) == {stored_run.id}
    assert len(seqs) == len(frame)
    assert result.codebook["cluster_run"]["k"] == 3
    second = ids(unmasked, run_id=stored_run.id, filters=["cluster=2"])
    assert second == [i for i, c in zip(frame["fragment_id"], got, strict=True) if c == 2]
