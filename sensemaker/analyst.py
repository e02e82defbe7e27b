"""The analyst's download page: a survey's dataset in a chosen format, with its codebook.

Open to analysts and facilitators (and admins) assigned to the survey. The download is a
GET, so the browser saves the streamed file; every download is recorded in the audit log
by `export.export`.
"""

from flask import Blueprint, Response, abort, g, render_template, request, stream_with_context

from . import db
from .auth import require_assignment, roles_required, ui_language
from .export import FORMATS, LAYOUTS, ExportError, codebook_for, export
from .export import codebook as codebooks
from .i18n import gettext
from .web import get_db

bp = Blueprint("analyst", __name__)
MAX_FILTERS = 20


def _survey(survey_id: str):
    survey = db.get_survey(get_db(), survey_id) or abort(404)
    require_assignment(survey_id)
    return survey


@bp.get("/analyst/<survey_id>")
@roles_required("admin", "facilitator", "analyst")
def index(survey_id: str):
    return _page(_survey(survey_id))


def _page(survey, error: str | None = None, status: int = 200):
    database = get_db()
    lang = ui_language()
    choices = [q for q in survey.questions.values() if q.kind == "choice"]
    context = {
        "survey": survey,
        "formats": [(f, gettext(f"export.format_{f.replace('-', '_')}", lang)) for f in FORMATS],
        "layouts": [(layout, gettext(f"export.layout_{layout}", lang)) for layout in LAYOUTS],
        "runs": db.list_cluster_runs(database, survey.id),
        "choices": [(q.id, q.option_ids) for q in choices],
        "fragments": db.count_fragments(database, survey.id),
        "masked": db.get_setting(database, "export_mask_personal_data", "on") != "off",
        "error": error,
        "chosen": request.args,
    }
    return render_template("analyst/index.html", lang=lang, **context), status


def _options() -> dict:
    """The export settings in the query string; ExportError for a run that is no number."""
    args = request.args
    run = args.get("run", "").strip()
    if run and not run.isdigit():
        raise ExportError("export.run", run=run[:20])
    return {
        "run_id": int(run) if run else None,
        "filters": [text for text in args.getlist("filter")[:MAX_FILTERS] if text.strip()],
        "layout": args.get("layout", "wide"),
        "lang": ui_language(),
    }


def _attachment(response: Response, filename: str) -> Response:
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/analyst/<survey_id>/export")
@roles_required("admin", "facilitator", "analyst")
def download(survey_id: str):
    survey = _survey(survey_id)
    try:
        result = export(get_db(), survey.id, request.args.get("format", "csv"),
                        actor=g.user["email"], **_options())  # fmt: skip
    except ExportError as error:
        return _page(survey, error.message(ui_language()), 422)
    response = Response(stream_with_context(result.chunks), mimetype=result.mimetype)
    return _attachment(response, result.filename)


@bp.get("/analyst/<survey_id>/codebook")
@roles_required("admin", "facilitator", "analyst")
def codebook_file(survey_id: str):
    """The codebook of the export the page's settings describe (`as=md` or `as=json`)."""
    survey = _survey(survey_id)
    markdown = request.args.get("as", "md") != "json"
    try:
        book = codebook_for(get_db(), survey.id, request.args.get("format", "csv"), **_options())
    except ExportError as error:
        return _page(survey, error.message(ui_language()), 422)
    if markdown:
        body, mimetype = codebooks.to_markdown(book, ui_language()), "text/markdown"
    else:
        body, mimetype = codebooks.to_json(book), "application/json"
    response = Response(body, mimetype=mimetype)
    return _attachment(response, f"{survey.id}-codebook.{'md' if markdown else 'json'}")
