"""Personal data in a story marks it for review; assigned facilitators see the list."""

import json

from sensemaker import db

from .test_api import URL, body


def test_personal_data_is_found_in_every_free_text_and_flagged(client, database):
    sent = body(
        story="Ring min dotter på 070-123 45 67.",
        title="Om 811218-9876",
        answers={
            "role": "relative",
            "topics": {"selected": ["other"], "other": "mejla anna@exempel.se"},
        },
    )
    assert client.post(URL, json=sent).status_code == 201
    stored = database.execute(
        "SELECT personal_data FROM fragment WHERE id = ?", [sent["id"]]
    ).fetchone()[0]
    assert json.loads(stored) == ["email", "personnummer", "phone"]


def test_a_story_without_personal_data_is_not_flagged(client, database):
    sent = body(story="Kl. 14.30 fick jag 500 mg och sov sedan till 2024.")
    client.post(URL, json=sent)
    assert db.flagged_fragments(database, "all_kinds") == []


def test_review_lists_flagged_stories_to_assigned_facilitators_only(client, signed_in):
    client.post(URL, json=body(story="Mitt personnummer är 19811218-9876."))
    page = signed_in("facilitator").get("/review/all_kinds")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "19811218-9876" not in text  # masked on screen as in exports
    assert "[personnummer]" in text
    assert signed_in("outsider").get("/review/all_kinds").status_code == 403
    assert signed_in("analyst").get("/review/all_kinds").status_code == 403
