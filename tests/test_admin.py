"""The admin screens: users, assignments, survey collection, settings, audit log."""

import sqlite3

import pytest

from sensemaker import db

from .conftest import csrf_token


@pytest.fixture
def admin(signed_in):
    client = signed_in("admin")
    client.token = csrf_token(client, "/admin/users")
    return client


def post(client, path, **form):
    return client.post(path, data={"csrf_token": client.token, **form})


def test_add_user_through_the_screen(admin, database):
    response = post(admin, "/admin/users", email="Ny.Person@Region.se", role="analyst",
                    password="tillräckligt långt", language="en")  # fmt: skip
    assert response.status_code == 302
    user = db.get_user_by_email(database, "ny.person@region.se")
    assert user["role"] == "analyst" and user["language"] == "en"
    assert db.audit_entries(database)[0]["action"] == "user.added"


@pytest.mark.parametrize(
    "form, field",
    [
        ({"email": "not-an-address", "role": "analyst", "password": "x" * 12}, "email"),
        ({"email": "admin@region.se", "role": "analyst", "password": "x" * 12}, "email"),
        ({"email": "a@region.se", "role": "king", "password": "x" * 12}, "role"),
        ({"email": "a@region.se", "role": "analyst", "password": "kort"}, "password"),
    ],
)
def test_add_user_refuses_bad_input_with_a_message(admin, database, form, field):
    before = len(db.list_users(database))
    response = post(admin, "/admin/users", **form)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert len(db.list_users(database)) == before


def test_assign_and_unassign(admin, users, database):
    outsider = users["outsider"]
    path = f"/admin/users/{outsider['id']}"
    post(admin, path, action="assign", survey="all_kinds")
    assert db.is_assigned(database, outsider["id"], "all_kinds")
    post(admin, path, action="unassign", survey="all_kinds")
    assert not db.is_assigned(database, outsider["id"], "all_kinds")
    actions = [e["action"] for e in db.audit_entries(database)[:2]]
    assert actions == ["assignment.removed", "assignment.added"]


def test_the_last_active_admin_cannot_be_disabled_or_demoted(admin, users, database):
    path = f"/admin/users/{users['admin']['id']}"
    post(admin, path, action="disable")
    post(admin, path, action="role", role="analyst")
    user = db.get_user(database, users["admin"]["id"])
    assert user["active"] and user["role"] == "admin"


def test_disable_and_enable_a_user(admin, users, database):
    path = f"/admin/users/{users['analyst']['id']}"
    post(admin, path, action="disable")
    assert not db.get_user(database, users["analyst"]["id"])["active"]
    post(admin, path, action="enable")
    assert db.get_user(database, users["analyst"]["id"])["active"]


def test_survey_collection_mode_and_retention(admin, database):
    response = post(admin, "/admin/surveys/all_kinds", collection="closed", retention_days="90")
    assert response.status_code == 302
    assert db.survey_settings(database, "all_kinds") == {
        "collection": "closed", "retention_days": 90,
    }  # fmt: skip
    bad = post(admin, "/admin/surveys/all_kinds", collection="sometimes", retention_days="-1")
    assert bad.status_code == 422
    assert db.survey_settings(database, "all_kinds")["collection"] == "closed"


def test_a_link_token_is_shown_once_and_stored_only_as_a_hash(admin, database):
    response = post(admin, "/admin/surveys/all_kinds/links", kind="link", label="Avdelning 12",
                    expires_days="30", max="100")  # fmt: skip
    page = response.get_data(as_text=True)
    token = page.split("/s/all_kinds?t=")[1].split("<")[0]
    [link] = db.links(database, "all_kinds")
    assert link["label"] == "Avdelning 12" and link["max_fragments"] == 100
    stored = database.execute("SELECT * FROM collection_link").fetchall()
    assert token not in str(stored)
    assert token not in admin.get("/admin/surveys/all_kinds").get_data(as_text=True)


def test_revoking_a_link(admin, database):
    post(admin, "/admin/surveys/all_kinds/links", kind="kiosk", label="Dagrummet")
    [link] = db.links(database, "all_kinds")
    post(admin, f"/admin/links/{link['id']}/revoke")
    assert db.get_link(database, link["id"])["revoked_at"]
    assert db.audit_entries(database)[0]["action"] == "link.revoked"


def test_masking_setting(admin, database):
    assert db.get_setting(database, "export_mask_personal_data") is None  # default: on
    post(admin, "/admin/settings", export_mask_personal_data="off")
    assert db.get_setting(database, "export_mask_personal_data") == "off"
    post(admin, "/admin/settings", export_mask_personal_data="maybe")
    assert db.get_setting(database, "export_mask_personal_data") == "off"


def test_audit_log_is_readable_and_paged(admin, database):
    for index in range(105):
        db.audit(database, "cli", "test.entry", target=str(index))
    first = admin.get("/admin/audit").get_data(as_text=True)
    assert first.count("test.entry") == 100
    older = admin.get("/admin/audit?before=" + first.split("before=")[1].split('"')[0])
    assert older.get_data(as_text=True).count("test.entry") == 5


def test_the_audit_log_cannot_be_changed(database):
    db.audit(database, "cli", "test.entry")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        database.execute("UPDATE audit SET actor = 'someone else'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        database.execute("DELETE FROM audit")
    assert database.execute("SELECT count(*) FROM audit").fetchone()[0] == 1
