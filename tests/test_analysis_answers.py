"""Answers as arrays: N/A kept apart from missing, stored values read, summaries counted."""

import json

import numpy as np
import pytest

from sensemaker.analysis import (
    ChoiceAnswers,
    DyadAnswers,
    Significations,
    StarAnswers,
    StonesAnswers,
    TriadAnswers,
)


def test_triad_from_stored_values_keeps_na_apart_from_missing():
    answers = TriadAnswers.from_stored([[0.2, 0.3, 0.5], "na", None, [1, 0, 0]])
    assert answers.na.tolist() == [False, True, False, False]
    assert answers.missing.tolist() == [False, False, True, False]
    assert answers.answered.tolist() == [True, False, False, True]
    summary = answers.summary()
    assert (summary["answered"], summary["na"], summary["missing"]) == (2, 1, 1)
    assert (summary["on_corners"], summary["on_edges"]) == (1, 0)
    json.dumps(summary)


@pytest.mark.parametrize(
    "shares",
    [[[0.2, 0.3, 0.6]], [[-0.1, 0.5, 0.6]], [[0.5, np.nan, 0.5]], [[1.2, -0.1, -0.1]]],
)
def test_triad_rejects_shares_that_are_not_a_composition(shares):
    with pytest.raises(ValueError):
        TriadAnswers(np.array(shares))


def test_na_rows_are_blanked_whatever_the_caller_put_there():
    answers = TriadAnswers(np.array([[0.2, 0.3, 0.5]]), np.array([True]))
    assert np.isnan(answers.shares).all()


def test_dyad_centre_ignores_na():
    answers = DyadAnswers.from_stored([0.1, 0.2, "na", 0.9, None])
    summary = answers.summary()
    assert summary["median"] == pytest.approx(0.2)
    assert summary["mean"] == pytest.approx(0.4)
    assert (summary["answered"], summary["na"], summary["missing"]) == (3, 1, 1)


def test_dyad_rejects_values_off_the_line():
    with pytest.raises(ValueError):
        DyadAnswers(np.array([0.5, 1.5]))


def test_stones_separate_unplaced_na_and_missing():
    answers = StonesAnswers.from_stored(
        [{"nurse": [0.2, 0.8], "doctor": None}, "na", None, {}], ["nurse", "doctor"]
    )
    summary = answers.summary()
    assert (summary["answered"], summary["na"], summary["missing"]) == (2, 1, 1)
    assert summary["stones"]["nurse"]["placed"] == 1
    assert summary["stones"]["doctor"]["unplaced"] == 2
    assert summary["stones"]["nurse"]["x"]["median"] == pytest.approx(0.2)


def test_choice_single_and_multi_from_stored():
    single = ChoiceAnswers.from_stored(["staff", "patient", None, "staff"], ["patient", "staff"])
    assert single.selected.sum(axis=0).tolist() == [1, 2]
    assert single.missing.tolist() == [False, False, True, False]
    summary = single.summary()
    assert summary["options"]["staff"]["share"] == pytest.approx(2 / 3)
    multi = ChoiceAnswers.from_stored(
        [["food", "sleep"], {"selected": ["other"], "other": "walks"}, []],
        ["food", "sleep", "other"],
        multiple=True,
    )
    assert multi.selected.tolist() == [[True, True, False], [False, False, True], [False] * 3]
    assert multi.answered.tolist() == [True, True, True]  # an empty list is an answer


def test_single_choice_with_two_options_is_refused():
    with pytest.raises(ValueError):
        ChoiceAnswers(np.array([[True, True]]), ("a", "b"))


def test_star_ratings_per_area():
    answers = StarAnswers.from_stored(
        [{"health": 3, "home": "na"}, {"health": 7, "home": 5}, None], ["health", "home"]
    )
    summary = answers.summary()["areas"]
    assert summary["health"]["median"] == pytest.approx(5.0)
    assert (summary["home"]["answered"], summary["home"]["na"], summary["home"]["missing"]) == (
        1,
        1,
        1,
    )
    with pytest.raises(ValueError):
        StarAnswers(np.array([[11.0]]), ("health",))


def test_significations_take_a_subset_of_fragments():
    significations = Significations(
        {
            "pace": DyadAnswers.from_stored([0.1, 0.5, "na"]),
            "role": ChoiceAnswers.from_stored(["a", "b", "a"], ["a", "b"]),
        }
    )
    subset = significations.take(np.array([True, False, True]))
    assert subset.n == 2
    assert subset["pace"].na.tolist() == [False, True]
    assert subset["role"].selected.tolist() == [[True, False], [True, False]]
    with pytest.raises(ValueError):
        Significations({"a": DyadAnswers([0.1]), "b": DyadAnswers([0.1, 0.2])})
