"""Managing accounts: the rules shared by the admin screens and the `sensemaker user` CLI.

Each function validates, writes, and records the change in the audit log. Errors come
back as message keys so each caller can say them in its own language.
"""

import re

from . import db
from .auth import MIN_PASSWORD, hash_password

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{2,}$")


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD:
        return "accounts.password_short"
    return None


def add_user(database, actor: str, email: str, role: str, password: str, language="sv"):
    """Create an account; a dict of field → message key when something is wrong."""
    errors = {}
    email = email.strip().lower()
    if not EMAIL.match(email):
        errors["email"] = "accounts.email_invalid"
    elif db.get_user_by_email(database, email) is not None:
        errors["email"] = "accounts.email_taken"
    if role not in db.ROLES:
        errors["role"] = "accounts.role_invalid"
    if language not in ("sv", "en"):
        errors["language"] = "accounts.language_invalid"
    problem = password_problem(password)
    if problem:
        errors["password"] = problem
    if errors:
        return errors
    user = db.add_user(database, email, role, hash_password(password), language)
    db.audit(database, actor, "user.added", target=email, role=role)
    return {} if user else {"email": "accounts.email_taken"}


def set_active(database, actor: str, user: dict, active: bool) -> str | None:
    if not active and user["role"] == "admin" and db.count_active_admins(database) <= 1:
        return "accounts.last_admin"
    db.update_user(database, user["id"], active=int(active))
    db.audit(database, actor, "user.enabled" if active else "user.disabled", target=user["email"])
    return None


def change_user(database, actor: str, user: dict, action: str, form) -> str | None:
    """One change from the admin screen: role, enable/disable, password, (un)assign."""
    if action == "role":
        role = form.get("role")
        if role not in db.ROLES:
            return "accounts.role_invalid"
        if user["role"] == "admin" and role != "admin" and db.count_active_admins(database) <= 1:
            return "accounts.last_admin"
        db.update_user(database, user["id"], role=role)
        db.audit(database, actor, "user.role", target=user["email"], role=role)
    elif action in ("disable", "enable"):
        return set_active(database, actor, user, action == "enable")
    elif action == "password":
        password = form.get("password", "")
        problem = password_problem(password)
        if problem:
            return problem
        db.update_user(database, user["id"], password_hash=hash_password(password))
        db.audit(database, actor, "user.password", target=user["email"])
    elif action in ("assign", "unassign"):
        return set_assignment(database, actor, user, form.get("survey", ""), action == "assign")
    elif action == "language" and form.get("language") in ("sv", "en"):
        db.update_user(database, user["id"], language=form["language"])
    else:
        return "accounts.unknown_action"
    return None


def set_assignment(database, actor: str, user: dict, survey_id: str, assigned: bool):
    if db.get_survey(database, survey_id) is None:
        return "accounts.survey_unknown"
    if assigned:
        db.assign(database, user["id"], survey_id)
        db.audit(database, actor, "assignment.added", survey_id=survey_id, target=user["email"])
    else:
        db.unassign(database, user["id"], survey_id)
        db.audit(database, actor, "assignment.removed", survey_id=survey_id, target=user["email"])
    return None
