"""The signed-in start page: the surveys a facilitator or analyst is assigned to, and the
stories flagged for review because personal data was found in them."""

from flask import Blueprint, abort, g, render_template

from . import db, privacy
from .auth import require_assignment, roles_required, ui_language
from .web import get_db

bp = Blueprint("overview", __name__)


@bp.get("/overview")
@roles_required("admin", "facilitator", "analyst")
def index():
    database = get_db()
    surveys = []
    for survey_id in db.assigned_surveys(database, g.user["id"]):
        survey = db.get_survey(database, survey_id)
        surveys.append(
            {
                "id": survey_id,
                "title": survey.title(ui_language()),
                "fragments": db.count_fragments(database, survey_id),
                "flagged": len(db.flagged_fragments(database, survey_id)),
            }
        )
    return render_template("overview/index.html", lang=ui_language(), surveys=surveys)


@bp.get("/review/<survey_id>")
@roles_required("admin", "facilitator")
def review(survey_id: str):
    database = get_db()
    survey = db.get_survey(database, survey_id) or abort(404)
    require_assignment(survey_id)
    lang = ui_language()
    flagged = db.flagged_fragments(database, survey_id)
    for fragment in flagged:
        # Shown on a shared screen: the personal data itself stays hidden here too.
        fragment["title"] = privacy.mask(fragment["title"] or "", lang=lang)
        fragment["story"] = privacy.mask(fragment["story"], lang=lang)
    return render_template("overview/review.html", lang=lang, survey=survey, fragments=flagged)
