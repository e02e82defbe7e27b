"""The capture form with no network: kept by the service worker, stories in the outbox,
drafts that survive a reload or a crash, and the survey version that travels with a story.

Runs in Debian's Chromium against the session's live gunicorn server; "offline" is the
browser context's own offline switch, which the service worker is subject to as well.
"""

import re
import shutil
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from sensemaker import db

from .conftest import DATA, PASSWORD, _password_hash
from .tablets import (
    everywhere,
    fill_to_review,
    kept_for_offline,
    live_db,
    outbox,
    wait_for,
)
from .test_capture_browser import FRAGMENTS, _violations, count_stories

pytestmark = pytest.mark.browser


def stored_rows(live_server, story):
    conn = live_db(live_server)
    try:
        sql = "SELECT id, survey_id, survey_version FROM fragment WHERE story = ?"
        return conn.execute(sql, [story]).fetchall()
    finally:
        conn.close()


def test_offline_submit_and_reload_then_one_copy_when_the_network_returns(tablet, live_server):
    context, page = tablet()
    story = "Hissen stannade och nätet försvann, men berättelsen fanns kvar."
    page.goto("/s/all_kinds?lang=sv")
    kept_for_offline(page, f"{live_server.url}/s/all_kinds?lang=sv")

    context.set_offline(True)
    reloaded = page.reload()
    assert reloaded.from_service_worker and reloaded.status == 200
    fill_to_review(page, story)
    page.locator(".button-send").click()
    expect(page.locator(".delivery-state")).to_have_text(
        "Väntar på att skickas – den skickas automatiskt."
    )
    [entry] = outbox(page)
    assert entry["state"] == "waiting"
    assert page.evaluate("localStorage.getItem('sensemaker.draft.all_kinds')") is None

    # Reload while still offline: the form opens from the kept copy, the story still waits.
    assert page.reload().from_service_worker
    expect(page.locator(".delivery-line")).to_contain_text("väntar på att skickas: 1")
    assert count_stories(live_server, story) == 0

    context.set_offline(False)
    expect(page.locator(".delivery-line")).to_be_hidden(timeout=15000)
    assert wait_for(lambda: outbox(page) == [], page)
    rows = stored_rows(live_server, story)
    assert len(rows) == 1 and rows[0][0] == entry["id"]
    assert everywhere(page, story) == []  # sent: nothing of it is left in the browser


def test_the_other_language_opens_offline_too(tablet, live_server):
    context, page = tablet()
    page.goto("/s/all_kinds?lang=sv")
    kept_for_offline(page, f"{live_server.url}/s/all_kinds?lang=en")
    kept_for_offline(page, f"{live_server.url}/tillganglighet?lang=en")
    context.set_offline(True)
    page.locator(".language-switch").click()
    expect(page.locator("#sm-step-heading")).to_have_text("Welcome")
    page.goto("/tillganglighet?lang=en")
    expect(page.locator("h1")).to_have_text("Accessibility statement")


def test_a_draft_survives_a_reload_and_a_crash(tablet, live_server):
    context, page = tablet()
    story = "Jag hann skriva det här innan fliken stängdes."
    page.goto("/s/all_kinds?lang=sv")
    page.locator(".consent-card").click()
    page.locator(".button-next").click()
    page.locator(".prompt-card").nth(1).click()
    page.locator(".button-next").click()
    page.locator(".story-input").fill(story)
    page.locator(".button-next").click()
    page.locator(".triad-svg").focus()
    page.keyboard.press("ArrowUp")
    placed = page.locator(".triad-svg").get_attribute("aria-valuetext")

    # A reload saves on the way out and brings the teller back to the same step.
    page.reload()
    expect(page.locator(".triad-svg")).to_have_attribute("aria-valuetext", placed)
    page.locator(".button-back").click()
    expect(page.locator(".story-input")).to_have_value(story)

    # A crash gives no chance to save on the way out: what was typed a few seconds before
    # is on disk already, with no page event at all, and another tab finds it there.
    page.locator(".story-input").fill(story + " Och lite till.")
    page.wait_for_timeout(2500)  # the draft is saved every 2 s while something changes
    draft = page.evaluate("localStorage.getItem('sensemaker.draft.all_kinds')")
    assert story + " Och lite till." in draft
    again = context.new_page()
    again.goto("/s/all_kinds?lang=sv")
    expect(again.locator(".story-input")).to_have_value(story + " Och lite till.")
    again.locator(".button-back").click()
    expect(again.locator(".prompt-card").nth(1).locator("input")).to_be_checked()


def _load_survey(live_server, path):
    cli = [sys.executable, "-m", "sensemaker", "--db", live_server.db_path, "survey", "load"]
    subprocess.run([*cli, str(path)], check=True, capture_output=True)


def test_a_story_told_offline_keeps_its_survey_version(tablet, live_server, tmp_path):
    survey = tmp_path / "tablet_versions.yaml"
    shutil.copy(DATA / "all_kinds.yaml", survey)
    _load_survey(live_server, survey)
    context, page = tablet()
    story = "Berättad mot version ett, skickad när version två redan fanns."
    page.goto("/s/tablet_versions?lang=sv")
    kept_for_offline(page, f"{live_server.url}/s/tablet_versions?lang=sv")
    context.set_offline(True)
    page.reload()
    fill_to_review(page, story)
    page.locator(".button-send").click()
    expect(page.locator(".delivery-state.is-waiting")).to_be_visible()

    # Meanwhile the survey gets a new version on the server.
    text = survey.read_text(encoding="utf-8").replace("version: 1", "version: 2")
    survey.write_text(text.replace("Vad gav trygghet?", "Vad gav dig trygghet?"), "utf-8")
    _load_survey(live_server, survey)

    context.set_offline(False)
    assert wait_for(lambda: stored_rows(live_server, story), page)
    [(_, survey_id, version)] = stored_rows(live_server, story)
    assert (survey_id, version) == ("tablet_versions", 1)
    page.reload()  # a new story on the fresh page is told against version 2
    assert (
        page.evaluate("JSON.parse(document.getElementById('sm-config').textContent)")["definition"][
            "version"
        ]
        == 2
    )


def test_a_refused_story_is_kept_for_staff_with_the_servers_message(tablet, live_server):
    _, page = tablet()
    story = "En berättelse som servern vägrade ta emot i bakgrunden."
    page.goto("/s/all_kinds?lang=sv")
    page.route(FRAGMENTS, lambda route: route.abort("internetdisconnected"))
    fill_to_review(page, story)
    page.locator(".button-send").click()
    expect(page.locator(".delivery-state.is-waiting")).to_be_visible()
    page.unroute(FRAGMENTS)

    message = "En annan berättelse finns redan sparad med samma id. Inget ändrades."
    page.route(FRAGMENTS, lambda route: route.fulfill(status=409, json={"errors": {"id": message}}))
    page.evaluate("window.dispatchEvent(new Event('online'))")
    attention = page.locator(".attention")
    expect(attention).to_be_visible()
    expect(attention.locator("summary")).to_have_text(
        "För personalen: berättelser som servern inte tog emot: 1"
    )
    attention.locator("summary").click()
    expect(attention).to_contain_text(message)
    assert [entry["state"] for entry in outbox(page)] == ["attention"]
    assert "DOM" not in everywhere(page, story)  # staff see the message, not the story
    found = _violations(page, "needs attention")
    assert found == [], found

    # Never dropped: once the cause is gone, staff send it again.
    page.unroute(FRAGMENTS)
    attention.get_by_role("button", name="Försök skicka dem igen").click()
    expect(attention).to_be_hidden()
    assert wait_for(lambda: outbox(page) == [], page)
    assert count_stories(live_server, story) == 1


def test_only_the_form_and_its_files_are_kept_never_the_api_or_staff_pages(tablet, live_server):
    conn = live_db(live_server)
    try:
        db.add_user(conn, "surfplatta@region.se", "facilitator", _password_hash())
    finally:
        conn.close()
    context, page = tablet()
    page.goto("/s/all_kinds?lang=sv")
    kept_for_offline(page, f"{live_server.url}/tillganglighet?lang=en")
    page.goto("/login")
    page.locator("#email").fill("surfplatta@region.se")
    page.locator("#password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile("/overview$"))
    for url in ("/api/v1/health", "/overview", "/s/all_kinds/definition.json"):
        page.goto(url)
    page.goto("/s/all_kinds?lang=sv")
    kept = page.evaluate(
        "async () => { const urls = []; for (const key of await caches.keys()) {"
        " for (const r of await (await caches.open(key)).keys()) urls.push(r.url); }"
        " return urls; }"
    )
    paths = {url.removeprefix(live_server.url).split("?")[0] for url in kept}
    allowed = re.compile(r"^/(static/.+\.(js|css)|s/[^/]+(/definition\.json)?|tillganglighet)$")
    assert paths and all(allowed.match(path) for path in paths), sorted(paths)
    assert {"/s/all_kinds", "/static/js/capture/form.js", "/static/css/capture.css"} <= paths


def test_backoff_doubles_with_jitter_up_to_five_minutes(tablet):
    _, page = tablet()
    page.goto("/s/all_kinds?lang=sv")
    waits = page.evaluate(
        "async () => { const { backoff } = await import('/static/js/capture/delivery.js');"
        " return [1, 2, 3, 10, 30].map((n) => [backoff(n, () => 0), backoff(n, () => 1)]); }"
    )
    assert waits == [[1000, 2000], [2000, 4000], [4000, 8000], [150000, 300000], [150000, 300000]]
