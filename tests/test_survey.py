"""Survey files: good ones load, broken ones name every problem and where it is."""

import copy

import pytest
import yaml

from sensemaker import survey as surveys
from sensemaker.definition import Problem

from .conftest import DATA


@pytest.fixture
def raw():
    return yaml.safe_load((DATA / "all_kinds.yaml").read_text(encoding="utf-8"))


def problems(raw, expected_id="all_kinds"):
    return {(p.path, p.key) for p in surveys.check(raw, expected_id)}


def test_good_file_has_no_problems(raw):
    assert surveys.check(raw, "all_kinds") == []


def test_id_comes_from_the_file_name(all_kinds):
    assert all_kinds.id == "all_kinds"
    assert list(all_kinds.questions) == [
        "safety",
        "pace",
        "people",
        "role",
        "topics",
        "life",
        "wish",
    ]


def test_public_definition_is_in_the_requested_language(all_kinds):
    sv, en = all_kinds.public("sv"), all_kinds.public("en")
    assert sv["title"] == "Alla frågetyper" and en["title"] == "Every question kind"
    triad = en["questions"][0]
    assert triad["kind"] == "triad"
    assert [label["id"] for label in triad["labels"]] == ["staff", "family", "self"]
    assert triad["labels"][0]["text"] == "The staff"
    assert en["questions"][3]["demographic"] is True


@pytest.mark.parametrize(
    "change, path, key",
    [
        (lambda r: r["questions"][0]["labels"].pop(), "questions[0].labels", "def.count"),
        (
            lambda r: r["questions"][1]["labels"].append({"id": "x", "text": "X"}),
            "questions[1].labels",
            "def.count",
        ),
        (lambda r: r["questions"][0]["text"].pop("en"), "questions[0].text", "def.text_language"),
        (
            lambda r: r["questions"][2].update(kind="slider"),
            "questions[2].kind",
            "def.unknown_kind",
        ),
        (
            lambda r: r["questions"][3].update(allow_na=True),
            "questions[3].allow_na",
            "def.na_not_geometric",
        ),
        (lambda r: r["questions"][4].update(max="two"), "questions[4].max", "def.expect_int"),
        (
            lambda r: r["questions"][4]["options"].append({"id": "other", "text": "Annat"}),
            "questions[4].options[3].id",
            "def.reserved_other",
        ),
        (
            lambda r: r["questions"][5]["stages"][1].update({"from": 5}),
            "questions[5].stages[1]",
            "def.stages",
        ),
        (lambda r: r["questions"][5]["stages"].pop(), "questions[5].stages", "def.stages"),
        (lambda r: r["questions"][6].update(max_length=0), "questions[6].max_length", "def.range"),
        (lambda r: r["questions"][1].update(id="safety"), "questions[1].id", "def.duplicate_id"),
        (lambda r: r["questions"][1].update(id="Tempo!"), "questions[1].id", "def.bad_id"),
        (
            lambda r: r["questions"][1].update(colour="red"),
            "questions[1].colour",
            "def.unknown_key",
        ),
        (lambda r: r["questions"][2]["axes"].pop("y"), "questions[2].axes.y", "def.missing"),
        (lambda r: r.update(languages=["sv"]), "languages", "def.required_language"),
        (lambda r: r.pop("version"), "version", "def.missing"),
        (lambda r: r.update(id="another"), "id", "def.id_mismatch"),
        (lambda r: r["prompts"][0].pop("text"), "prompts[0].text", "def.missing"),
        (lambda r: r.update(questions={}), "questions", "def.expect_list"),
        (lambda r: r["story"].update(title="yes"), "story.title", "def.expect_bool"),
    ],
)
def test_broken_file_names_the_place_and_the_problem(raw, change, path, key):
    broken = copy.deepcopy(raw)
    change(broken)
    assert (path, key) in problems(broken)


def test_every_problem_is_reported_not_only_the_first(raw):
    raw["questions"][0]["labels"].pop()
    raw["questions"][1]["kind"] = "nope"
    raw["title"] = {"sv": "Bara svenska"}
    found = problems(raw)
    assert {
        ("questions[0].labels", "def.count"),
        ("questions[1].kind", "def.unknown_kind"),
        ("title", "def.text_language"),
    } <= found


def test_problem_messages_exist_in_both_languages():
    problem = Problem("questions[3].labels", "def.count", {"expected": 3, "actual": 2})
    assert problem.message("en") == "must have exactly 3 entries, not 2"
    assert problem.message("sv") == "ska ha exakt 3 poster, inte 2"


def test_invalid_yaml_reports_line_and_column(tmp_path):
    path = tmp_path / "trasig.yaml"
    path.write_text("version: 1\ntitle: {sv: Hej?, en: x\n", encoding="utf-8")
    with pytest.raises(surveys.SurveyError) as caught:
        surveys.load(path)
    [problem] = caught.value.problems
    assert problem.key == "def.yaml" and problem.path.startswith("line ")


def test_not_a_mapping_at_all():
    assert problems(["a", "list"]) == {("", "def.expect_mapping")}
