"""Admin: users, roles and survey assignments."""

from flask import abort, flash, redirect, render_template, request, url_for

from .. import accounts, db
from ..auth import ui_language
from ..web import get_db
from . import actor, bp


@bp.get("/")
def index():
    database = get_db()
    return render_template(
        "admin/index.html",
        lang=ui_language(),
        users=db.list_users(database),
        surveys=db.list_surveys(database),
    )


@bp.get("/users")
def users():
    database = get_db()
    return render_template(
        "admin/users.html",
        lang=ui_language(),
        users=db.list_users(database),
        roles=db.ROLES,
        errors={},
        form={},
    )


@bp.post("/users")
def add_user():
    database = get_db()
    form = {key: request.form.get(key, "").strip() for key in ("email", "role", "language")}
    errors = accounts.add_user(
        database, actor(), form["email"], form["role"], request.form.get("password", ""),
        form["language"] or "sv",
    )  # fmt: skip
    if errors:
        page = render_template(
            "admin/users.html", lang=ui_language(), users=db.list_users(database),
            roles=db.ROLES, errors=errors, form=form,
        )  # fmt: skip
        return page, 422
    flash(("admin.user_added", {"email": form["email"].lower()}))
    return redirect(url_for("admin.users"))


@bp.get("/users/<int:user_id>")
def user(user_id: int):
    database = get_db()
    account = db.get_user(database, user_id) or abort(404)
    return render_template(
        "admin/user.html",
        lang=ui_language(),
        account=account,
        roles=db.ROLES,
        assigned=db.assigned_surveys(database, user_id),
        surveys=db.list_surveys(database),
        errors={},
    )


@bp.post("/users/<int:user_id>")
def change_user(user_id: int):
    database = get_db()
    account = db.get_user(database, user_id) or abort(404)
    action = request.form.get("action")
    error = accounts.change_user(database, actor(), account, action, request.form)
    if error:
        flash((error, {}), "error")
    else:
        flash((f"admin.done_{action}", {"email": account["email"]}))
    return redirect(url_for("admin.user", user_id=user_id))
