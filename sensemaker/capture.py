"""The teller's pages: the capture form and the survey definition it runs on."""

from flask import Blueprint, abort, jsonify, render_template, request, url_for

from . import collection, db
from .i18n import messages
from .web import get_db, language

bp = Blueprint("capture", __name__)

# Kiosk mode, in seconds: idle before the "still there?" warning, the warning before the
# half-told story is cleared, and the thank-you screen before a fresh form.
KIOSK_TIMING = {"idle": 90, "warning": 30, "thanks": 8}


def _survey_or_404(survey_id: str):
    survey = db.get_survey(get_db(), survey_id)
    if survey is None:
        abort(404)
    return survey


@bp.get("/")
def home():
    lang = language()
    # Only surveys open to anyone are listed; link and kiosk surveys are reached by link.
    surveys = [
        {"id": s["id"], "title": db.get_survey(get_db(), s["id"]).title(lang)}
        for s in db.list_surveys(get_db())
        if db.survey_settings(get_db(), s["id"])["collection"] == "open"
    ]
    return render_template("capture/home.html", lang=lang, surveys=surveys)


@bp.get("/s/<survey_id>")
def form(survey_id: str):
    return _form(_survey_or_404(survey_id), request.args.get("t"), kiosk=False)


@bp.get("/k/<token>")
def kiosk(token: str):
    """A kiosk link starts its survey's form in kiosk mode on a shared tablet."""
    link = collection.find_link(get_db(), token)
    if link is None or link["kind"] != "kiosk":
        abort(404)
    return _form(_survey_or_404(link["survey_id"]), token, kiosk=True)


def _form(survey, token: str | None, kiosk: bool):
    lang = language(survey.languages)
    admission = collection.admit(get_db(), survey.id, token)
    if not admission.allowed:
        page = render_template("capture/closed.html", lang=lang, survey=survey,
                               reason=admission.reason)  # fmt: skip
        return page, 403
    other_lang = next((x for x in survey.languages if x != lang), None)
    config = {
        "definition": survey.public(lang),
        "messages": messages(lang, "form."),
        "submit_url": url_for("api.submit_fragment", survey_id=survey.id),
        "definition_url": url_for("capture.definition", survey_id=survey.id, lang=lang),
        "collection_token": token if admission.link else None,
        "token_header": collection.TOKEN_HEADER,
        "kiosk": kiosk,
        "withdraw_url": url_for("withdrawal.withdraw", lang=lang),
        "kiosk_timing": KIOSK_TIMING,
        "kiosk_status_url": url_for("kiosks.report"),
        "service_worker_url": url_for("offline.service_worker"),
        "service_worker_scope": url_for("capture.home"),
    }
    switch = {"lang": other_lang, **({"t": token} if token and not kiosk else {})}
    switch_url = (
        url_for("capture.kiosk", token=token, **switch)
        if kiosk
        else url_for("capture.form", survey_id=survey.id, **switch)
    )
    # Pages the service worker keeps besides this one, so that they open offline too.
    config["offline_urls"] = [
        *([switch_url] if other_lang else []),
        *(url_for("capture.definition", survey_id=survey.id, lang=x) for x in survey.languages),
        *(url_for("accessibility.statement", lang=x) for x in ("sv", "en")),
    ]
    return render_template(
        "capture/form.html", lang=lang, survey=survey, config=config, other_lang=other_lang,
        switch_url=switch_url,
    )  # fmt: skip


@bp.get("/s/<survey_id>/definition.json")
def definition(survey_id: str):
    survey = _survey_or_404(survey_id)
    return jsonify(survey.public(language(survey.languages)))
