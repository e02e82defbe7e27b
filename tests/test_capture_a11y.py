"""Accessibility beyond the form's own steps: the A+ control and large text on tablet and
phone, the other teller pages, the statement the law asks for, and the widgets' roles,
names and value texts as a screen reader meets them."""

import re
import shutil
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from sensemaker import db

from .conftest import DATA
from .tablets import live_db, make_kiosk
from .test_capture_browser import PHONE, TABLET, _violations

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = """() => ({
  page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  wide: [...document.querySelectorAll("body *")]
    .filter((node) => node.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .map((node) => node.className || node.tagName).slice(0, 5),
})"""
# Targets outside the form's steps: the A+ button, the footer links, the language switch.
PAGE_TARGETS = """() => [
  ...document.querySelectorAll(".text-size, .capture-footer a, .language-switch"),
].map((node) => node.getBoundingClientRect())
  .filter((box) => box.width && (box.width < 44 || box.height < 44))
  .map((box) => `${Math.round(box.width)}x${Math.round(box.height)}`)"""


def check_page(page, where):
    """axe, touch targets and sideways scrolling on whatever the page shows now."""
    found = _violations(page, where)
    small = page.evaluate(PAGE_TARGETS)
    if small:
        found.append((where, "touch-target-44px", "serious", small))
    overflow = page.evaluate(NO_SIDEWAYS_SCROLL)
    if overflow["page"] > 0:
        found.append((where, "horizontal-scroll", "serious", overflow["wide"]))
    return found


def larger_text(page, times=2):
    button = page.locator(".text-size")
    for _ in range(times):
        button.click()
    return button


@pytest.mark.parametrize(("viewport", "lang"), [(TABLET, "sv"), (PHONE, "en")])
def test_every_step_works_at_150_percent_text(tablet, viewport, lang):
    _, page = tablet(viewport=viewport, has_touch=viewport is PHONE)
    page.goto(f"/s/all_kinds?lang={lang}")
    button = larger_text(page)
    expect(page.locator("html")).to_have_class(re.compile("text-150"))
    expect(button).to_have_accessible_name(re.compile(r"^A\+ .*150 %"))
    found = check_page(page, "welcome")
    page.locator(".consent-card").click()
    page.locator(".button-next").click()
    page.locator(".prompt-card").first.click()
    page.locator(".button-next").click()
    page.locator(".story-input").fill("Stor text ska inte skjuta sidan åt sidan.")
    found += check_page(page, "story")
    page.locator(".button-next").click()
    while not page.locator(".review").is_visible():
        kind = page.locator(".question").get_attribute("class").split("question-")[-1]
        if kind == "choice" and page.locator(".card-input[type=radio]").count():
            page.locator(".card").first.click()
        if kind == "stones":
            page.locator('[data-stone="nurse"]').focus()
            page.keyboard.press("Enter")
        found += check_page(page, kind)
        page.locator(".button-next").click()
    found += check_page(page, "review")
    page.locator(".button-send").click()
    expect(page.locator(".receipt-code")).to_be_visible()
    found += check_page(page, "thanks")
    # The size is kept on the device: the next page opens with it.
    page.goto(f"/tillganglighet?lang={lang}")
    expect(page.locator("html")).to_have_class(re.compile("text-150"))
    found += check_page(page, "statement")
    assert found == []
    larger_text(page, times=1)  # 150 % → back to 100 %
    expect(page.locator("html")).not_to_have_class(re.compile("text-1"))


def closed_survey(live_server, tmp_path) -> str:
    """A copy of the test survey that takes no stories, for its "closed" page."""
    survey = tmp_path / "tablet_closed.yaml"
    shutil.copy(DATA / "all_kinds.yaml", survey)
    cli = [sys.executable, "-m", "sensemaker", "--db", live_server.db_path, "survey", "load"]
    subprocess.run([*cli, str(survey)], check=True, capture_output=True)
    conn = live_db(live_server)
    try:
        db.set_survey_settings(conn, "tablet_closed", collection="closed", retention_days=None)
    finally:
        conn.close()
    return "/s/tablet_closed"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_other_teller_pages_pass_axe_and_link_the_statement(
    tablet, live_server, tmp_path, lang
):
    token, _ = make_kiosk(live_server, "Axe")
    closed = closed_survey(live_server, tmp_path)
    _, page = tablet()
    found = []
    for url in ("/", f"/k/{token}", closed, "/tillganglighet", "/withdraw"):
        page.goto(f"{url}?lang={lang}")
        if url != "/withdraw":  # the withdrawal page is the accounts' own, without A+
            expect(page.locator(".text-size")).to_be_visible()
            statement = page.locator(".capture-footer a", has_text=re.compile("Tillgänglighet|Acc"))
            expect(statement).to_have_attribute("href", f"/tillganglighet?lang={lang}")
        found += _violations(page, url)
    assert found == []


def test_the_statement_follows_the_digg_model(tablet):
    _, page = tablet()
    page.goto("/tillganglighet?lang=sv")
    headings = page.locator("h2").all_inner_texts()
    assert headings == [
        "Hur tillgängligt är formuläret?",
        "Vad kan du göra om du inte kan använda delar av formuläret?",
        "Rapportera brister i formulärets tillgänglighet",
        "Tillsyn",
        "Teknisk information om formulärets tillgänglighet",
        "Hur vi testat formuläret",
    ]
    expect(page.locator("main")).to_contain_text("Myndigheten för digital förvaltning (DIGG)")
    expect(page.locator("main")).to_contain_text("EN 301 549")
    expect(page.locator("main")).to_contain_text("delvis förenligt")
    expect(page.locator("main")).to_contain_text(re.compile(r"gjordes den \d{4}-\d{2}-\d{2}"))
    expect(
        page.get_by_role("link", name="Anmäl bristande tillgänglighet till DIGG")
    ).to_be_visible()


def test_every_widget_has_a_role_a_name_and_a_value_text(tablet):
    _, page = tablet()
    page.goto("/s/all_kinds?lang=en")
    page.locator(".consent-card").click()
    page.locator(".button-next").click()
    page.locator(".prompt-card").first.click()
    page.locator(".button-next").click()
    page.locator(".story-input").fill("Roles and names.")
    page.locator(".button-next").click()

    triad = page.get_by_role("slider", name="What gave a sense of safety?")
    expect(triad).to_have_attribute("aria-valuetext", "No point placed yet")
    triad.focus()
    page.keyboard.press("ArrowUp")
    expect(triad).to_have_attribute("aria-valuetext", re.compile(r"^\d+ % The staff, "))
    page.locator(".button-next").click()

    dyad = page.get_by_role("slider", name="How was the pace?")
    dyad.focus()
    page.keyboard.press("End")
    expect(dyad).to_have_attribute("aria-valuetext", re.compile("^all the way towards Calm"))
    page.locator(".button-next").click()

    stones = page.get_by_role("group", name=re.compile(".")).filter(has=page.locator(".stone"))
    expect(stones.first).to_be_visible()
    for stone in page.locator(".stone").all():
        expect(stone).to_have_role("slider")
        expect(stone).to_have_accessible_name(re.compile("."))
        expect(stone).to_have_attribute("aria-valuetext", "not placed")
    while not page.locator(".question-star").is_visible():
        if page.locator(".card", has_text=re.compile("^Patient$")).is_visible():
            page.locator(".card", has_text=re.compile("^Patient$")).click()
        page.locator(".button-next").click()

    areas = page.locator(".star-area")
    for index in range(areas.count()):
        area = areas.nth(index)
        legend = area.locator("legend").inner_text()
        expect(page.get_by_role("group", name=legend)).to_be_visible()
        seven = area.get_by_role("radio", name=re.compile(r"^7 \("))
        seven.focus()
        page.keyboard.press("Space")
        expect(seven).to_be_checked()
