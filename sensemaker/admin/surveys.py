"""Admin: how each survey collects stories, its links and kiosks, and retention."""

from datetime import UTC, datetime, timedelta

from flask import abort, flash, redirect, render_template, request, url_for

from .. import collection, db
from ..auth import ui_language
from ..web import get_db
from . import actor, bp

MAX_RETENTION_DAYS = 36500


@bp.get("/surveys")
def surveys():
    database = get_db()
    rows = db.list_surveys(database)
    for row in rows:
        row.update(db.survey_settings(database, row["id"]))
        row["title"] = db.get_survey(database, row["id"]).title(ui_language())
    return render_template("admin/surveys.html", lang=ui_language(), surveys=rows)


def _survey_page(survey_id: str, *, new_link=None, errors=None, status=200):
    database = get_db()
    survey = db.get_survey(database, survey_id) or abort(404)
    page = render_template(
        "admin/survey.html",
        lang=ui_language(),
        survey=survey,
        settings=db.survey_settings(database, survey_id),
        links=db.links(database, survey_id),
        modes=db.MODES,
        new_link=new_link,
        errors=errors or {},
        fragments=db.count_fragments(database, survey_id),
    )
    return page, status


@bp.get("/surveys/<survey_id>")
def survey(survey_id: str):
    return _survey_page(survey_id)


def _retention(raw: str):
    """Days as an int, None for 'keep', or an error key."""
    if not raw.strip():
        return None, None
    if not raw.strip().isdigit() or not 1 <= int(raw) <= MAX_RETENTION_DAYS:
        return None, "admin.retention_invalid"
    return int(raw), None


@bp.post("/surveys/<survey_id>")
def change_survey(survey_id: str):
    database = get_db()
    db.get_survey(database, survey_id) or abort(404)
    mode = request.form.get("collection", "")
    days, error = _retention(request.form.get("retention_days", ""))
    errors = {}
    if mode not in db.MODES:
        errors["collection"] = "admin.mode_invalid"
    if error:
        errors["retention_days"] = error
    if errors:
        return _survey_page(survey_id, errors=errors, status=422)
    db.set_survey_settings(database, survey_id, collection=mode, retention_days=days)
    db.audit(database, actor(), "survey.settings", survey_id=survey_id, collection=mode,
             retention_days=days)  # fmt: skip
    flash(("admin.saved", {}))
    return redirect(url_for("admin.survey", survey_id=survey_id))


@bp.post("/surveys/<survey_id>/links")
def add_link(survey_id: str):
    database = get_db()
    db.get_survey(database, survey_id) or abort(404)
    kind = request.form.get("kind", "")
    label = request.form.get("label", "").strip()[:100]
    errors = {}
    if kind not in db.LINK_KINDS:
        errors["kind"] = "admin.link_kind_invalid"
    if not label:
        errors["label"] = "admin.link_label_missing"
    days, cap = request.form.get("expires_days", "").strip(), request.form.get("max", "").strip()
    if days and not (days.isdigit() and 1 <= int(days) <= 3650):
        errors["expires_days"] = "admin.expires_invalid"
    if cap and not (cap.isdigit() and 1 <= int(cap) <= 10_000_000):
        errors["max"] = "admin.max_invalid"
    if errors:
        return _survey_page(survey_id, errors=errors, status=422)
    expires = (datetime.now(UTC) + timedelta(days=int(days))).isoformat() if days else None
    token = collection.new_token()
    link_id = db.add_link(
        database, survey_id, kind, label, collection.token_hash(token), actor(),
        expires_at=expires, max_fragments=int(cap) if cap else None,
    )  # fmt: skip
    db.audit(database, actor(), "link.created", survey_id=survey_id, target=str(link_id),
             kind=kind, label=label)  # fmt: skip
    if kind == "kiosk":
        url = url_for("capture.kiosk", token=token, _external=True)
    else:
        url = url_for("capture.form", survey_id=survey_id, t=token, _external=True)
    # The token is shown this once; only its hash is kept.
    return _survey_page(survey_id, new_link={"label": label, "url": url, "kind": kind})


@bp.post("/links/<int:link_id>/revoke")
def revoke_link(link_id: int):
    database = get_db()
    link = db.get_link(database, link_id) or abort(404)
    if db.revoke_link(database, link_id):
        db.audit(database, actor(), "link.revoked", survey_id=link["survey_id"],
                 target=str(link_id))  # fmt: skip
        flash(("admin.link_revoked", {"label": link["label"]}))
    return redirect(url_for("admin.survey", survey_id=link["survey_id"]))
