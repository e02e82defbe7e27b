"""What the group saw: observations kept from any workshop screen, listed, edited, deleted.

An observation keeps its words, the filter and picture it came from (and what was
clicked), the stories ticked in the reading panel, and who wrote and changed it when.
"""

from flask import abort, flash, g, redirect, request, url_for

from .. import db
from ..auth import roles_required
from ..web import get_db
from . import bp
from .data import open_workshop
from .reading import readable
from .render import page

TITLE_LIMIT = 200
TEXT_LIMIT = 5000
STORIES_LIMIT = 50


class Invalid(ValueError):
    """A form the user must change; `key` names the message."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


def _words(name: str, limit: int, required: bool = False) -> str:
    value = request.form.get(name, "").strip()
    if required and not value:
        raise Invalid(f"workshop.observation_{name}_missing")
    if len(value) > limit:
        raise Invalid("workshop.observation_too_long", max=limit)
    return value


def _stories(survey_id: str) -> list[int]:
    """The ticked stories: seqs of this survey only, each once, at most STORIES_LIMIT."""
    seqs = []
    for part in request.form.get("stories", "").replace(",", " ").split():
        if part.isdigit() and len(part) < 12:
            seqs.append(int(part))
    seqs = list(dict.fromkeys(seqs))
    if len(seqs) > STORIES_LIMIT:
        raise Invalid("workshop.observation_too_many", max=STORIES_LIMIT)
    return db.survey_seqs(get_db(), survey_id, seqs)


def _source(survey_id: str) -> str:
    """The workshop page it was written on: only a path under this survey's workshop."""
    source = request.form.get("source", "")
    home = url_for("workshop.overview", survey_id=survey_id)
    inside = source == home or source.startswith((home + "/", home + "?"))
    if not inside or any(ch.isspace() or not ch.isprintable() for ch in source):
        return home
    return source[:2000]


def listing(w, *, status=200, error=None, draft=None, editing=None):
    database = get_db()
    observations = db.list_observations(database, w.survey.id)
    for observation in observations:
        records = db.stories_for_reading(database, w.survey.id, observation["stories"])
        observation["story_list"] = readable(w, records)
    return page("workshop/observations.html", w, observations=observations, error=error,
                draft=draft or {}, editing=editing), status  # fmt: skip


@bp.get("/<survey_id>/observations")
@roles_required("admin", "facilitator")
def observations(survey_id: str):
    return listing(open_workshop(survey_id))


@bp.post("/<survey_id>/observations")
@roles_required("admin", "facilitator")
def add_observation(survey_id: str):
    w = open_workshop(survey_id)
    try:
        fields = {
            "title": _words("title", TITLE_LIMIT, required=True),
            "text": _words("text", TEXT_LIMIT),
            "filter": request.form.get("filter", "")[:2000],
            "picture": request.form.get("picture", "")[:100],
            "selection": request.form.get("selection", "")[:200],
            "source": _source(survey_id),
            "stories": _stories(survey_id),
        }
    except Invalid as error:
        draft = {
            k: request.form.get(k, "")
            for k in ("title", "text", "filter", "picture", "selection", "source", "stories")
        }
        return listing(w, status=422, error=(error.key, error.params), draft=draft)  # fmt: skip
    observation_id = db.add_observation(get_db(), survey_id, g.user["email"], **fields)
    db.audit(get_db(), g.user["email"], "observation.added", survey_id=survey_id,
             target=str(observation_id))  # fmt: skip
    flash(("workshop.observation_kept", {"title": fields["title"]}), "ok")
    return redirect(fields["source"])


def _owned(survey_id: str, observation_id: int):
    w = open_workshop(survey_id)
    observation = db.get_observation(get_db(), survey_id, observation_id)
    if observation is None:
        abort(404)
    return w, observation


@bp.get("/<survey_id>/observations/<int:observation_id>")
@roles_required("admin", "facilitator")
def observation(survey_id: str, observation_id: int):
    w, found = _owned(survey_id, observation_id)
    return listing(w, editing=found)


@bp.post("/<survey_id>/observations/<int:observation_id>")
@roles_required("admin", "facilitator")
def change_observation(survey_id: str, observation_id: int):
    w, found = _owned(survey_id, observation_id)
    try:
        title = _words("title", TITLE_LIMIT, required=True)
        text = _words("text", TEXT_LIMIT)
        kept = {int(s) for s in request.form.getlist("keep") if s.isdigit() and len(s) < 12}
    except Invalid as error:
        draft = {"title": request.form.get("title", ""), "text": request.form.get("text", "")}
        return listing(w, status=422, error=(error.key, error.params), editing={**found, **draft})
    stories = [seq for seq in found["stories"] if seq in kept]
    db.update_observation(get_db(), survey_id, observation_id, g.user["email"], title=title,
                          text=text, stories=stories)  # fmt: skip
    db.audit(get_db(), g.user["email"], "observation.changed", survey_id=survey_id,
             target=str(observation_id))  # fmt: skip
    flash(("workshop.observation_changed", {"title": title}), "ok")
    return redirect(url_for("workshop.observations", survey_id=survey_id))


@bp.post("/<survey_id>/observations/<int:observation_id>/delete")
@roles_required("admin", "facilitator")
def delete_observation(survey_id: str, observation_id: int):
    _, found = _owned(survey_id, observation_id)
    db.delete_observation(get_db(), survey_id, observation_id)
    db.audit(get_db(), g.user["email"], "observation.deleted", survey_id=survey_id,
             target=str(observation_id))  # fmt: skip
    flash(("workshop.observation_deleted", {"title": found["title"]}), "ok")
    return redirect(url_for("workshop.observations", survey_id=survey_id))
