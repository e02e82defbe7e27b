"""Loading a survey for the workshop, and turning the URL's filter into chosen stories.

A survey's numbers and facts are loaded once per process and kept while its stories stay
the same (`db.survey_state`), so every picture after the first is computed from memory.
"""

import threading
from dataclasses import dataclass

import numpy as np
from flask import abort, current_app, g, request

from .. import db, findings, memory, signification
from ..aggregate import Filter, FilterProblem, Frame
from ..aggregate.search import search_words
from ..auth import require_assignment, ui_language
from ..survey import Survey
from ..web import get_db

_frames: dict = {}
_lock = threading.Lock()
FACTS = ("language", "prompt", "collected_at")


def load_frame(database, survey_id: str) -> Frame | None:
    """The survey's frame, from memory while nothing was added or withdrawn."""
    survey = db.get_survey(database, survey_id)
    if survey is None:
        return None
    key = (current_app.config["DATABASE"], survey_id)
    state = (survey.version, *db.survey_state(database, survey_id))
    with _lock:
        cached = _frames.get(key)
        if cached is not None and cached[0] == state:
            return cached[1]
    with db.reading(database):  # numbers and facts of the same stories
        loaded = signification.load(database, survey_id)
        facts = db.fragment_facts(database, survey_id, FACTS)
    if len(loaded.seqs):
        answers = loaded.significations()
    else:  # decoding no rows at all trips over reshaping; decode one blank row, keep none
        blank = np.full((1, loaded.matrix.shape[1]), np.nan)
        answers = signification.decode(loaded.survey, blank).take(np.zeros(1, dtype=bool))
    frame = Frame.build(loaded.survey, loaded.seqs, answers, facts)
    with _lock:
        replaced = _frames.get(key)
        _frames[key] = (state, frame)
    if replaced is not None:
        del replaced
        memory.release()  # the previous frame and the loading's scratch arrays
    return frame


def cluster_rows(database, survey_id: str, frame: Frame, run_id: int, cluster: int):
    """Rows of `frame` in cluster `cluster` (from 1) of a stored run, or None if the run
    is not one of this survey's."""
    record = db.get_cluster_run(database, run_id)
    if record is None or record["survey_id"] != survey_id:
        return None
    run, rows = findings.aligned(findings.load_run(database, run_id), frame)
    mask = np.zeros(frame.n, dtype=bool)
    mask[rows[run.labels == cluster - 1]] = True
    return mask


@dataclass
class Workshop:
    """What every workshop view starts from: the survey, its frame, the filter and the
    rows it keeps, in the user's language."""

    survey: Survey
    frame: Frame
    filter: Filter
    problems: list[FilterProblem]
    mask: np.ndarray
    lang: str

    def rows(self, chosen: Filter, problems: list | None = None) -> np.ndarray:
        """The rows another filter keeps (a side-by-side group), within this frame."""
        return chosen.mask(
            self.frame,
            **_resolved(
                self.survey.id, self.frame, chosen, problems if problems is not None else []
            ),
        )

    @property
    def query(self) -> list[tuple[str, str]]:
        return self.filter.query()


def _resolved(survey_id, frame, chosen: Filter, problems) -> dict:
    database = get_db()
    found = {}
    if chosen.words:
        seqs = db.search_seqs(database, survey_id, search_words(chosen.words))
        found["matched"] = frame.mask_of(seqs)
    if chosen.run is not None:
        rows = cluster_rows(database, survey_id, frame, chosen.run, chosen.cluster)
        if rows is None:
            problems.append(FilterProblem("workshop.filter_unknown", {"value": chosen.run}))
            rows = np.ones(frame.n, dtype=bool)
        found["clustered"] = rows
    return found


def open_workshop(survey_id: str) -> Workshop:
    """The survey for this request, checked: 404 if unknown, 403 unless assigned."""
    database = get_db()
    if db.get_survey(database, survey_id) is None:
        abort(404)
    require_assignment(survey_id)
    frame = load_frame(database, survey_id)
    args = {key: request.args.getlist(key) for key in request.args}
    chosen, problems = Filter.parse(args, frame.survey)
    mask = chosen.mask(frame, **_resolved(survey_id, frame, chosen, problems))
    g.workshop_survey = survey_id
    return Workshop(frame.survey, frame, chosen, problems, mask, ui_language())
