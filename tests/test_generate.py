"""Synthetic stories: reproducible, valid against their survey, and patterned by group."""

import json
import re
import time
import uuid
from collections import Counter
from datetime import date, datetime, timedelta
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from sensemaker import db, fragments
from sensemaker import survey as surveys
from sensemaker.cli import cli
from sensemaker.generate import generate_fragments

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
FILES = [*sorted((ROOT / "surveys").glob("*.yaml")), DATA / "all_kinds.yaml"]
END = date(2026, 3, 31)


def _body(fragment: fragments.Fragment) -> dict:
    """The fragment as a body of the submission API, through JSON as a client sends it."""
    body = fragment.as_dict()
    del body["survey_id"]
    return json.loads(json.dumps(body, ensure_ascii=False))


@pytest.fixture(scope="module")
def big():
    """Enough stories from the all-kinds survey to measure rates."""
    survey = surveys.load(DATA / "all_kinds.yaml")
    return survey, generate_fragments(survey, 6000, 11, end=END)


def _answers(batch, question_id):
    """(group, answer) for every fragment that answered the question."""
    return [
        (group, f.answers[question_id])
        for f, group in zip(batch.fragments, batch.truth, strict=True)
        if question_id in f.answers
    ]


def _rate(values, predicate) -> float:
    return sum(1 for v in values if predicate(v)) / len(values)


def test_same_seed_same_fragments_and_other_seed_other_fragments(all_kinds):
    first = generate_fragments(all_kinds, 200, 5, end=END)
    again = generate_fragments(all_kinds, 200, 5, end=END)
    other = generate_fragments(all_kinds, 200, 6, end=END)
    assert [f.as_dict() for f in first.fragments] == [f.as_dict() for f in again.fragments]
    assert first.truth == again.truth and first.groups == again.groups
    assert not {f.id for f in first.fragments} & {f.id for f in other.fragments}
    assert [f.answers for f in first.fragments] != [f.answers for f in other.fragments]


def test_surveys_never_share_fragment_ids():
    ids = [
        {f.id for f in generate_fragments(surveys.load(path), 100, 1, end=END).fragments}
        for path in FILES
    ]
    assert sum(len(s) for s in ids) == len(set().union(*ids)) == 100 * len(FILES)


def test_ids_are_version_4_uuids(all_kinds):
    batch = generate_fragments(all_kinds, 50, 2, end=END)
    assert all(uuid.UUID(f.id).version == 4 for f in batch.fragments)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_fragment_round_trips_through_the_api_parser(path):
    survey = surveys.load(path)
    batch = generate_fragments(survey, 400, 3, end=END)
    assert len(batch.fragments) == len(batch.truth) == 400
    assert 3 <= batch.groups <= 5 and set(batch.truth) <= set(range(batch.groups))
    for fragment in batch.fragments:
        assert fragments.parse(_body(fragment), survey) == fragment


def test_unknown_required_kind_is_refused(all_kinds):
    class Odd:
        kind, required, id = "sketch", True, "odd"

    questions = {**all_kinds.questions, "odd": Odd()}
    survey = surveys.Survey(all_kinds.definition)
    survey.__dict__["questions"] = questions  # the cached property, replaced for this test
    with pytest.raises(ValueError, match="sketch"):
        generate_fragments(survey, 5, 1)


def test_dates_spread_over_six_months_in_swedish_time(all_kinds):
    batch = generate_fragments(all_kinds, 2000, 4, end=END)
    stamps = [datetime.fromisoformat(f.collected_at) for f in batch.fragments]
    assert all(s.utcoffset() in (timedelta(hours=1), timedelta(hours=2)) for s in stamps)
    days = {s.date() for s in stamps}
    assert max(days) == END and END - timedelta(days=181) <= min(days) <= END - timedelta(days=170)
    assert len(days) > 150


def test_default_end_is_yesterday(all_kinds):
    batch = generate_fragments(all_kinds, 300, 4)
    last = max(datetime.fromisoformat(f.collected_at).date() for f in batch.fragments)
    assert date.today() - timedelta(days=2) <= last < date.today() + timedelta(days=1)


def test_border_answers_and_na_at_their_rates(big):
    _, batch = big
    triads = [a for _, a in _answers(batch, "safety")]
    assert 0.05 <= _rate(triads, lambda a: a == "na") <= 0.08
    shares = [a for a in triads if a != "na"]
    assert 0.01 <= _rate(shares, lambda a: 1.0 in a) <= 0.03  # corners
    assert 0.035 <= _rate(shares, lambda a: a.count(0.0) == 1) <= 0.065  # edges
    assert all(sum(a) == 1.0 for a in shares)
    dyads = [a for _, a in _answers(batch, "pace")]
    assert 0.05 <= _rate(dyads, lambda a: a == "na") <= 0.08
    assert 0.03 <= _rate(dyads, lambda a: a in (0.0, 1.0)) <= 0.07
    stones = [a for _, a in _answers(batch, "people")]
    assert "na" not in stones  # this question does not allow N/A
    placed = [len(a) for a in stones]
    assert 0.18 <= 1 - sum(placed) / (2 * len(placed)) <= 0.32
    areas = [v for _, a in _answers(batch, "life") for v in a.values()]
    assert 0.05 <= _rate(areas, lambda v: v == "na") <= 0.08
    assert {v for v in areas if v != "na"} == set(range(1, 11))


def test_choices_skips_other_texts_titles_and_languages(big):
    survey, batch = big
    n = len(batch.fragments)
    assert all("role" in f.answers for f in batch.fragments)  # required
    assert 0.01 <= 1 - len(_answers(batch, "topics")) / n <= 0.05  # optional, sometimes skipped
    topics = [a for _, a in _answers(batch, "topics")]
    others = [a["other"] for a in topics if isinstance(a, dict)]
    assert others and all(o.strip() == o and o for o in others)
    selections = [a["selected"] if isinstance(a, dict) else a for a in topics]
    assert max(len(s) for s in selections) == 2 and min(len(s) for s in selections) == 1
    assert any(
        "other" in s and not isinstance(a, dict) for s, a in zip(selections, topics, strict=True)
    )
    assert 0.11 <= _rate(batch.fragments, lambda f: f.language == "en") <= 0.19
    assert 0.75 <= _rate(batch.fragments, lambda f: f.title is not None) <= 0.85
    assert all(f.consent is True for f in batch.fragments)
    assert {f.prompt for f in batch.fragments} == set(survey.prompt_ids)


def _clr(shares: np.ndarray) -> np.ndarray:
    logs = np.log(shares)
    return logs - logs.mean(axis=-1, keepdims=True)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_groups_differ_on_every_triad_and_dyad(path):
    survey = surveys.load(path)
    batch = generate_fragments(survey, 3000, 8, end=END)
    for question in survey.questions.values():
        answers = _answers(batch, question.id)
        if question.kind == "triad":
            centres = []  # the geometric mean of each group, as clr coordinates
            for g in range(batch.groups):
                rows = [a for group, a in answers if group == g and a != "na" and 0.0 not in a]
                centres.append(_clr(np.array(rows)).mean(axis=0))
            distances = [np.linalg.norm(a - b) for a, b in combinations(centres, 2)]
            assert min(distances) > 0.3, question.id
        elif question.kind == "dyad":
            means = [
                np.mean([a for group, a in answers if group == g and a != "na"])
                for g in range(batch.groups)
            ]
            assert max(means) - min(means) > 0.3, question.id


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_demographic_choices_are_tied_to_groups(path):
    survey = surveys.load(path)
    batch = generate_fragments(survey, 3000, 9, end=END)
    for question in survey.questions.values():
        if question.kind != "choice" or not question.demographic:
            continue
        answers = _answers(batch, question.id)
        tops = []
        for g in range(batch.groups):
            counts = Counter(str(a) for group, a in answers if group == g)
            option, top = counts.most_common(1)[0]
            assert top / sum(counts.values()) > 0.6, question.id
            tops.append(option)
        assert len(set(tops)) > 1, question.id


def test_one_group_grows_over_time(all_kinds):
    batch = generate_fragments(all_kinds, 6000, 12, end=END)
    order = np.argsort([f.collected_at for f in batch.fragments])
    truth = np.array(batch.truth)[order]
    early, late = truth[: len(truth) // 3], truth[-len(truth) // 3 :]
    changes = [abs(np.mean(late == g) - np.mean(early == g)) for g in range(batch.groups)]
    assert max(changes) > 0.1


def test_stories_vary_in_length_and_words_by_group(all_kinds):
    batch = generate_fragments(all_kinds, 2000, 13, end=END)
    stories = [f.story for f in batch.fragments]
    assert min(map(len, stories)) < 120 and max(map(len, stories)) > 400
    assert all(s == s.strip() and len(s) <= all_kinds.story_limit for s in stories)
    swedish = " ".join(f.story for f in batch.fragments if f.language == "sv")
    assert all(letter in swedish for letter in "åäö")
    english = [f.story for f in batch.fragments if f.language == "en"]
    assert english and not any(letter in s for s in english for letter in "åäö")
    titles = [
        {f.title for f, g in zip(batch.fragments, batch.truth, strict=True) if g == group}
        for group in range(batch.groups)
    ]
    for a, b in combinations(titles, 2):
        assert not (a - {None}) & (b - {None})  # each group has its own themes
    identity_number = re.compile(r"\b\d{6}(\d{2})?[-+]?\d{4}\b")
    assert not any(identity_number.search(s) for s in stories)


def test_generate_command_stores_fragments_as_generated(tmp_path, all_kinds):
    path = str(tmp_path / "generated.db")
    runner = CliRunner()
    loaded = runner.invoke(cli, ["--db", path, "survey", "load", str(DATA / "all_kinds.yaml")])
    assert loaded.exit_code == 0, loaded.output
    result = runner.invoke(cli, ["--db", path, "generate", "all_kinds", "--n", "50", "--seed", "3"])
    assert result.exit_code == 0, result.output
    database = db.connect(path)
    try:
        assert db.count_fragments(database, "all_kinds") == 50
        expected = generate_fragments(all_kinds, 50, 3)
        stored = [db.get_fragment(database, f.id) for f in expected.fragments]
        assert {row["source"] for row in stored} == {"generated"}
        assert [row["story"] for row in stored] == [f.story for f in expected.fragments]
    finally:
        database.close()


@pytest.mark.slow
def test_a_hundred_thousand_stories_in_well_under_twenty_seconds():
    survey = surveys.load(ROOT / "surveys" / "trygg-omsorg.yaml")
    start = time.perf_counter()
    batch = generate_fragments(survey, 100_000, 1, end=END)
    elapsed = time.perf_counter() - start
    assert len(batch.fragments) == 100_000
    assert elapsed < 20, f"{elapsed:.1f} s"
