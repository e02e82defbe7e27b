"""The overview of a survey: stories over time, who told them, languages, N/A rates, and
the strongest patterns in plain words."""

import threading
from datetime import UTC, datetime, timedelta

from flask import current_app

from .. import charts, db, findings, memory
from ..aggregate import overview as summaries
from ..aggregate.pictures import picture
from ..analysis.patterns import Pattern
from ..auth import roles_required
from ..i18n import gettext
from ..web import get_db
from . import bp
from .data import open_workshop
from .render import chart_block, page

TOP_PATTERNS = 5
WAIT = 0.25  # seconds a page waits for patterns still being worked out
REFRESH = 30.0  # seconds at least between two pattern runs for a survey still collecting
CLAIM_SECONDS = 900  # a run claimed longer ago than this is taken to have died with its process
_working: dict = {}
_lock = threading.Lock()


def top_patterns(database, survey_id: str) -> list | None:
    """The survey's strongest patterns (whole survey, not the filter), or None while they
    are worked out for the first time.

    They take tests on every pair of groups and a description of the latest clustering
    run (seconds at 100 000 stories), so they are worked out in a thread of their own, by
    one server process for all of them (`db.claim_patterns`), and kept in the database
    while neither the stories nor the latest run change. While stories keep arriving, the
    last patterns are shown and refreshed at most every REFRESH seconds, so a busy
    collection never piles up pattern work.
    """
    runs = db.list_cluster_runs(database, survey_id)
    state = [*db.survey_state(database, survey_id), runs[0]["id"] if runs else None]
    if not state[0]:
        return []  # no stories, no patterns
    shared = db.shared_patterns(database, survey_id)
    known = None if shared is None else shared["patterns"]
    if known is not None and (shared["state"] == state or _age(shared["computed_at"]) < REFRESH):
        return [Pattern(**found) for found in known]
    path = current_app.config["DATABASE"]
    key = (path, survey_id)
    with _lock:
        worker = _working.get(key)
    if worker is None:
        stale = datetime.now(UTC) - timedelta(seconds=CLAIM_SECONDS)
        if db.claim_patterns(database, survey_id, stale.isoformat(timespec="milliseconds")):
            worker = threading.Thread(target=_work, args=(path, survey_id, key, state),
                                      daemon=True, name=f"patterns-{survey_id}")  # fmt: skip
            with _lock:
                _working[key] = worker
            worker.start()
    if worker is not None:
        worker.join(WAIT)
        shared = db.shared_patterns(database, survey_id)
        known = None if shared is None else shared["patterns"]
    # The last patterns, while newer ones are worked out here or in another process.
    return None if known is None else [Pattern(**found) for found in known]


def _age(stamp: str | None) -> float:
    if not stamp:
        return float("inf")
    return (datetime.now(UTC) - datetime.fromisoformat(stamp)).total_seconds()


def _work(path: str, survey_id: str, key: tuple, state: list) -> None:
    connection = db.connect(path, migrate=False)
    found = None
    try:
        try:
            found = findings.survey_patterns(connection, survey_id, limit=TOP_PATTERNS) or []
        except ValueError:  # too few stories for a test or a description: nothing to tell
            found = []
        found = [pattern.as_dict() for pattern in found]
    finally:
        try:
            db.save_patterns(connection, survey_id, state, found)  # None ends the claim only
        finally:
            connection.close()
            with _lock:
                _working.pop(key, None)
            memory.release()  # the run's arrays are gone; give their pages back


@bp.get("/<survey_id>")
@roles_required("admin", "facilitator")
def overview(survey_id: str):
    w = open_workshop(survey_id)
    summary = summaries.summary(w.frame, w.mask, w.lang)
    blocks = [chart_block(charts.timeline(summary["timeline"], w.lang), "timeline")]
    for question in w.survey.questions.values():
        if question.kind == "choice" and question.raw.get("demographic"):
            data = picture(w.frame, question.id, w.mask, w.lang)
            blocks.append(chart_block(charts.choice(data, w.lang, width=420),
                                      f"who-{question.id}", question=question.id))  # fmt: skip
    if len(summary["languages"]) > 1:
        title = gettext("workshop.languages", w.lang)
        blocks.append(chart_block(charts.tally(summary["languages"], title, w.lang), "languages"))
    if len(summary["prompts"]) > 1:
        title = gettext("workshop.prompts", w.lang)
        blocks.append(chart_block(charts.tally(summary["prompts"], title, w.lang), "prompts"))
    if summary["na_rates"]:
        blocks.append(chart_block(charts.na_rates(summary["na_rates"], w.lang), "na-rates"))
    found = top_patterns(get_db(), survey_id)
    patterns = None if found is None else [p.text[w.lang] for p in found]
    return page("workshop/overview.html", w, blocks=blocks, patterns=patterns)
