"""One picture per question, all on one page or one at a time for the big screen."""

from flask import abort

from .. import charts
from ..aggregate.pictures import picture
from ..auth import roles_required
from ..i18n import localize
from . import bp
from .data import open_workshop
from .render import chart_block, page

WIDTH = {"grid": 520, "single": 760}


def pictured(survey, lang: str) -> list[dict]:
    return [{"id": q.id, "text": localize(q.text, lang)} for q in survey.questions.values()
            if q.kind != "text"]  # fmt: skip


def question_block(w, question, width: int) -> dict:
    data = picture(w.frame, question.id, w.mask, w.lang)
    chart = charts.picture(data, w.lang, width=width)
    return chart_block(chart, f"q-{question.id}", question=question.id, picture=data)


@bp.get("/<survey_id>/pictures")
@roles_required("admin", "facilitator")
def pictures(survey_id: str):
    w = open_workshop(survey_id)
    questions = pictured(w.survey, w.lang)
    blocks = [question_block(w, w.survey.questions[q["id"]], WIDTH["grid"]) for q in questions]
    return page("workshop/pictures.html", w, blocks=blocks, questions=questions,
                current=None)  # fmt: skip


@bp.get("/<survey_id>/pictures/<question_id>")
@roles_required("admin", "facilitator")
def question(survey_id: str, question_id: str):
    w = open_workshop(survey_id)
    chosen = w.survey.questions.get(question_id)
    if chosen is None or chosen.kind == "text":
        abort(404)
    blocks = [question_block(w, chosen, WIDTH["single"])]
    return page("workshop/pictures.html", w, blocks=blocks,
                questions=pictured(w.survey, w.lang), current=question_id)  # fmt: skip
