"""The example surveys in surveys/: valid, fully bilingual, and built the SenseMaker way."""

import json
import re
from pathlib import Path

import pytest
import yaml

from sensemaker import fragments
from sensemaker import survey as surveys

SURVEYS = Path(__file__).parent.parent / "surveys"
FILES = sorted(SURVEYS.glob("*.yaml"))
# Keys whose values are visible texts, wherever they appear in a survey file.
TEXT_KEYS = {"title", "intro", "consent", "text", "hint", "title_text", "low", "high"}
# Keys whose values are identifiers, kinds or language codes, never shown to a teller.
PLAIN_KEYS = {"id", "kind", "languages"}


def _raw(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _text_problems(node, path: str = "") -> list[str]:
    """Every place where a visible text is not `{sv: ..., en: ...}` with both filled in."""
    problems = []
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}" if path else str(key)
            if path == "story" and key == "title":
                if not isinstance(value, bool):
                    problems.append(f"{where}: the story's title switch must be true or false")
            elif key in TEXT_KEYS:
                ok = isinstance(value, dict) and all(
                    isinstance(value.get(lang), str) and value[lang].strip()
                    for lang in ("sv", "en")
                )
                if not ok:
                    problems.append(f"{where}: needs non-empty sv and en texts, got {value!r}")
            elif key not in PLAIN_KEYS:
                problems += _text_problems(value, where)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            problems += _text_problems(item, f"{path}[{index}]")
    elif isinstance(node, str):
        problems.append(f"{path}: plain string {node!r}")
    return problems


def test_there_are_four_example_surveys():
    assert {f.stem for f in FILES} == {
        "trygg-omsorg",
        "samordnad-vard",
        "larande-arbetsplats",
        "min-resa",
    }


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_survey_loads_with_its_file_name_as_id(path):
    survey = surveys.load(path)
    assert survey.id == path.stem
    assert survey.version == 1
    assert survey.languages == ("sv", "en")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_visible_text_is_in_swedish_and_english(path):
    assert _text_problems(_raw(path)) == []


def test_the_text_walk_finds_plain_and_one_language_texts():
    raw = {
        "title": "Bara svenska",
        "story": {"title": True, "hint": {"sv": "Skriv", "en": " "}},
        "questions": [{"id": "q", "kind": "dyad", "labels": [{"id": "a", "text": {"sv": "A"}}]}],
        "prompts": ["Berätta"],
        "languages": ["sv", "en"],
        "version": 1,
    }
    problems = _text_problems(raw)
    assert [p.split(":")[0] for p in problems] == [
        "title",
        "story.hint",
        "questions[0].labels[0].text",
        "prompts[0]",
    ]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_survey_has_intro_consent_prompts_and_a_titled_story(path):
    raw = _raw(path)
    assert raw["intro"] and raw["consent"]
    assert 2 <= len(raw["prompts"]) <= 4
    assert raw["story"]["title"] is True
    assert {"text", "hint", "title_text"} <= set(raw["story"])
    for lang in ("sv", "en"):
        consent = raw["consent"][lang].lower()
        assert "personnummer" in consent or "identity number" in consent


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_survey_has_three_to_six_triads_and_dyads(path):
    kinds = [q.kind for q in surveys.load(path).questions.values()]
    assert 3 <= kinds.count("triad") + kinds.count("dyad") <= 6


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_survey_has_a_demographic_choice(path):
    questions = surveys.load(path).questions.values()
    assert any(q.kind == "choice" and q.demographic for q in questions)


def test_outcome_star_survey_has_a_star_with_six_to_eight_areas():
    questions = surveys.load(SURVEYS / "min-resa.yaml").questions.values()
    stars = [q for q in questions if q.kind == "star"]
    assert len(stars) == 1
    assert 6 <= len(stars[0].raw["areas"]) <= 8
    assert [(s["from"], s["to"]) for s in stars[0].raw["stages"]] == [
        (1, 2),
        (3, 4),
        (5, 6),
        (7, 8),
        (9, 10),
    ]
    assert any(q.kind == "text" for q in questions)


DOCS = Path(__file__).parent.parent / "docs" / "surveys.md"


def test_the_examples_in_the_survey_documentation_are_valid():
    """Every whole survey and every question example in docs/surveys.md passes the checks."""
    text = DOCS.read_text(encoding="utf-8")
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", text, re.S)]
    header = {"version": 1, "languages": ["sv", "en"], "title": {"sv": "T", "en": "T"}}
    whole = [b for b in blocks if isinstance(b, dict) and "questions" in b]
    questions = [b for b in blocks if isinstance(b, list) and "kind" in b[0]]
    assert len(whole) >= 2 and len(questions) == 6
    for raw in whole + [{**header, "questions": q} for q in questions]:
        assert surveys.check(raw, "example") == []
    body = json.loads(re.findall(r"```json\n(.*?)```", text, re.S)[0])
    fragment = fragments.parse(body, surveys.load(SURVEYS / "trygg-omsorg.yaml"))
    assert fragment.answers["personer"] == {"sjukskoterska": [0.8, 0.3]}
