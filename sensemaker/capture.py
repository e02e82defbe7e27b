"""The teller's pages: the capture form and the survey definition it runs on."""

from flask import Blueprint, abort, jsonify, render_template, url_for

from . import db
from .i18n import messages
from .web import get_db, language

bp = Blueprint("capture", __name__)


def _survey_or_404(survey_id: str):
    survey = db.get_survey(get_db(), survey_id)
    if survey is None:
        abort(404)
    return survey


@bp.get("/")
def home():
    lang = language()
    surveys = [
        {"id": s["id"], "title": db.get_survey(get_db(), s["id"]).title(lang)}
        for s in db.list_surveys(get_db())
    ]
    return render_template("capture/home.html", lang=lang, surveys=surveys)


@bp.get("/s/<survey_id>")
def form(survey_id: str):
    survey = _survey_or_404(survey_id)
    lang = language(survey.languages)
    other_lang = next((x for x in survey.languages if x != lang), None)
    config = {
        "definition": survey.public(lang),
        "messages": messages(lang, "form."),
        "submit_url": url_for("api.submit_fragment", survey_id=survey.id),
        "definition_url": url_for("capture.definition", survey_id=survey.id, lang=lang),
    }
    return render_template(
        "capture/form.html", lang=lang, survey=survey, config=config, other_lang=other_lang
    )


@bp.get("/s/<survey_id>/definition.json")
def definition(survey_id: str):
    survey = _survey_or_404(survey_id)
    return jsonify(survey.public(language(survey.languages)))
