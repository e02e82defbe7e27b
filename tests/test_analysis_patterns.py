"""Patterns told in Swedish and English: the sentences, the numbers, the ranking."""

import re
from pathlib import Path

import numpy as np
import pytest
import yaml

from sensemaker.analysis import (
    Comparison,
    cluster_fragments,
    cluster_patterns,
    compare_groups,
    describe_clusters,
    group_patterns,
    synthetic,
    vocabulary,
    wording,
)

DATA = Path(__file__).parent / "data"

VOCABULARY = {
    "sv": {
        "groups": ["anhöriga", "personalen"],
        "questions": {
            "support": {"text": "Vad hjälpte?", "labels": ["information", "tid", "tröst"]},
            "pace": {"text": "Hur var tempot?", "labels": ["stressat", "lugnt"]},
        },
    },
    "en": {
        "groups": ["relatives", "staff"],
        "questions": {
            "support": {"text": "What helped?", "labels": ["information", "time", "comfort"]},
            "pace": {"text": "How was the pace?", "labels": ["rushed", "calm"]},
        },
    },
}


def triad_difference(q=0.0004, strength=3):
    comparison = Comparison("support", "triad", None, 80, 95, q=q, p=q / 2, strength=strength)
    comparison.groups = {
        "a": {"geometric_mean": [0.52, 0.28, 0.20]},
        "b": {"geometric_mean": [0.21, 0.40, 0.39]},
    }
    return comparison


def test_the_example_sentence_in_both_languages():
    (pattern,) = group_patterns([triad_difference()], VOCABULARY)
    assert pattern.text["en"] == (
        "Relatives placed *information* much higher than staff did "
        "(geometric mean 0.52 vs 0.21; q < 0.001)."
    )
    assert pattern.text["sv"] == (
        "Anhöriga placerade *information* mycket högre än personalen "
        "(geometriskt medelvärde 0,52 mot 0,21; q < 0,001)."
    )


def test_weaker_effects_are_worded_more_softly_and_lower_is_lower():
    comparison = triad_difference(q=0.012, strength=1)
    comparison.groups["a"], comparison.groups["b"] = comparison.groups["b"], comparison.groups["a"]
    (pattern,) = group_patterns([comparison], VOCABULARY)
    assert "somewhat lower" in pattern.text["en"] and "q = 0.012" in pattern.text["en"]
    assert "något lägre" in pattern.text["sv"] and "q = 0,012" in pattern.text["sv"]


def test_dyads_name_the_pole_they_lean_to():
    comparison = Comparison(
        "pace", "dyad", None, 40, 40, p=0.001, q=0.003, strength=2,
        effect="rank-biserial", effect_size=-0.4,
    )  # fmt: skip
    comparison.groups = {"a": {"median": 0.3}, "b": {"median": 0.62}}
    (pattern,) = group_patterns([comparison], VOCABULARY)
    assert pattern.text["en"] == (
        "Relatives answered *How was the pace?* closer to *rushed* than staff did "
        "(median 0.30 vs 0.62; q = 0.003)."
    )
    assert pattern.text["sv"] == (
        "Anhöriga svarade närmare *stressat* än personalen på *Vad hjälpte?* ".replace(
            "Vad hjälpte?", "Hur var tempot?"
        )
        + "(median 0,30 mot 0,62; q = 0,003)."
    )


def test_numbers_are_written_the_swedish_way_in_swedish():
    assert wording.number(0.5, "sv") == "0,50"
    assert wording.number(1234.5, "sv", 1) == "1\u00a0234,5"
    assert wording.number(1234.5, "en", 1) == "1,234.5"
    assert wording.percent(0.341, "sv") == "34\u00a0%"
    assert wording.percent(0.341, "en") == "34%"
    assert wording.rating(6.5, "sv") == "6,5" and wording.rating(7.0, "en") == "7"
    assert wording.q_value(0.0004, "sv") == "q < 0,001"
    assert wording.q_value(0.0123, "en") == "q = 0.012"
    assert wording.q_value(0.23, "sv") == "q = 0,23"
    assert wording.q_value(0.0030, "sv") == "q = 0,003"
    assert wording.q_value(0.01, "en") == "q = 0.01"
    assert wording.stories(1, "sv") == "1 berättelse"
    assert wording.stories(1200, "en") == "1,200 stories"


def test_the_catalogue_has_the_same_sentences_in_both_languages():
    assert set(wording.SENTENCES["sv"]) == set(wording.SENTENCES["en"])
    for key, template in wording.SENTENCES["en"].items():
        fields = set(re.findall(r"{(\w+)}", template))
        assert fields == set(re.findall(r"{(\w+)}", wording.SENTENCES["sv"][key])), key


def test_vocabulary_from_a_survey_definition():
    questions = yaml.safe_load((DATA / "all_kinds.yaml").read_text(encoding="utf-8"))["questions"]
    sv = vocabulary(questions, "sv", groups=("patienter", "personalen"))
    assert sv["groups"] == ["patienter", "personalen"]
    assert sv["questions"]["safety"]["labels"] == ["Personalen", "Familjen", "Jag själv"]
    assert sv["questions"]["topics"]["options"]["sleep"] == "Sömn"
    assert sv["questions"]["life"]["areas"]["home"] == "Boende"
    assert sv["questions"]["people"]["axes"]["x"] == ["Långt borta", "Nära"]
    assert vocabulary(questions, "en")["questions"]["pace"]["labels"] == ["Rushed", "Calm"]


@pytest.fixture(scope="module")
def planted():
    return synthetic.generate(2000, seed=1)


def test_group_patterns_are_ranked_and_only_notable(planted):
    first, second = planted.groups == 0, planted.groups == 1
    comparisons = compare_groups(planted.significations, first, second)
    patterns = group_patterns(comparisons, {}, limit=6)
    assert 0 < len(patterns) <= 6
    strengths = [p.strength for p in patterns]
    assert strengths == sorted(strengths, reverse=True)
    assert all(p.q <= 0.05 for p in patterns)
    for pattern in patterns:
        assert pattern.text["en"].endswith(".") and pattern.text["sv"].endswith(".")
        assert not re.search(r"\d\.\d", pattern.text["sv"])  # decimal commas only
        assert pattern.text["en"].startswith("A ")  # names fall back when none are given


def test_cluster_patterns_tell_each_clusters_strongest_features(planted):
    run = cluster_fragments(planted.significations, seed=0)
    descriptions = describe_clusters(run, planted.significations)
    patterns = cluster_patterns(descriptions, {})
    clusters = [p.cluster for p in patterns]
    assert clusters == sorted(clusters)
    assert set(clusters) == set(range(1, run.k + 1))
    assert np.bincount(clusters).max() <= 3
    first = next(p for p in patterns if p.cluster == 1)
    size = wording.count(run.sizes[0], "en")
    assert f"luster 1 ({size} stories)" in first.text["en"]
    assert "luster 1 (" in first.text["sv"] and "berättelser" in first.text["sv"]
    choice = [p for p in patterns if p.kind == "choice"]
    assert choice and all("%" in p.text["en"] and "q " in p.text["sv"] for p in choice)
