"""The overview of a survey: stories over time, who told them, languages, N/A rates, and
the strongest patterns in plain words."""

import threading

from flask import current_app

from .. import charts, db, findings
from ..aggregate import overview as summaries
from ..aggregate.pictures import picture
from ..auth import roles_required
from ..i18n import gettext
from ..web import get_db
from . import bp
from .data import open_workshop
from .render import chart_block, page

TOP_PATTERNS = 5
_patterns: dict = {}
_lock = threading.Lock()


def top_patterns(database, survey_id: str) -> list:
    """The survey's strongest patterns (whole survey, not the filter), kept while neither
    the stories nor the latest clustering run change: they take tests on every group."""
    runs = db.list_cluster_runs(database, survey_id)
    state = (*db.survey_state(database, survey_id), runs[0]["id"] if runs else None)
    key = (current_app.config["DATABASE"], survey_id)
    with _lock:
        cached = _patterns.get(key)
    if not state[0]:
        return []  # no stories, no patterns
    if cached is None or cached[0] != state:
        cached = (state, findings.survey_patterns(database, survey_id, limit=TOP_PATTERNS) or [])
        with _lock:
            _patterns[key] = cached
    return cached[1]


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
    patterns = [p.text[w.lang] for p in top_patterns(get_db(), survey_id)]
    return page("workshop/overview.html", w, blocks=blocks, patterns=patterns)
