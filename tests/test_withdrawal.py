"""A teller's receipt code withdraws the story for real, and the audit log keeps no text."""

import pytest

from sensemaker import db, withdrawal

from .conftest import csrf_token
from .test_api import URL, body


def withdraw(client, code):
    token = csrf_token(client, "/withdraw")
    return client.post("/withdraw", data={"code": code, "csrf_token": token})


def test_receipt_codes_are_stable_and_distinct():
    first = withdrawal.receipt_for("a", secret="k")
    assert first == withdrawal.receipt_for("a", secret="k")
    assert first != withdrawal.receipt_for("b", secret="k")
    assert first != withdrawal.receipt_for("a", secret="other key")
    assert len(withdrawal.normalise(first)) == withdrawal.CODE_LENGTH


def test_a_retry_returns_the_same_receipt(client):
    sent = body()
    assert (
        client.post(URL, json=sent).json["receipt"] == client.post(URL, json=sent).json["receipt"]
    )


def test_withdrawing_deletes_the_story_and_audits_without_content(client, database):
    sent = body(story="Min hemliga berättelse om natten.")
    receipt = client.post(URL, json=sent).json["receipt"]
    response = withdraw(client, receipt.lower().replace("-", " "))  # forgiving input
    assert response.status_code == 200
    assert db.get_fragment(database, sent["id"]) is None
    row = database.execute("SELECT count(*) FROM fragment WHERE id = ?", [sent["id"]])
    assert row.fetchone()[0] == 0
    entry = db.audit_entries(database)[0]
    assert entry["action"] == "fragment.withdrawn" and entry["survey_id"] == "all_kinds"
    assert "hemliga" not in str(db.audit_entries(database))
    # The same code again finds nothing.
    assert withdraw(client, receipt).status_code == 404


def test_confusable_letters_are_read_as_digits():
    assert withdrawal.normalise("O1IL-abcd") == withdrawal.normalise("0111-ABCD")


def test_a_wrong_code_deletes_nothing(client, database):
    client.post(URL, json=body())
    assert withdraw(client, "0000-0000-0000").status_code == 404
    assert db.count_fragments(database) == 1


def test_guessing_is_rate_limited(client, database):
    for _ in range(withdrawal.ATTEMPT_LIMIT):
        withdraw(client, "0000-0000-0000")
    sent = body()
    receipt = client.post(URL, json=sent).json["receipt"]
    assert withdraw(client, receipt).status_code == 429
    assert db.get_fragment(database, sent["id"]) is not None


@pytest.mark.parametrize("lang, text", [("sv", "Ta tillbaka"), ("en", "Withdraw my story")])
def test_the_page_speaks_both_languages(client, lang, text):
    assert text in client.get(f"/withdraw?lang={lang}").get_data(as_text=True)


def test_withdrawn_story_leaves_the_search_index(client, database):
    sent = body(story="Nattsköterskan sjöng för mig när jag inte kunde sova.")
    receipt = client.post(URL, json=sent).json["receipt"]
    assert db.search_ids(database, "all_kinds", ["sjöng"]) == [sent["id"]]
    assert db.search_ids(database, "all_kinds", ["nattskö"]) == [sent["id"]]  # prefix
    withdraw(client, receipt)
    assert db.search_ids(database, "all_kinds", ["sjöng"]) == []
    stored = database.execute(
        "SELECT count(*) FROM fragment_search WHERE fragment_search MATCH 'sjöng'"
    ).fetchone()[0]
    assert stored == 0
