"""Collection modes and links: who may send a story, and what they hear when they may not."""

from datetime import UTC, datetime, timedelta

import pytest

from sensemaker import collection, db, fragments, intake
from sensemaker.i18n import gettext
from sensemaker.survey import Survey

from .test_api import URL, body


def make_link(database, kind="link", **options):
    token = collection.new_token()
    link_id = db.add_link(database, "all_kinds", kind, "Avd 3", collection.token_hash(token),
                          "admin@region.se", **options)  # fmt: skip
    return token, link_id


def send(client, token=None, **changes):
    headers = {collection.TOKEN_HEADER: token} if token else {}
    return client.post(URL, json=body(**changes), headers=headers)


def set_mode(database, mode):
    db.set_survey_settings(database, "all_kinds", collection=mode, retention_days=None)


def test_an_open_survey_takes_stories_from_anyone(client, database):
    assert send(client).status_code == 201


def test_a_closed_survey_refuses_with_a_clear_message(client, database):
    set_mode(database, "closed")
    response = send(client, language="en")
    assert response.status_code == 403
    assert "not taking stories" in response.json["errors"]["collection"]
    assert "what you wrote is still here" in response.json["errors"]["collection"]
    assert db.count_fragments(database) == 0
    page = client.get("/s/all_kinds?lang=sv")
    assert page.status_code == 403 and "tar inte emot" in page.get_data(as_text=True)


def test_a_story_stored_before_closing_is_still_acknowledged_on_retry(client, database):
    sent = body()
    assert client.post(URL, json=sent).status_code == 201
    set_mode(database, "closed")
    again = client.post(URL, json=sent)
    assert again.status_code == 200 and again.json["status"] == "duplicate"


def test_link_mode_needs_a_working_link(client, database):
    set_mode(database, "link")
    token, _ = make_link(database)
    assert send(client).status_code == 403
    assert send(client, token="made-up").status_code == 403
    assert client.get("/s/all_kinds").status_code == 403
    assert client.get(f"/s/all_kinds?t={token}").status_code == 200
    assert send(client, token=token).status_code == 201


def test_a_revoked_link_is_refused_and_says_so(client, database):
    set_mode(database, "link")
    token, link_id = make_link(database)
    db.revoke_link(database, link_id)
    response = send(client, token=token, language="en")
    assert response.status_code == 403
    assert "closed" in response.json["errors"]["collection"]


def test_an_expired_link_is_refused(client, database):
    set_mode(database, "link")
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    token, _ = make_link(database, expires_at=past)
    response = send(client, token=token, language="en")
    assert response.status_code == 403 and "expired" in response.json["errors"]["collection"]


def test_a_capped_link_takes_exactly_its_cap(client, database):
    set_mode(database, "link")
    token, link_id = make_link(database, max_fragments=2)
    assert [send(client, token=token).status_code for _ in range(3)] == [201, 201, 403]
    assert db.get_link(database, link_id)["fragments"] == 2
    assert db.count_fragments(database) == 2


def test_a_link_for_another_survey_does_not_open_this_one(client, database, all_kinds):
    from sensemaker.survey import Survey

    db.save_survey(database, Survey(dict(all_kinds.definition, id="annan")))
    token = collection.new_token()
    db.add_link(database, "annan", "link", "x", collection.token_hash(token), "a@b.se")
    set_mode(database, "link")
    assert send(client, token=token).status_code == 403


def test_kiosk_mode_takes_only_kiosk_links(client, database):
    set_mode(database, "kiosk")
    link_token, _ = make_link(database, kind="link")
    kiosk_token, kiosk_id = make_link(database, kind="kiosk")
    assert send(client, token=link_token).status_code == 403
    assert send(client, token=kiosk_token).status_code == 201
    kiosk = db.get_link(database, kiosk_id)
    assert kiosk["fragments"] == 1 and kiosk["last_seen_at"]
    page = client.get(f"/k/{kiosk_token}")
    assert page.status_code == 200 and '"kiosk": true' in page.get_data(as_text=True)


def test_an_open_survey_still_credits_a_kiosk(client, database):
    token, link_id = make_link(database, kind="kiosk")
    assert send(client, token=token).status_code == 201
    assert db.get_link(database, link_id)["fragments"] == 1


@pytest.mark.parametrize("path", ["/k/made-up-token", "/k/" + "x" * 200])
def test_unknown_kiosk_is_404(client, path):
    assert client.get(path).status_code == 404


def test_the_start_page_lists_only_open_surveys(client, database):
    assert b"/s/all_kinds" in client.get("/").data
    set_mode(database, "link")
    assert b"/s/all_kinds" not in client.get("/").data


# -- a survey held open by this process, changed by another ------------------------------


def set_mode_elsewhere(database, mode):
    """As another server process would: this process's held survey is not let go of."""
    database.execute("UPDATE survey SET collection = ? WHERE id = 'all_kinds'", [mode])


def held(app):
    return db.held_open(app.config["DATABASE"], "all_kinds")


def test_a_survey_closed_by_another_process_takes_no_more_stories(app, client, database):
    first = body()
    assert client.post(URL, json=first).status_code == 201
    assert held(app) is not None  # the next story is taken on the held survey
    set_mode_elsewhere(database, "closed")
    response = send(client, language="en")
    assert response.status_code == 403
    assert "not taking stories" in response.json["errors"]["collection"]
    assert db.count_fragments(database) == 1
    again = client.post(URL, json=first)  # stored before it closed: still acknowledged
    assert again.status_code == 200 and again.json["status"] == "duplicate"


def test_a_survey_reopened_by_another_process_takes_stories_at_once(app, client, database):
    set_mode(database, "closed")
    assert send(client).status_code == 403
    assert held(app) is None  # a refusal is never held
    set_mode_elsewhere(database, "open")
    assert send(client).status_code == 201


def test_a_survey_turned_to_links_elsewhere_refuses_stories_without_one(app, client, database):
    assert send(client).status_code == 201
    assert held(app) is not None
    set_mode_elsewhere(database, "link")
    response = send(client, language="en")
    assert response.status_code == 403
    assert response.json["errors"]["collection"] == gettext("collection.bad_link", "en")
    assert db.count_fragments(database) == 1


def test_a_change_made_in_this_process_lets_go_of_held_surveys(app, client, database,
                                                               all_kinds):  # fmt: skip
    assert send(client).status_code == 201 and held(app) is not None
    set_mode(database, "open")
    assert held(app) is None
    assert send(client).status_code == 201 and held(app) is not None
    db.save_survey(database, Survey({**all_kinds.definition, "version": 2}))
    assert held(app) is None
    stored = send(client)
    assert stored.status_code == 201
    assert db.get_fragment(database, stored.json["id"])["survey_version"] == 2


def test_stories_loaded_in_bulk_need_no_open_survey(database, all_kinds):
    set_mode(database, "closed")
    parsed = fragments.parse(body(), all_kinds)
    record = intake.prepare(parsed, all_kinds, "sha")
    assert db.insert_fragments(database, [(parsed, record)]) == [db.CREATED]
    told = fragments.parse(body(), all_kinds)  # as the form would send it, without a link
    taken = intake.prepare(told, all_kinds, "sha", while_open=True)
    assert db.insert_fragments(database, [(told, taken)]) == [db.CLOSED]
    assert db.count_fragments(database) == 1


def test_a_story_with_a_link_that_does_not_work_is_taken_only_while_open(client, database,
                                                                         monkeypatch):  # fmt: skip
    # Read as open just before another process closed it: the story rests on the survey
    # being open to all (its link gives it nothing), so the writer refuses it.
    reads = [collection.Admission(True)]  # the read made before the close
    fresh = collection.admit
    monkeypatch.setattr(collection, "admit", lambda *args: reads.pop() if reads else fresh(*args))
    set_mode_elsewhere(database, "closed")
    response = send(client, token="made-up", language="en")
    assert response.status_code == 403
    assert "not taking stories" in response.json["errors"]["collection"]
    assert db.count_fragments(database) == 0
