"""Kiosk mode on a shared tablet: thank-you then a fresh form, an idle warning then a
cleared form, and nothing of the previous teller anywhere in the page or the browser.

The tablet's clock is Playwright's fake clock, so "90 seconds idle" takes no time.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from sensemaker import db

from . import tablets
from .tablets import (
    everywhere,
    fill_to_review,
    live_db,
    make_kiosk,
    outbox,
    wait_for,
)

pytestmark = pytest.mark.browser

IDLE, WARNING, THANKS = 90, 30, 8  # sensemaker.capture.KIOSK_TIMING


def open_kiosk(tablet, live_server, label):
    token, link_id = make_kiosk(live_server, label)
    context, page = tablet()
    page.clock.install()
    page.goto(f"/k/{token}?lang=sv")
    expect(page.locator("#sm-step-heading")).to_have_text("Välkommen")
    return context, page, link_id


def kiosk_row(live_server, link_id):
    conn = live_db(live_server)
    try:
        return next(k for k in db.kiosk_overview(conn, "all_kinds") if k["id"] == link_id)
    finally:
        conn.close()


def test_after_sending_the_receipt_shows_then_everything_is_forgotten(tablet, live_server):
    _, page, link_id = open_kiosk(tablet, live_server, "Väntrummet")
    entries = page.evaluate("history.length")
    story = "Jag fick vänta länge men sköterskan förklarade varför."
    fill_to_review(page, story)
    page.locator(".button-send").click()
    expect(page.locator(".delivery-state")).to_have_text("Din berättelse är skickad.")
    code = page.locator(".receipt-code").inner_text()
    assert len(code) == 14 and code.count("-") == 2
    expect(page.locator(".thanks")).to_contain_text("ta ett foto")

    page.clock.run_for(THANKS * 1000)
    expect(page.locator("#sm-step-heading")).to_have_text("Välkommen")
    expect(page.locator(".consent-card input")).not_to_be_checked()
    assert everywhere(page, story) == []
    assert everywhere(page, code) == []  # the receipt was on the thank-you screen only
    assert outbox(page) == []
    # The form added no history entries: Back leaves the kiosk, never into the last teller.
    assert page.evaluate("history.length") == entries
    assert page.evaluate("history.state") is None

    # The tablet told the server: one story, nothing waiting.
    row = wait_for(lambda: (r := kiosk_row(live_server, link_id))["reported_at"] and r, page)
    assert (row["fragments"], row["waiting"], row["attention"]) == (1, 0, 0)


def test_idle_warns_then_clears_a_half_told_story(tablet, live_server):
    _, page, _ = open_kiosk(tablet, live_server, "Dagrummet")
    story = "En halv berättelse som ingen skrev färdigt."
    page.locator(".consent-card").click()
    page.locator(".button-next").click()
    page.locator(".prompt-card").first.click()
    page.locator(".button-next").click()
    page.locator(".story-input").fill(story)
    page.clock.run_for(3000)  # saved as a draft meanwhile

    page.clock.run_for(IDLE * 1000)
    warning = page.locator(".kiosk-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Är du kvar?")
    expect(page.locator(".kiosk-stay")).to_be_focused()
    results = Axe().run(page)
    assert results.response["violations"] == [], results.generate_report()

    # "I am here" keeps everything.
    page.locator(".kiosk-stay").click()
    expect(warning).to_be_hidden()
    expect(page.locator(".story-input")).to_have_value(story)

    # Left alone again: warned, and cleared when nobody answers.
    page.clock.run_for(IDLE * 1000)
    expect(warning).to_be_visible()
    page.clock.run_for(WARNING * 1000 + 1000)
    expect(warning).to_be_hidden()
    expect(page.locator("#sm-step-heading")).to_have_text("Välkommen")
    expect(page.locator("[aria-live=assertive]")).to_contain_text("Formuläret har tömts")
    assert everywhere(page, story) == []

    # An untouched form is never "in progress": no warning however long it stands.
    page.clock.run_for((IDLE + WARNING) * 2000)
    expect(warning).to_be_hidden()


def test_a_draft_on_a_kiosk_lives_only_as_long_as_the_idle_timeout(tablet, live_server):
    _, page, _ = open_kiosk(tablet, live_server, "Entrén")
    story = "Påbörjad, sedan laddades sidan om."
    fill_to_review(page, story)
    page.reload()  # the same teller, a moment later: the story is still there
    expect(page.locator(".review-story")).to_have_text(story)
    # Two minutes later it is someone else: a reload starts afresh. (The draft is made two
    # minutes older by hand: the fake clock starts anew with each page.)
    page.evaluate(
        "(ms) => { const key = 'sensemaker.draft.all_kinds';"
        " const draft = JSON.parse(localStorage.getItem(key)); draft.savedAt -= ms;"
        " localStorage.setItem(key, JSON.stringify(draft)); }",
        (IDLE + WARNING + 5) * 1000,
    )
    page.reload()
    expect(page.locator("#sm-step-heading")).to_have_text("Välkommen")
    assert everywhere(page, story) == []


def test_offline_kiosk_story_waits_then_goes_and_is_forgotten(tablet, live_server):
    context, page, link_id = open_kiosk(tablet, live_server, "Personalrummet")
    story = "Berättad i källaren där nätet inte når."
    tablets.kept_for_offline(page, page.url)
    context.set_offline(True)
    fill_to_review(page, story)
    page.locator(".button-send").click()
    expect(page.locator(".delivery-state.is-waiting")).to_be_visible()
    expect(page.locator(".thanks")).to_contain_text("lämna över surfplattan")
    page.clock.run_for(THANKS * 1000)
    expect(page.locator("#sm-step-heading")).to_have_text("Välkommen")
    # Only the outbox holds it while it waits, and the next teller sees only a count.
    assert [place for place in everywhere(page, story) if "outbox" not in place] == []
    expect(page.locator(".delivery-line")).to_contain_text("väntar på att skickas: 1")

    context.set_offline(False)
    assert wait_for(lambda: outbox(page) == [], page)
    assert everywhere(page, story) == []
    row = wait_for(lambda: (r := kiosk_row(live_server, link_id))["fragments"] == 1 and r, page)
    assert row["last_seen_at"] is not None
