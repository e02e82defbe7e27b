"""The workshop report: one self-contained HTML file to download, print and pass on.

Pictures are drawn on the server by vl-convert as SVG and embedded as `data:` images, the
styles are inline, and there is no script: the file opens with no network and shows the
same on any machine. Stories in it are masked for personal data, as on the shared screen.
"""

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs

from flask import g, make_response, render_template, request

from .. import STATIC, charts, db
from ..aggregate import Filter
from ..aggregate import overview as summaries
from ..aggregate.pictures import picture
from ..auth import roles_required
from ..i18n import gettext, localize
from ..web import get_db
from . import bp
from .data import open_workshop
from .reading import readable
from .render import filter_parts, page

PARTS = {
    "overview": "workshop.report_part_overview",
    "pictures": "workshop.report_part_pictures",
    "observations": "workshop.report_part_observations",
}
METHOD_NOTES = ("triad", "bins", "dyad", "stones", "star", "tests", "clusters", "privacy")
WIDTH = 620
CSS = STATIC / "css" / "workshop-report.css"


def image(chart, label: str) -> dict:
    return {"src": charts.data_uri(charts.svg(chart)), "alt": label}


def question_images(w, mask, questions) -> list[dict]:
    found = []
    for question_id in questions:
        data = picture(w.frame, question_id, mask, w.lang)
        # A picture on paper has nothing to brush.
        options = {"brush": False} if data["kind"] in ("triad", "dyad", "stones") else {}
        found.append(image(charts.picture(data, w.lang, width=WIDTH, **options), data["title"]))
    return found


def overview_images(w) -> list[dict]:
    summary = summaries.summary(w.frame, w.mask, w.lang)
    found = [image(charts.timeline(summary["timeline"], w.lang),
                   gettext("workshop.over_time", w.lang))]  # fmt: skip
    demographic = [q.id for q in w.survey.questions.values()
                   if q.kind == "choice" and q.raw.get("demographic")]  # fmt: skip
    found += question_images(w, w.mask, demographic)
    if summary["na_rates"]:
        found.append(image(charts.na_rates(summary["na_rates"], w.lang),
                           gettext("workshop.na_rates", w.lang)))  # fmt: skip
    return found


def observation_entries(w) -> list[dict]:
    """Each observation with its filter in words, its picture drawn again, its stories."""
    database = get_db()
    entries = []
    for observation in db.list_observations(database, w.survey.id):
        args = parse_qs(observation["filter"] or "")
        chosen, _ = Filter.parse(args, w.survey)
        words = [text for text, _ in filter_parts(w, chosen)]
        question = w.survey.questions.get(observation["picture"])
        drawn = None
        if question is not None and question.kind != "text":
            drawn = question_images(w, w.rows(chosen), [question.id])[0]
        records = db.stories_for_reading(database, w.survey.id, observation["stories"])
        entries.append({**observation, "filter_words": words, "image": drawn,
                        "picture_text": localize(question.text, w.lang) if question else
                        observation["picture"], "story_list": readable(w, records)})  # fmt: skip
    return entries


def report_context(w, parts, questions) -> dict:
    return {
        "lang": w.lang,
        "survey": w.survey,
        "made_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "made_by": g.user["email"],
        "filter_words": [text for text, _ in filter_parts(w, w.filter)],
        "shown": int(w.mask.sum()),
        "total": w.frame.n,
        "overview": overview_images(w) if "overview" in parts else [],
        "pictures": question_images(w, w.mask, questions) if "pictures" in parts else [],
        "observations": observation_entries(w) if "observations" in parts else [],
        "notes": [gettext(f"workshop.method_{note}", w.lang) for note in METHOD_NOTES],
        "css": Path(CSS).read_text(encoding="utf-8"),
    }


def pictured(w) -> list[dict]:
    return [{"id": q.id, "text": localize(q.text, w.lang)} for q in w.survey.questions.values()
            if q.kind != "text"]  # fmt: skip


@bp.get("/<survey_id>/report")
@roles_required("admin", "facilitator")
def report(survey_id: str):
    w = open_workshop(survey_id)
    observations = db.list_observations(get_db(), survey_id)
    parts = [(part, gettext(key, w.lang)) for part, key in PARTS.items()]
    return page("workshop/report.html", w, questions=pictured(w), parts=parts,
                observations=observations)  # fmt: skip


@bp.get("/<survey_id>/report.html")
@roles_required("admin", "facilitator")
def download(survey_id: str):
    w = open_workshop(survey_id)
    parts = [p for p in request.args.getlist("part") if p in PARTS] or list(PARTS)
    known = {q["id"] for q in pictured(w)}
    questions = [q for q in request.args.getlist("question") if q in known]
    if "pictures" in parts and not questions:
        questions = [q["id"] for q in pictured(w)]
    html = render_template("workshop/report_file.html", **report_context(w, parts, questions))
    response = make_response(html)
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    name = f"workshop-{survey_id}-{day}.html"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    db.audit(get_db(), g.user["email"], "workshop.report", survey_id=survey_id,
             parts=parts, questions=len(questions))  # fmt: skip
    return response
