"""The capture form with no network: kept by the service worker, stories in the outbox,
drafts that survive a reload or a crash, and the survey version that travels with a story.

Runs in Debian's Chromium against the session's live gunicorn server; "offline" is the
browser context's own offline switch, which the service worker is subject to as well.
"""

import shutil
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from . import tablets
from .conftest import DATA
from .tablets import everywhere, fill_to_review, kept_for_offline, live_db, outbox, wait_for
from .test_capture_browser import count_stories

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def chromium():
    with tablets.launch() as browser:
        yield browser


@pytest.fixture
def tablet(chromium, live_server):
    yield from tablets.contexts(chromium, live_server)


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
