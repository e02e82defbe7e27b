"""A submitted fragment (one story and its signification), validated against its survey.

The body has the shape of `POST /api/v1/surveys/<id>/fragments`; the same function serves
the web form, the API and the bulk loader, so all three accept exactly the same things.
"""

import contextlib
import hashlib
import json
import re
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime

import orjson

from .questions import AnswerError
from .survey import TITLE_LIMIT, Survey

FIELDS = (
    "id", "language", "prompt", "title", "story", "consent", "collected_at", "answers",
    "survey_version",
)  # fmt: skip
MAX_REQUEST_BYTES = 256 * 1024


@dataclass(frozen=True)
class Fragment:
    id: str
    survey_id: str
    survey_version: int
    language: str
    prompt: str | None
    title: str | None
    story: str
    consent: bool | None
    collected_at: str
    answers: dict

    def as_dict(self) -> dict:
        return asdict(self)

    def as_body(self) -> dict:
        """The fragment as the submission API takes it (the survey is in the URL)."""
        body = asdict(self)
        del body["survey_id"]
        return body


class FragmentInvalid(ValueError):
    """Problems per field or question id, each a message key with its parameters."""

    def __init__(self, errors: dict[str, tuple[str, dict]], language: str | None):
        super().__init__(", ".join(errors))
        self.errors = errors
        self.language = language  # the body's own language, when it named a valid one


def free_texts(fragment: Fragment, survey: Survey) -> list[str]:
    """Everything the teller typed: title, story, short answers and "other" texts."""
    texts = [fragment.title or "", fragment.story]
    for question_id, answer in fragment.answers.items():
        if survey.questions[question_id].kind == "text":
            texts.append(answer)
        elif isinstance(answer, dict) and isinstance(answer.get("other"), str):
            texts.append(answer["other"])
    return [text for text in texts if text]


def _reject_constant(name):
    raise ValueError(f"{name} is not JSON")


def read_body(data: bytes | str) -> tuple[object, str]:
    """A request body as JSON with its `body_hash`, or ValueError.

    NaN, Infinity, deep nesting and lone surrogates ("\ud800" is valid JSON but not text
    that can be stored) all fail; hashing encodes every string, which finds the last.

    Bytes are read by orjson, about three times faster than the json module, which reads
    whatever orjson refuses, so both accept the same bodies with the same values, but
    for one thing no valid answer holds: an integer past 64 bits is a float in orjson.
    """
    try:
        body = _loads(data)
        return body, body_hash(body)
    except (ValueError, RecursionError) as error:  # UnicodeError is a ValueError
        raise ValueError("unreadable JSON") from error


def _loads(data: bytes | str):
    if isinstance(data, bytes):
        with contextlib.suppress(orjson.JSONDecodeError):
            return orjson.loads(data)
    return json.loads(data, parse_constant=_reject_constant)


# Where orjson and Python's json module write a number differently: below 1e-4 Python
# writes 1e-05, orjson 0.00001 or 1e-5. Elsewhere the two are byte for byte the same.
_WRITTEN_DIFFERENTLY = re.compile(rb"[:,\[]-?(?:[0-9.]+e-|0\.0000)")


def body_hash(body: dict) -> str:
    """A fingerprint of the request body that ignores key order and whitespace: SHA-256
    of its JSON with sorted keys, no spaces and text as UTF-8, as Python's json module
    writes it (`json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)`),
    so a story stored by an earlier version is still recognised when it is sent again.

    orjson writes the same bytes about six times faster, except for the numbers
    `_WRITTEN_DIFFERENTLY` finds (in the text too, which costs only speed), values it
    does not write (integers past 64 bits, nesting past 254 levels), and text that is
    not Unicode; those go through the json module.
    """
    try:
        canonical = orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # orjson.JSONEncodeError
        canonical = None
    if canonical is None or (
        (b"e-" in canonical or b"0.0000" in canonical)  # quick, and the search is not
        and _WRITTEN_DIFFERENTLY.search(canonical)
    ):
        text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        canonical = text.encode("utf-8")  # a lone surrogate fails here: UnicodeEncodeError
    return hashlib.sha256(canonical).hexdigest()


def parse(body, survey: Survey) -> Fragment:
    """Validate a submission against `survey` (the version it names); raise FragmentInvalid."""
    if not isinstance(body, dict):
        raise FragmentInvalid({"body": ("fragment.body", {})}, None)
    errors: dict[str, tuple[str, dict]] = {}

    def fail(field: str, key: str, **params):
        errors.setdefault(field, (key, params))

    for key in body:
        if key not in FIELDS:
            fail(str(key)[:100], "fragment.unknown_field")
    language = body.get("language")
    if language not in survey.languages:
        fail("language", "fragment.language", languages=", ".join(survey.languages))
        language = None
    fragment_id = _uuid(body.get("id"))
    if fragment_id is None:
        fail("id", "fragment.id")
    prompt = body.get("prompt")
    if survey.prompt_ids:
        if prompt not in survey.prompt_ids:
            fail("prompt", "fragment.prompt")
    elif prompt is not None:
        fail("prompt", "fragment.no_prompts")
    title = _text(body.get("title"), TITLE_LIMIT, "title", fail)
    story = _text(body.get("story"), survey.story_limit, "story", fail)
    if not story and "story" not in errors:
        fail("story", "fragment.story_missing")
    consent = body.get("consent")
    if consent is not None and not isinstance(consent, bool):
        fail("consent", "fragment.consent_type")
    elif survey.definition.get("consent") and consent is not True:
        fail("consent", "fragment.consent")
    collected_at = body.get("collected_at")
    if not _timestamp(collected_at):
        fail("collected_at", "fragment.collected_at")
    version = body.get("survey_version", survey.version)
    if type(version) is not int or version != survey.version:  # true and 1.0 are not 1
        fail("survey_version", "fragment.version")
    answers = _answers(body.get("answers", {}), survey, fail)
    if errors:
        raise FragmentInvalid(errors, language)
    return Fragment(
        id=fragment_id,
        survey_id=survey.id,
        survey_version=survey.version,
        language=language,
        prompt=prompt,
        title=title or None,
        story=story,
        consent=consent,
        collected_at=collected_at,
        answers=answers,
    )


def _answers(raw, survey: Survey, fail) -> dict:
    if not isinstance(raw, dict):
        fail("answers", "fragment.answers_type")
        return {}
    answers = {}
    for question_id, value in raw.items():
        question = survey.questions.get(question_id)
        if question is None:
            fail(str(question_id)[:100], "answer.unknown_question")
            continue
        try:
            answers[question_id] = question.parse(value)
        except AnswerError as error:
            fail(question_id, error.key, **error.params)
    for question in survey.questions.values():
        if question.required and question.id not in raw:
            fail(question.id, "answer.required")
    return answers


def _uuid(value) -> str | None:
    if not isinstance(value, str) or len(value) > 36:
        return None
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        return None
    # Only the canonical lower-case form: "ABC…" and "abc…" must not become two stories.
    return value if str(parsed) == value else None


def _text(value, limit: int, field: str, fail) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        fail(field, "answer.text_type")
        return None
    value = value.strip()
    if len(value) > limit:
        fail(field, "answer.text_too_long", max=limit)
        return None
    return value


def _timestamp(value) -> bool:
    if not isinstance(value, str) or len(value) > 40:
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True
