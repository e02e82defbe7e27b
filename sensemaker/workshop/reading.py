"""The reading panel: the stories behind a click or a brush, a page at a time, as JSON.

The browser writes every text into the page with `textContent`, never as markup. Personal
data found in a story stays hidden here as on the review page: the screen is shared.
"""

import numpy as np
from flask import jsonify, request

from .. import db, privacy
from ..aggregate import Filter, Selection, SelectionError
from ..auth import roles_required
from ..i18n import gettext, localize
from ..web import get_db, json_errors
from . import bp
from .data import open_workshop
from .told import signification

PAGE = 8


def readable(w, records: list[dict]) -> list[dict]:
    """Stories as the panel and the report show them: masked, with their signification."""
    prompts = {p["id"]: localize(p["text"], w.lang) for p in w.survey.definition.get("prompts", [])}
    stories = []
    for record in records:
        title, story = record["title"] or "", record["story"] or ""
        if record["personal_data"]:
            title, story = privacy.mask(title, lang=w.lang), privacy.mask(story, lang=w.lang)
        stories.append({
            "seq": record["seq"],
            "title": title or gettext("workshop.untitled", w.lang),
            "story": story,
            "language": record["language"],
            "prompt": prompts.get(record["prompt"], ""),
            "told": (record["collected_at"] or "")[:10],
            "signification": signification(w.survey, record["answers"], w.lang),
        })  # fmt: skip
    return stories


def page_number(value: str | None, pages: int) -> int:
    number = int(value) if value and value.isdigit() and len(value) < 7 else 1
    return min(max(number, 1), max(pages, 1))


@bp.get("/<survey_id>/stories.json")
@roles_required("admin", "facilitator")
def stories(survey_id: str):
    w = open_workshop(survey_id)
    chosen = w.mask
    group = request.args.get("group")
    if group in ("a", "b"):  # a picture of one side-by-side group
        args = {key: request.args.getlist(key) for key in request.args}
        chosen = chosen & w.rows(Filter.parse(args, w.survey, prefix=f"{group}.")[0])
    try:
        selection = Selection.parse(request.args.get("pick"), request.args.get("sel"), w.survey)
    except SelectionError as error:
        return json_errors(400, {"sel": gettext(error.key, w.lang)})
    rows = np.flatnonzero(chosen & selection.mask(w.frame))
    pages = -(-len(rows) // PAGE)
    number = page_number(request.args.get("page"), pages)
    chosen = w.frame.seqs[rows[(number - 1) * PAGE : number * PAGE]].tolist()
    records = db.stories_for_reading(get_db(), survey_id, chosen)
    return jsonify({
        "total": int(len(rows)),
        "page": number,
        "pages": pages,
        "heading": gettext("workshop.js_found_one" if len(rows) == 1 else "workshop.js_found",
                           w.lang, n=int(len(rows))),  # fmt: skip
        "stories": readable(w, records),
    })  # fmt: skip
