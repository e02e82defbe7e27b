"""Admin: reading the audit log, and product-wide settings."""

from flask import flash, redirect, render_template, request, url_for

from .. import db
from ..auth import ui_language
from ..web import get_db
from . import actor, bp

PAGE = 100
SETTINGS = {
    # key: allowed values; the first is the default
    "export_mask_personal_data": ("on", "off"),
}


def setting(database, key: str) -> str:
    return db.get_setting(database, key, SETTINGS[key][0])


@bp.get("/audit")
def audit():
    before = request.args.get("before", type=int)
    entries = db.audit_entries(get_db(), limit=PAGE + 1, before_id=before)
    more = entries[PAGE - 1]["id"] if len(entries) > PAGE else None
    return render_template(
        "admin/audit.html", lang=ui_language(), entries=entries[:PAGE], more=more
    )


@bp.get("/settings")
def settings():
    database = get_db()
    values = {key: setting(database, key) for key in SETTINGS}
    return render_template("admin/settings.html", lang=ui_language(), values=values)


@bp.post("/settings")
def change_settings():
    database = get_db()
    for key, allowed in SETTINGS.items():
        value = request.form.get(key)
        if value in allowed and value != setting(database, key):
            db.set_setting(database, key, value)
            db.audit(database, actor(), "setting.changed", target=key, value=value)
    flash(("admin.saved", {}))
    return redirect(url_for("admin.settings"))
