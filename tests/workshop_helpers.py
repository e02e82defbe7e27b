"""Stories for the workshop tests: generated ones, and hand-made ones with known answers."""

import uuid
from dataclasses import replace
from datetime import date

from sensemaker import db, fragments, intake
from sensemaker.generate import generate_fragments

END = date(2026, 10, 31)


def store(database, survey, items) -> None:
    prepared = [(f, intake.prepare(f, survey, fragments.body_hash(f.as_body()))) for f in items]
    db.insert_fragments(database, prepared)


def store_generated(database, survey, count: int, seed: int = 4) -> list:
    batch = generate_fragments(survey, count, seed=seed, end=END)
    store(database, survey, batch.fragments)
    return batch.fragments


def told(
    survey,
    story: str,
    answers: dict,
    *,
    title: str | None = "En rubrik",
    language: str = "sv",
    prompt: str = "good-day",
    day: str = "2026-09-01",
):
    """One hand-made fragment of `survey` with the given answers."""
    return fragments.Fragment(
        id=str(uuid.uuid4()), survey_id=survey.id, survey_version=survey.version,
        language=language, prompt=prompt, title=title, story=story, consent=True,
        collected_at=f"{day}T10:00:00+02:00", answers=answers,
    )  # fmt: skip


def with_answers(fragment, **answers):
    return replace(fragment, id=str(uuid.uuid4()), answers={**fragment.answers, **answers})


def workshop_forms(database, users) -> dict:
    """The workshop's HTML forms for the CSRF test, each with a body that changes something:
    the admin who posts them is assigned to the survey, and there are stories to cluster."""
    survey = db.get_survey(database, "all_kinds")
    db.assign(database, users["admin"]["id"], "all_kinds")
    store_generated(database, survey, 40, seed=9)
    return {"workshop.run_clustering": ("/workshop/all_kinds/clusters", {"k": "2"})}
