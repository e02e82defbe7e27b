"""Signing in: hashes, rate limits, idle timeout, cookies, and who lands where."""

import time

import pytest

from sensemaker import auth, db

from .conftest import PASSWORD, csrf_token, sign_in


def test_passwords_are_stored_as_scrypt_hashes(users):
    stored = users["admin"]["password_hash"]
    assert stored.startswith("scrypt:") and PASSWORD not in stored


def test_sign_in_lands_each_role_on_its_page(app, users):
    for name, landing in (("admin", "/admin/"), ("facilitator", "/overview")):
        response = sign_in(app.test_client(), users[name]["email"])
        assert response.status_code == 302 and response.location == landing


def test_wrong_password_and_unknown_account_look_the_same(client, users):
    wrong = sign_in(client, "admin@region.se", "fel lösenord")
    unknown = sign_in(client, "nobody@region.se", "fel lösenord")
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong e-mail address or password" in wrong.get_data(as_text=True) or (
        "Fel e-postadress eller lösenord" in wrong.get_data(as_text=True)
    )
    assert client.get("/admin/").status_code == 302  # still not signed in


def test_failures_are_rate_limited_per_account(app, users, database):
    client = app.test_client()
    for _ in range(auth.ACCOUNT_LIMIT):
        assert sign_in(client, "admin@region.se", "fel").status_code == 401
    # Even the right password is refused while the account is locked.
    assert sign_in(client, "admin@region.se").status_code == 429
    actions = [e["action"] for e in db.audit_entries(database)]
    assert actions.count("login.failed") == auth.ACCOUNT_LIMIT
    assert "login.blocked" in actions


def test_failures_are_rate_limited_per_address(app, users):
    client = app.test_client()
    for index in range(auth.ADDRESS_LIMIT):
        sign_in(client, f"guess{index}@region.se", "fel")
    assert sign_in(client, "facilitator@region.se").status_code == 429


def test_success_clears_the_account_s_failures(app, users):
    client = app.test_client()
    for _ in range(auth.ACCOUNT_LIMIT - 1):
        sign_in(client, "admin@region.se", "fel")
    assert sign_in(client, "admin@region.se").status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/admin/")})
    for _ in range(auth.ACCOUNT_LIMIT - 1):
        sign_in(client, "admin@region.se", "fel")
    assert sign_in(client, "admin@region.se").status_code == 302


def test_session_cookie_flags(app, users):
    client = app.test_client()
    response = sign_in(client, "admin@region.se")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    secure = app.test_client()
    token = csrf_token(secure, "/login")
    response = secure.post(
        "/login",
        data={"email": "admin@region.se", "password": PASSWORD, "csrf_token": token},
        base_url="https://localhost",
    )
    assert "Secure" in response.headers["Set-Cookie"]


def test_idle_session_expires(app, signed_in, monkeypatch):
    client = signed_in("admin")
    assert client.get("/admin/").status_code == 200
    later = time.time() + app.config["SESSION_IDLE_MINUTES"] * 60 + 1
    monkeypatch.setattr(auth.time, "time", lambda: later)
    response = client.get("/admin/")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_disabling_a_user_ends_their_session_at_once(signed_in, users, database):
    client = signed_in("facilitator")
    assert client.get("/overview").status_code == 200
    db.update_user(database, users["facilitator"]["id"], active=0)
    assert client.get("/overview").status_code == 302
    assert sign_in(client, "facilitator@region.se").status_code == 401


def test_sign_out_ends_the_session(signed_in):
    client = signed_in("admin")
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/admin/")})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 302


def test_sign_out_needs_the_csrf_token(signed_in):
    client = signed_in("admin")
    assert client.post("/logout").status_code == 400
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil"])
def test_next_never_leaves_the_site(app, users, target):
    client = app.test_client()
    token = csrf_token(client)
    response = client.post(
        f"/login?next={target}",
        data={"email": "admin@region.se", "password": PASSWORD, "csrf_token": token},
    )
    assert response.location == "/admin/"


def test_next_inside_the_site_is_followed(app, users):
    client = app.test_client()
    assert client.get("/admin/audit").location == "/login?next=/admin/audit"
    token = csrf_token(client)
    response = client.post(
        "/login?next=/admin/audit",
        data={"email": "admin@region.se", "password": PASSWORD, "csrf_token": token},
    )
    assert response.location == "/admin/audit"


def test_a_sign_in_is_audited_without_the_password(app, users, database):
    sign_in(app.test_client(), "admin@region.se")
    entry = db.audit_entries(database)[0]
    assert entry["action"] == "login.ok" and entry["actor"] == "admin@region.se"
    assert PASSWORD not in str(entry)
