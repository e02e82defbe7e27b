"""Survey definitions: reading a YAML file, checking it, and the form's view of it.

A survey's id is its file name without `.yaml`. The definition is stored in the database
with its version, so a story told against an older version can still be read against the
questions it answered.
"""

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from .definition import ID_PATTERN, REQUIRED_LANGUAGES, Checker, Problem
from .i18n import localize
from .questions import KINDS, Question

TOP_LEVEL = (
    "id", "version", "languages", "title", "intro", "consent", "prompts", "story", "questions",
)  # fmt: skip
STORY_FIELDS = ("text", "hint", "title", "title_text", "max_length")
STORY_LIMIT = 10_000
STORY_LIMIT_MAX = 50_000
TITLE_LIMIT = 200


class SurveyError(ValueError):
    """A survey file that cannot be used; carries every problem found."""

    def __init__(self, source: str, problems: list[Problem]):
        super().__init__(f"{source}: {len(problems)} problem(s)")
        self.source = source
        self.problems = problems


@dataclass(frozen=True)
class Survey:
    """A checked survey definition (the parsed YAML) and the question objects it implies."""

    definition: dict

    @property
    def id(self) -> str:
        return self.definition["id"]

    @property
    def version(self) -> int:
        return self.definition["version"]

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.definition["languages"])

    @cached_property
    def questions(self) -> dict[str, Question]:
        return {q["id"]: KINDS[q["kind"]](q) for q in self.definition["questions"]}

    @property
    def prompt_ids(self) -> list[str]:
        return [prompt["id"] for prompt in self.definition.get("prompts", [])]

    @property
    def story(self) -> dict:
        return self.definition.get("story") or {}

    @property
    def story_limit(self) -> int:
        return self.story.get("max_length", STORY_LIMIT)

    @property
    def asks_title(self) -> bool:
        return self.story.get("title", True)

    def title(self, lang: str) -> str:
        return localize(self.definition["title"], lang)

    def public(self, lang: str) -> dict:
        """The definition the form runs on, with every text in `lang`."""
        d = self.definition
        story = self.story
        return {
            "id": self.id,
            "version": self.version,
            "language": lang,
            "languages": list(self.languages),
            "title": localize(d["title"], lang),
            "intro": localize(d.get("intro"), lang),
            "consent": localize(d.get("consent"), lang) or None,
            "prompts": [
                {"id": p["id"], "text": localize(p["text"], lang)} for p in d.get("prompts", [])
            ],
            "story": {
                "text": localize(story.get("text"), lang) or None,
                "hint": localize(story.get("hint"), lang) or None,
                "title": self.asks_title,
                "title_text": localize(story.get("title_text"), lang) or None,
                "max_length": self.story_limit,
                "title_max_length": TITLE_LIMIT,
            },
            "questions": [q.public(lang) for q in self.questions.values()],
        }


def check(raw, expected_id: str | None = None) -> list[Problem]:
    """Every problem in a parsed survey file; an empty list means it is good."""
    if not isinstance(raw, dict):
        return [Problem("", "def.expect_mapping")]
    languages = raw.get("languages")
    checker = Checker(languages if _valid_languages(languages) else REQUIRED_LANGUAGES)
    checker.known_keys(raw, "", TOP_LEVEL)
    _check_header(raw, checker, expected_id)
    _check_prompts(raw, checker)
    _check_story(raw, checker)
    _check_questions(raw, checker)
    return checker.problems


def _valid_languages(languages) -> bool:
    return isinstance(languages, list) and all(isinstance(x, str) for x in languages)


def _check_header(raw, checker, expected_id):
    survey_id = raw.get("id", expected_id)
    if survey_id is None:
        checker.add("id", "def.missing")
    elif not isinstance(survey_id, str) or not ID_PATTERN.match(survey_id):
        checker.add("id", "def.bad_id", value=survey_id)
    elif expected_id is not None and survey_id != expected_id:
        checker.add("id", "def.id_mismatch", value=survey_id, expected=expected_id)
    checker.integer(raw, "version", "", 1, 1_000_000, required=True)
    languages = raw.get("languages")
    if languages is None:
        checker.add("languages", "def.missing")
    elif not _valid_languages(languages):
        checker.add("languages", "def.expect_list")
    else:
        for lang in REQUIRED_LANGUAGES:
            if lang not in languages:
                checker.add("languages", "def.required_language", language=lang)
    checker.text(raw, "title", "")
    checker.text(raw, "intro", "", required=False)
    checker.text(raw, "consent", "", required=False)


def _check_prompts(raw, checker):
    prompts = raw.get("prompts")
    if prompts is None:
        return
    if checker.list(prompts, "prompts"):
        checker.labelled_list(raw, "prompts", "")


def _check_story(raw, checker):
    story = raw.get("story")
    if story is None or not checker.mapping(story, "story"):
        return
    checker.known_keys(story, "story", STORY_FIELDS)
    checker.text(story, "text", "story", required=False)
    checker.text(story, "hint", "story", required=False)
    checker.text(story, "title_text", "story", required=False)
    checker.flag(story, "title", "story")
    checker.integer(story, "max_length", "story", 100, STORY_LIMIT_MAX)


def _check_questions(raw, checker):
    questions = raw.get("questions")
    if questions is None:
        checker.add("questions", "def.missing")
        return
    if not checker.list(questions, "questions"):
        return
    seen: set = set()
    for index, question in enumerate(questions):
        path = f"questions[{index}]"
        if not checker.mapping(question, path):
            continue
        checker.identifier(question, path, seen)
        kind = question.get("kind")
        if kind not in KINDS:
            checker.add(f"{path}.kind", "def.unknown_kind", value=kind, kinds=", ".join(KINDS))
            continue
        KINDS[kind].check(question, path, checker)


def parse(text: str, source: str, expected_id: str | None = None) -> Survey:
    """A Survey from YAML text; raises SurveyError listing every problem."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        detail = getattr(error, "problem", None) or str(error)
        raise SurveyError(source, [Problem(where, "def.yaml", {"error": detail})]) from None
    problems = check(raw, expected_id)
    if problems:
        raise SurveyError(source, problems)
    if "id" not in raw:
        raw["id"] = expected_id
    return Survey(raw)


def load(path: str | Path) -> Survey:
    """A Survey from a file in `surveys/`; its id is the file name without `.yaml`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problem = Problem("", "def.unreadable", {"error": str(error)})
        raise SurveyError(str(path), [problem]) from None
    return parse(text, str(path), expected_id=path.name.removesuffix(".yaml"))
