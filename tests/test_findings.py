"""Clustering runs stored by id, and patterns in words, from the CLI down to the numbers."""

import csv
import shutil

import numpy as np
import pytest
from click.testing import CliRunner

from sensemaker import analysis, db, findings, fragments, intake
from sensemaker import survey as surveys
from sensemaker.cli import cli
from sensemaker.generate import generate_fragments

from .conftest import DATA, ROOT


def run(db_path, *args):
    return CliRunner().invoke(cli, ["--db", db_path, "--lang", "en", *args])


def stored_batch(database, survey, count, seed):
    batch = generate_fragments(survey, count, seed=seed)
    items = [(f, intake.prepare(f, survey, fragments.body_hash(f.as_body()))) for f in
             batch.fragments]  # fmt: skip
    db.insert_fragments(database, items)
    return batch


@pytest.fixture
def filled(db_path, tmp_path):
    path = tmp_path / "all_kinds.yaml"
    shutil.copy(DATA / "all_kinds.yaml", path)
    run(db_path, "survey", "load", str(path))
    run(db_path, "generate", "all_kinds", "--n", "300", "--seed", "2")
    return db_path


def test_cluster_command_stores_a_run_and_writes_the_labels(filled, tmp_path):
    out = tmp_path / "clusters.csv"
    result = run(filled, "cluster", "all_kinds", "--seed", "3", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "Cluster run 1: k = " in result.output and "silhouette" in result.output
    assert "Cluster 1:" in result.output
    with out.open(encoding="utf-8") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["fragment_id", "cluster"] and len(rows) == 301
    database = db.connect(filled)
    stored = findings.load_run(database, 1)
    labels = [int(c) - 1 if c else -1 for _, c in rows[1:]]
    assert labels == stored.run.labels.tolist()
    ids = set(db.fragment_facts(database, "all_kinds")["id"])
    assert {fragment_id for fragment_id, _ in rows[1:]} == ids
    assert db.audit_entries(database)[0]["action"] == "cluster.run"


def test_the_same_seed_gives_the_same_clusters(filled):
    run(filled, "cluster", "all_kinds", "--seed", "5")
    run(filled, "cluster", "all_kinds", "--seed", "5")
    database = db.connect(filled)
    first, second = findings.load_run(database, 1), findings.load_run(database, 2)
    assert np.array_equal(first.run.labels, second.run.labels)
    assert first.run.k == second.run.k


def test_a_fixed_k_and_chosen_questions(filled):
    result = run(filled, "cluster", "all_kinds", "--k", "3", "--questions", "safety,pace")
    assert result.exit_code == 0, result.output
    stored = findings.load_run(db.connect(filled), 1)
    assert stored.run.k == 3 and stored.run.spec.questions == ("safety", "pace")


@pytest.mark.parametrize(
    "args",
    [("--k", "1"), ("--k", "many"), ("--questions", "wish"), ("--questions", "nope")],
)
def test_bad_cluster_options_are_refused(filled, args):
    result = run(filled, "cluster", "all_kinds", *args)
    assert result.exit_code == 2
    assert db.list_cluster_runs(db.connect(filled), "all_kinds") == []


def test_clusters_recover_the_groups_the_generator_planted(db_path):
    survey = surveys.load(ROOT / "surveys" / "samordnad-vard.yaml")
    database = db.connect(db_path)
    db.save_survey(database, survey)
    batch = stored_batch(database, survey, 2000, seed=3)
    stored, descriptions = findings.run_clustering(database, survey.id, seed=1)
    clustered = stored.run.labels >= 0
    truth = np.asarray(batch.truth)[clustered]
    assert analysis.adjusted_rand_index(truth, stored.run.labels[clustered]) >= 0.8
    assert sum(d.size for d in descriptions) == clustered.sum()


def test_a_run_stays_readable_after_stories_are_withdrawn_or_added(filled):
    run(filled, "cluster", "all_kinds", "--seed", "1")
    database = db.connect(filled)
    first_seq = db.fragment_facts(database, "all_kinds")["seq"][0]
    database.execute("DELETE FROM fragment WHERE seq = ?", [first_seq])
    survey = db.get_survey(database, "all_kinds")
    stored_batch(database, survey, 20, seed=99)
    loaded = findings.signification.load(database, "all_kinds")
    aligned_run, rows = findings.aligned(findings.load_run(database, 1), loaded)
    assert len(rows) == 299 and len(aligned_run.labels) == 299
    assert first_seq not in loaded.seqs[rows]


def test_patterns_command_speaks_both_languages(db_path):
    survey = surveys.load(ROOT / "surveys" / "samordnad-vard.yaml")
    database = db.connect(db_path)
    db.save_survey(database, survey)
    stored_batch(database, survey, 1500, seed=3)
    english = run(db_path, "patterns", "samordnad-vard", "--lang", "en")
    swedish = run(db_path, "patterns", "samordnad-vard", "--lang", "sv")
    assert english.exit_code == 0 and english.output.startswith("1. ")
    assert "q < 0.001" in english.output and "q < 0,001" in swedish.output
    assert english.output.count("\n") >= 3


def test_patterns_by_must_be_a_choice(filled):
    assert run(filled, "patterns", "all_kinds", "--by", "safety").exit_code == 2
    result = run(filled, "patterns", "all_kinds", "--by", "role")
    assert result.exit_code == 0, result.output
