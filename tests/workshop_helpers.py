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
    kept, spare = (observe(database, title) for title in ("Att ändra", "Att ta bort"))
    base = "/workshop/all_kinds"
    return {
        "workshop.run_clustering": (f"{base}/clusters", {"k": "2"}),
        "workshop.add_observation": (f"{base}/observations", {"title": "Ny", "text": "Vi såg"}),
        "workshop.change_observation": (f"{base}/observations/{kept}", {"title": "Ändrad"}),
        "workshop.delete_observation": (f"{base}/observations/{spare}/delete", {}),
    }


def observe(database, title: str = "Nattens berättelser", **fields) -> int:
    """An observation of all_kinds, as a facilitator would keep it."""
    values = {"text": "Vi såg att natten var svår.", "filter": "c.role=staff",
              "picture": "safety", "selection": "", "source": "/workshop/all_kinds",
              "stories": [], **fields}  # fmt: skip
    return db.add_observation(database, "all_kinds", "facilitator@region.se", title=title,
                              **values)  # fmt: skip


def workshop_pages(database) -> list[str]:
    """Every workshop page for the security tour (an observation to edit included)."""
    base = "/workshop/all_kinds"
    pages = ["", "/pictures", "/pictures/safety", "/stories.json", "/compare", "/clusters",
             "/observations", f"/observations/{observe(database)}", "/report",
             "/report.html?part=observations&part=pictures&question=pace"]  # fmt: skip
    return [base + page for page in pages]
