"""Read-API tokens: made once, stored hashed, refused when revoked, expired or disabled."""

import pytest
from click.testing import CliRunner

from sensemaker import db, tokens
from sensemaker.cli import cli


def test_a_token_is_stored_only_as_its_hash(database, users):
    made = tokens.create(database, "analyst@region.se", "cli", name="R")
    dump = "\n".join(database.conn.iterdump())
    assert made.secret not in dump
    assert tokens.token_hash(made.secret) in dump
    token, reason = tokens.authenticate(database, f"Bearer {made.secret}")
    assert reason is None and token["email"] == "analyst@region.se" and token["name"] == "R"


def test_use_is_recorded(database, users):
    made = tokens.create(database, "analyst@region.se", "cli")
    assert db.get_token(database, made.id)["last_used_at"] is None
    tokens.authenticate(database, f"Bearer {made.secret}")
    assert db.get_token(database, made.id)["last_used_at"] is not None


@pytest.mark.parametrize(
    "header, reason",
    [
        (None, "token.missing"),
        ("", "token.missing"),
        ("Basic YWJjOmRlZg==", "token.missing"),
        ("Bearer ", "token.missing"),
        ("Bearer not-a-token", "token.unknown"),
        ("Bearer " + "x" * 500, "token.unknown"),
    ],
)
def test_missing_or_unknown_tokens_are_refused(database, header, reason):
    assert tokens.authenticate(database, header) == (None, reason)


def test_revoked_expired_and_disabled_tokens_stop_working(database, users):
    revoked = tokens.create(database, "analyst@region.se", "cli")
    tokens.revoke(database, revoked.id, "cli")
    assert tokens.authenticate(database, f"Bearer {revoked.secret}") == (None, "token.revoked")

    expired = tokens.create(database, "analyst@region.se", "cli", expires_days=1)
    database.execute(
        "UPDATE api_token SET expires_at = '2000-01-01T00:00:00.000+00:00' WHERE id = ?",
        [expired.id],
    )
    assert tokens.authenticate(database, f"Bearer {expired.secret}") == (None, "token.expired")

    working = tokens.create(database, "admin@region.se", "cli")
    assert tokens.authenticate(database, f"Bearer {working.secret}")[1] is None
    db.update_user(database, users["admin"]["id"], active=0)
    reason = tokens.authenticate(database, f"Bearer {working.secret}")[1]
    assert reason == "token.user_disabled_use"


def test_only_analysts_and_admins_hold_tokens(database, users):
    with pytest.raises(tokens.TokenRefused) as refused:
        tokens.create(database, "facilitator@region.se", "cli")
    assert refused.value.key == "token.role"
    with pytest.raises(tokens.TokenRefused) as refused:
        tokens.create(database, "nobody@region.se", "cli")
    assert refused.value.key == "accounts.no_user"
    assert db.list_tokens(database) == []


def test_a_user_who_stops_being_an_analyst_loses_the_token(database, users):
    made = tokens.create(database, "analyst@region.se", "cli")
    db.update_user(database, users["analyst"]["id"], role="facilitator")
    reason = tokens.authenticate(database, f"Bearer {made.secret}")[1]
    assert reason == "token.user_disabled_use"


def test_creation_and_revocation_are_audited_without_the_token(database, users):
    made = tokens.create(database, "analyst@region.se", "admin@region.se", name="R")
    tokens.revoke(database, made.id, "admin@region.se")
    entries = db.audit_entries(database)
    assert [e["action"] for e in entries[:2]] == ["token.revoked", "token.created"]
    assert entries[1]["target"] == "analyst@region.se" and entries[1]["details"]["token"] == made.id
    assert all(made.secret not in str(entry) for entry in entries)


# -- command line ------------------------------------------------------------------------
@pytest.fixture
def run(app, users):
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, ["--db", app.config["DATABASE"], "--lang", "en", *args])

    return invoke


def test_cli_creates_lists_and_revokes(run, database):
    made = run("token", "create", "analyst@region.se", "--name", "R on my laptop")
    assert made.exit_code == 0, made.output
    secret = made.stdout.splitlines()[1]
    assert len(secret) == 43 and tokens.authenticate(database, f"Bearer {secret}")[1] is None
    assert "shown only now" in made.stderr

    listed = run("token", "list", "analyst@region.se")
    assert listed.exit_code == 0
    assert "R on my laptop\tworking\t" in listed.output and secret not in listed.output

    revoked = run("token", "revoke", "1")
    assert revoked.exit_code == 0 and "Token 1 (analyst@region.se) is revoked." in revoked.output
    assert "The token has been revoked." in run("token", "list").output
    assert tokens.authenticate(database, f"Bearer {secret}") == (None, "token.revoked")


def test_cli_refuses_clearly(run):
    facilitator = run("token", "create", "facilitator@region.se")
    assert facilitator.exit_code == 1
    assert "only analysts and admins can hold a token" in facilitator.output
    assert run("token", "revoke", "99").exit_code == 1
    assert "no token with id 99" in run("token", "revoke", "99").output
    assert run("token", "list", "nobody@region.se").exit_code == 1
    assert "No tokens." in run("token", "list").output
