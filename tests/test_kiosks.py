"""Kiosk reports: only a working kiosk token may report, bad reports change nothing, and
staff see per kiosk its last story, its last report and what waits in its outbox."""

from datetime import UTC, datetime, timedelta

import pytest

from sensemaker import collection, db

from .test_api import URL, body

STATUS = "/api/v1/kiosk/status"


def make_kiosk(database, label="Dagrummet", kind="kiosk"):
    token = collection.new_token()
    link_id = db.add_link(database, "all_kinds", kind, label, collection.token_hash(token), "admin")
    return token, link_id


def report(client, token, payload, **headers):
    if token:
        headers[collection.TOKEN_HEADER] = token
    return client.post(STATUS, json=payload, headers=headers)


def status_of(database, link_id):
    kiosk = next(k for k in db.kiosk_overview(database, "all_kinds") if k["id"] == link_id)
    return kiosk


def test_a_kiosk_reports_its_outbox_and_the_latest_report_wins(client, database):
    token, link_id = make_kiosk(database)
    oldest = "2026-11-23T08:15:00.000Z"
    response = report(client, token, {"waiting": 3, "oldest_waiting": oldest, "attention": 1})
    assert response.status_code == 204
    kiosk = status_of(database, link_id)
    assert (kiosk["waiting"], kiosk["oldest_waiting"], kiosk["attention"]) == (3, oldest, 1)
    assert kiosk["reported_at"] is not None
    assert report(client, token, {"waiting": 0, "oldest_waiting": None}).status_code == 204
    kiosk = status_of(database, link_id)
    assert (kiosk["waiting"], kiosk["oldest_waiting"], kiosk["attention"]) == (0, None, 0)
    assert database.execute("SELECT count(*) FROM kiosk_status").fetchone()[0] == 1


@pytest.mark.parametrize("who", ["none", "made-up", "link", "revoked"])
def test_only_a_working_kiosk_token_may_report(client, database, who):
    token = {"none": None, "made-up": "x" * 32}.get(who)
    if who in ("link", "revoked"):
        token, link_id = make_kiosk(database, kind="kiosk" if who == "revoked" else "link")
        if who == "revoked":
            db.revoke_link(database, link_id)
    response = report(client, token, {"waiting": 1}, **{"Accept-Language": "en"})
    assert response.status_code == 403
    assert "does not work" in response.json["errors"]["kiosk"]
    assert database.execute("SELECT count(*) FROM kiosk_status").fetchone()[0] == 0


def test_a_report_from_another_site_is_refused(client, database):
    token, _ = make_kiosk(database)
    response = report(client, token, {"waiting": 1}, Origin="https://evil.example")
    assert response.status_code == 403
    assert database.execute("SELECT count(*) FROM kiosk_status").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"waiting": -1}, "waiting"),
        ({"waiting": True}, "waiting"),
        ({"waiting": "3"}, "waiting"),
        ({}, "waiting"),
        ({"waiting": 1, "attention": 2.5}, "attention"),
        ({"waiting": 1, "oldest_waiting": "yesterday"}, "oldest_waiting"),
        ({"waiting": 1, "oldest_waiting": "2026-11-23T08:15:00"}, "oldest_waiting"),  # no zone
        ({"waiting": 1, "story": "Text"}, "story"),
        ([1, 2], "body"),
    ],
)
def test_a_bad_report_is_refused_in_the_tellers_language_and_changes_nothing(
    client, database, payload, field
):
    token, link_id = make_kiosk(database)
    assert report(client, token, {"waiting": 2}).status_code == 204
    response = report(client, token, payload, **{"Accept-Language": "sv"})
    assert response.status_code == 422
    assert response.json["errors"][field]
    assert status_of(database, link_id)["waiting"] == 2


def test_a_report_that_is_not_json_is_refused(client, database):
    token, _ = make_kiosk(database)
    response = client.post(STATUS, data="waiting=1", headers={collection.TOKEN_HEADER: token})
    assert response.status_code == 415


def test_staff_see_last_story_last_report_and_waiting(client, database, signed_in):
    token, link_id = make_kiosk(database, label="Väntrummet <b>2</b>")
    sent = client.post(URL, json=body(), headers={collection.TOKEN_HEADER: token})
    assert sent.status_code == 201
    stale = (datetime.now(UTC) - timedelta(hours=3)).isoformat()
    assert report(client, token, {"waiting": 4, "oldest_waiting": stale}).status_code == 204
    make_kiosk(database, label="Personalrummet")
    page = signed_in("facilitator").get("/overview/kiosks/all_kinds?lang=en")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Väntrummet &lt;b&gt;2&lt;/b&gt;" in text  # escaped, like every label
    assert "Personalrummet" in text and "never" in text
    assert "Waiting for more than an hour" in text
    kiosk = status_of(database, link_id)
    assert kiosk["fragments"] == 1 and kiosk["last_seen_at"] is not None
    assert (
        f'data-kiosk="{link_id}"' in text and kiosk["last_seen_at"][:16].replace("T", " ") in text
    )


def test_a_fresh_wait_is_not_shown_as_stuck(client, database, signed_in):
    token, _ = make_kiosk(database)
    just_now = datetime.now(UTC).isoformat()
    assert report(client, token, {"waiting": 1, "oldest_waiting": just_now}).status_code == 204
    text = signed_in("facilitator").get("/overview/kiosks/all_kinds?lang=en").text
    assert "Waiting for more than an hour" not in text and "is-stuck" not in text


def test_the_page_never_shows_a_story(client, database, signed_in):
    token, _ = make_kiosk(database)
    story = "Ingen ska se den här texten på surfplattesidan."
    client.post(URL, json=body(story=story), headers={collection.TOKEN_HEADER: token})
    assert story not in signed_in("facilitator").get("/overview/kiosks/all_kinds").text


def test_the_overview_links_to_the_tablets_for_those_who_may_see_them(signed_in):
    assert "/overview/kiosks/all_kinds" in signed_in("facilitator").get("/overview").text
    assert "/overview/kiosks/all_kinds" not in signed_in("analyst").get("/overview").text


def test_unknown_survey_is_404(signed_in):
    assert signed_in("admin").get("/overview/kiosks/finns-inte").status_code == 404
