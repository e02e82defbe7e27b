"""Each question kind accepts the answers it should and refuses the rest."""

import math

import pytest

from sensemaker.questions import NA, AnswerError


def parse(survey, question_id, value):
    return survey.questions[question_id].parse(value)


def refused(survey, question_id, value) -> str:
    with pytest.raises(AnswerError) as caught:
        parse(survey, question_id, value)
    return caught.value.key


class TestTriad:
    def test_shares_in_label_order_are_kept(self, all_kinds):
        assert parse(all_kinds, "safety", [0.45, 0.30, 0.25]) == pytest.approx([0.45, 0.3, 0.25])

    def test_shares_are_closed_to_exactly_one(self, all_kinds):
        shares = parse(all_kinds, "safety", [0.3333333, 0.3333333, 0.3333334])
        assert math.fsum(shares) == pytest.approx(1.0, abs=1e-15)

    def test_corner_and_edge_answers_are_valid(self, all_kinds):
        assert parse(all_kinds, "safety", [1, 0, 0]) == [1.0, 0.0, 0.0]
        assert parse(all_kinds, "safety", [0.5, 0, 0.5]) == [0.5, 0.0, 0.5]

    @pytest.mark.parametrize(
        "value, key",
        [
            ([0.5, 0.5], "answer.triad_shape"),
            ("0.5,0.5,0", "answer.triad_shape"),
            ([0.6, 0.6, -0.2], "answer.triad_range"),
            ([0.5, 0.5, 0.1], "answer.triad_sum"),
            ([0.5, 0.5, 1e-5], "answer.triad_sum"),
            ([True, 0, 0], "answer.triad_range"),
            (["0.5", 0.25, 0.25], "answer.triad_range"),
            ([float("nan"), 0.5, 0.5], "answer.triad_range"),
        ],
    )
    def test_refused(self, all_kinds, value, key):
        assert refused(all_kinds, "safety", value) == key

    def test_sum_tolerance_is_one_in_a_million(self, all_kinds):
        assert parse(all_kinds, "safety", [0.5, 0.5, 9e-7])
        assert refused(all_kinds, "safety", [0.5, 0.5, 2e-6]) == "answer.triad_sum"

    def test_na_when_allowed(self, all_kinds):
        assert parse(all_kinds, "safety", NA) == NA


class TestDyad:
    def test_bounds_are_inclusive(self, all_kinds):
        assert parse(all_kinds, "pace", 0) == 0.0
        assert parse(all_kinds, "pace", 1) == 1.0

    @pytest.mark.parametrize("value", [-0.01, 1.01, "0.5", None, [0.5], float("inf"), False])
    def test_refused(self, all_kinds, value):
        assert refused(all_kinds, "pace", value) == "answer.unit_range"


class TestStones:
    def test_unplaced_stones_are_dropped(self, all_kinds):
        answer = parse(all_kinds, "people", {"nurse": [0.1, 0.9], "doctor": None})
        assert answer == {"nurse": [0.1, 0.9]}

    @pytest.mark.parametrize(
        "value, key",
        [
            ({"janitor": [0.1, 0.1]}, "answer.unknown_stone"),
            ({"nurse": [0.1]}, "answer.stones_shape"),
            ({"nurse": [0.1, 1.2]}, "answer.unit_range"),
            ([[0.1, 0.2]], "answer.stones_shape"),
        ],
    )
    def test_refused(self, all_kinds, value, key):
        assert refused(all_kinds, "people", value) == key

    def test_na_is_refused_when_not_allowed(self, all_kinds):
        assert refused(all_kinds, "people", NA) == "answer.na_not_allowed"


class TestChoice:
    def test_single_choice(self, all_kinds):
        assert parse(all_kinds, "role", "relative") == "relative"

    def test_multi_choice_with_other_text(self, all_kinds):
        answer = parse(all_kinds, "topics", {"selected": ["food", "other"], "other": " Musik "})
        assert answer == {"selected": ["food", "other"], "other": "Musik"}

    @pytest.mark.parametrize(
        "question, value, key",
        [
            ("role", "doctor", "answer.unknown_option"),
            ("role", ["patient"], "answer.choice_single"),
            ("role", "other", "answer.unknown_option"),  # no "other" on this question
            ("topics", ["food", "sleep", "company"], "answer.choice_max"),
            ("topics", ["food", "food"], "answer.choice_repeated"),
            ("topics", "food", "answer.choice_multi"),
            ("topics", {"selected": ["food"], "other": "x"}, "answer.other_without_choice"),
            ("topics", {"selected": ["other"], "other": "x" * 501}, "answer.text_too_long"),
            ("topics", {"chosen": ["food"]}, "answer.choice_shape"),
            ("role", NA, "answer.na_not_allowed"),
        ],
    )
    def test_refused(self, all_kinds, question, value, key):
        assert refused(all_kinds, question, value) == key


class TestStar:
    def test_ratings_and_na(self, all_kinds):
        assert parse(all_kinds, "life", {"health": 1, "home": 10, "friends": NA}) == {
            "health": 1, "home": 10, "friends": NA,
        }  # fmt: skip

    @pytest.mark.parametrize(
        "value, key",
        [
            ({"health": 0}, "answer.star_value"),
            ({"health": 11}, "answer.star_value"),
            ({"health": 5.5}, "answer.star_value"),
            ({"health": True}, "answer.star_value"),
            ({"money": 5}, "answer.unknown_area"),
            ([5, 5, 5], "answer.star_shape"),
        ],
    )
    def test_refused(self, all_kinds, value, key):
        assert refused(all_kinds, "life", value) == key


class TestText:
    def test_trimmed(self, all_kinds):
        assert parse(all_kinds, "wish", "  Mer tid  ") == "Mer tid"

    def test_limit_is_the_survey_s(self, all_kinds):
        assert parse(all_kinds, "wish", "å" * 300) == "å" * 300
        assert refused(all_kinds, "wish", "å" * 301) == "answer.text_too_long"

    def test_not_text(self, all_kinds):
        assert refused(all_kinds, "wish", 42) == "answer.text_type"
