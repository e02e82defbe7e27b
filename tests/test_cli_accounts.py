"""`sensemaker user …` and the demo accounts."""

import shutil

from click.testing import CliRunner

from sensemaker import db
from sensemaker.cli import cli
from sensemaker.cli.commands import demo_users

from .conftest import DATA


def run(db_path, *args, input=None):
    return CliRunner().invoke(cli, ["--db", db_path, "--lang", "en", *args], input=input)


def test_user_add_list_assign_disable(db_path, tmp_path):
    survey_file = tmp_path / "all_kinds.yaml"
    shutil.copy(DATA / "all_kinds.yaml", survey_file)
    run(db_path, "survey", "load", str(survey_file))
    added = run(db_path, "user", "add", "Anna@Region.se", "--role", "facilitator",
                "--password-stdin", input="ett långt lösenord\n")  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "anna@region.se" in added.output
    assert run(db_path, "user", "assign", "anna@region.se", "all_kinds").exit_code == 0
    listing = run(db_path, "user", "list").output
    assert "anna@region.se\tfacilitator\tActive\tall_kinds" in listing
    assert run(db_path, "user", "disable", "anna@region.se").exit_code == 0
    assert "Disabled" in run(db_path, "user", "list").output
    database = db.connect(db_path)
    actions = [e["action"] for e in db.audit_entries(database)]
    assert actions[:3] == ["user.disabled", "assignment.added", "user.added"]
    assert all(e["actor"] == "cli" for e in db.audit_entries(database))


def test_user_add_refuses_short_password_and_duplicates(db_path):
    short = run(db_path, "user", "add", "a@region.se", "--role", "admin", "--password-stdin",
                input="kort\n")  # fmt: skip
    assert short.exit_code == 1 and "at least 10 characters" in short.output
    run(db_path, "user", "add", "a@region.se", "--role", "admin", "--password-stdin",
        input="ett långt lösenord\n")  # fmt: skip
    again = run(db_path, "user", "add", "a@region.se", "--role", "analyst", "--password-stdin",
                input="ett långt lösenord\n")  # fmt: skip
    assert again.exit_code == 1 and "already a user" in again.output


def test_unknown_user_and_unknown_survey(db_path):
    assert run(db_path, "user", "disable", "nobody@region.se").exit_code == 1
    run(db_path, "user", "add", "a@region.se", "--role", "analyst", "--password-stdin",
        input="ett långt lösenord\n")  # fmt: skip
    result = run(db_path, "user", "assign", "a@region.se", "no-such-survey")
    assert result.exit_code == 1 and "Unknown survey" in result.output


def test_the_last_admin_cannot_be_disabled_from_the_cli(db_path):
    run(db_path, "user", "add", "a@region.se", "--role", "admin", "--password-stdin",
        input="ett långt lösenord\n")  # fmt: skip
    result = run(db_path, "user", "disable", "a@region.se")
    assert result.exit_code == 1 and "at least one active administrator" in result.output


def test_demo_users_get_fresh_passwords_and_every_survey(database, app):
    from werkzeug.security import check_password_hash

    first = dict((email, pw) for _, email, pw in demo_users(database))
    second = dict((email, pw) for _, email, pw in demo_users(database))
    email = "facilitator@demo.invalid"
    assert first[email] != second[email]
    user = db.get_user_by_email(database, email)
    assert check_password_hash(user["password_hash"], second[email])
    assert db.assigned_surveys(database, user["id"]) == ["all_kinds"]
