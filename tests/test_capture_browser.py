"""The capture form in a real Chromium: dragging, keyboard, N/A, errors, retries, axe.

Runs against the session's live gunicorn server (tests/conftest.py) with the `all_kinds`
survey. Expected positions are computed from the drawn geometry (each SVG's bounding box
and its viewBox or line ends), never from constants copied out of the JavaScript.
"""

import re
from pathlib import Path

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from sensemaker import db
from sensemaker.questions import KINDS

from .browser import launch

pytestmark = pytest.mark.browser

TABLET = {"width": 1024, "height": 768}
PHONE = {"width": 390, "height": 844}
FRAGMENTS = "**/api/v1/surveys/all_kinds/fragments"
TOLERANCE = 0.02
ROOT = Path(__file__).parent.parent
SCRIPTS = ROOT / "static" / "js" / "capture"
MESSAGES = ROOT / "sensemaker" / "messages.yaml"


@pytest.fixture(scope="module")
def browser():
    """One fresh Chromium (with its own throw-away profile) for this module."""
    with launch() as browser:
        yield browser


def _new_page(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, **{"viewport": TABLET, **options})
    page = context.new_page()
    problems = []

    def on_console(message):
        # Only the favicon and the fragments a test rejects or cuts off on purpose may
        # fail to load; anything else (a CSP refusal, a missing message, a script error)
        # is a bug.
        source = (message.location or {}).get("url", "")
        expected = "favicon" in source or source.endswith("/fragments")
        if message.type == "error" and not expected:
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return context, page, problems


@pytest.fixture
def page(browser, live_server):
    context, page, problems = _new_page(browser, live_server)
    yield page
    context.close()
    assert not problems, problems


@pytest.fixture
def phone_page(browser, live_server):
    context, page, problems = _new_page(browser, live_server, viewport=PHONE, has_touch=True)
    yield page
    context.close()
    assert not problems, problems


# -- helpers ---------------------------------------------------------------------------------


def stored(live_server, fragment_id):
    conn = db.connect(live_server.db_path, migrate=False)
    try:
        return db.get_fragment(conn, fragment_id)
    finally:
        conn.close()


def count_stories(live_server, story):
    conn = db.connect(live_server.db_path, migrate=False)
    try:
        return conn.execute("SELECT count(*) FROM fragment WHERE story = ?", [story]).fetchone()[0]
    finally:
        conn.close()


def open_form(page, lang="sv"):
    page.goto(f"/s/all_kinds?lang={lang}")
    expect(page.locator("#sm-step-heading")).to_be_visible()


def next_step(page):
    page.locator(".button-next").click()


def begin(page, story, lang="sv", title="En rubrik"):
    """Open the form and get through consent, prompt and story to the first question."""
    open_form(page, lang)
    page.locator(".consent-card").click()
    next_step(page)
    page.locator(".prompt-card").first.click()
    next_step(page)
    page.locator(".story-input").fill(story)
    page.locator(".title-input").fill(title)
    next_step(page)
    expect(page.locator(".question-triad")).to_be_visible()


def skip_to(page, kind):
    while not page.locator(f".question-{kind}").is_visible():
        if page.locator(".question-choice .card", has_text="Patient").is_visible():
            page.locator(".card", has_text="Patient").click()
        next_step(page)


def send(page, button=".button-send"):
    """Send from the review step; returns the response (and so the request body)."""
    with page.expect_response(lambda r: r.url.endswith("/fragments")) as info:
        page.locator(button).click()
    return info.value


def svg_to_screen(page, selector):
    """A function mapping an SVG's user units to screen pixels, from its box and viewBox."""
    element = page.locator(selector)
    box = element.bounding_box()
    vx, vy, vw, vh = (float(v) for v in element.get_attribute("viewBox").split())
    scale = box["width"] / vw
    assert box["height"] / vh == pytest.approx(scale, rel=0.01)

    def to_screen(x, y):
        return box["x"] + (x - vx) * scale, box["y"] + (y - vy) * scale

    return to_screen


def triangle_corners(page):
    points = page.locator(".triad-shape").get_attribute("points").split()
    to_screen = svg_to_screen(page, ".triad-svg")
    return [to_screen(*(float(v) for v in p.split(","))) for p in points]


def barycentric(point, corners):
    (x, y), ((x1, y1), (x2, y2), (x3, y3)) = point, corners
    denominator = (y2 - y3) * (x1 - x3) + (x3 - x2) * (y1 - y3)
    a = ((y2 - y3) * (x - x3) + (x3 - x2) * (y - y3)) / denominator
    b = ((y3 - y1) * (x - x3) + (x1 - x3) * (y - y3)) / denominator
    return [a, b, 1 - a - b]


def at_shares(shares, corners):
    return tuple(sum(s * c[i] for s, c in zip(shares, corners, strict=True)) for i in (0, 1))


def drag(page, start, end, steps=12):
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=steps)
    page.mouse.up()


def percents(text):
    return [int(p) for p in re.findall(r"(-?\d+) %", text)]


def dyad_line(page):
    """Screen x of the dyad line's two ends, and its y."""
    box = page.locator(".dyad-svg").bounding_box()
    line = page.locator(".dyad-line")
    x1, x2 = (float(line.get_attribute(a).rstrip("%")) / 100 for a in ("x1", "x2"))
    return box["x"] + x1 * box["width"], box["x"] + x2 * box["width"], box["y"] + box["height"] / 2


# -- 1. pointer only -----------------------------------------------------------------------


def test_pointer_answers_are_stored_where_they_were_dropped(page, live_server):
    story = "Pekaren: en berättelse om en bra dag på avdelningen."
    begin(page, story)

    # Triad: dragging far outside keeps the point on the edge, never outside.
    corners = triangle_corners(page)
    centre = at_shares([1 / 3, 1 / 3, 1 / 3], corners)
    right_edge_middle = at_shares([0.5, 0, 0.5], corners)
    far_outside = (right_edge_middle[0] + 400, right_edge_middle[1] - 150)
    drag(page, centre, far_outside)
    triad = page.locator(".triad-svg")
    shown = percents(triad.get_attribute("aria-valuetext"))
    assert len(shown) == 3 and sum(shown) == 100
    assert min(shown) == 0 and all(p >= 0 for p in shown)
    assert shown[1] == 0  # the bottom-left corner's share: the point is on the right edge
    point = page.locator(".triad-point").bounding_box()
    on_edge = barycentric(
        (point["x"] + point["width"] / 2, point["y"] + point["height"] / 2), corners
    )
    assert min(on_edge) == pytest.approx(0, abs=0.01)

    # Then drag it to a known spot and remember the shares that spot stands for.
    target = at_shares([0.6, 0.1, 0.3], corners)
    drag(page, centre, target)
    expected_triad = barycentric(target, corners)
    next_step(page)

    # Dyad: drag from the left end to 30 % of the line.
    start, end, y = dyad_line(page)
    drop_x = start + 0.3 * (end - start)
    drag(page, (start + 0.8 * (end - start), y), (drop_x, y))
    expected_x = (drop_x - start) / (end - start)
    next_step(page)

    # Stones: drag the nurse from the tray onto the canvas.
    canvas = page.locator(".stones-svg").bounding_box()
    nurse = page.locator('[data-stone="nurse"]').bounding_box()
    grab = (nurse["x"] + nurse["width"] / 2, nurse["y"] + nurse["height"] / 2)
    drop = (canvas["x"] + 0.25 * canvas["width"], canvas["y"] + (1 - 0.8) * canvas["height"])
    drag(page, grab, drop)
    expect(page.locator('.stones-layer [data-stone="nurse"]')).to_be_visible()
    next_step(page)

    # Choices: single, then multiple with "other" and the limit of two.
    page.locator(".card", has_text="Anhörig").click()
    next_step(page)
    page.locator(".card", has_text="Mat").click()
    page.locator(".card", has_text="Sömn").click()
    page.locator(".card", has_text="Sällskap").click()
    expect(page.locator(".choice-message")).to_contain_text("högst 2")
    expect(page.locator(".card", has_text="Sällskap").locator("input")).not_to_be_checked()
    page.locator(".card", has_text="Sömn").click()
    page.locator(".card", has_text="Annat").click()
    page.locator(".other-input").fill("Promenader")
    next_step(page)

    # Star: one step per area, one area does not apply.
    areas = page.locator(".star-area")
    areas.nth(0).locator(".star-choice", has_text="7").click()
    areas.nth(1).locator(".star-na").click()
    areas.nth(2).locator(".star-choice", has_text="3").first.click()
    next_step(page)

    page.locator(".text-input").fill("Mer tid för samtal.")
    next_step(page)
    expect(page.locator(".review")).to_be_visible()
    response = send(page)
    assert response.status == 201
    expect(page.locator(".thanks")).to_be_visible()

    body = response.request.post_data_json
    fragment = stored(live_server, body["id"])
    assert fragment is not None
    assert fragment["story"] == story
    assert fragment["consent"] is True and fragment["prompt"] == "good-day"
    answers = fragment["answers"]
    shares = answers["safety"]
    assert sum(shares) == pytest.approx(1, abs=1e-9)
    assert all(share >= 0 for share in shares)
    assert shares == pytest.approx(expected_triad, abs=TOLERANCE)
    assert shares == pytest.approx([0.6, 0.1, 0.3], abs=TOLERANCE)
    assert answers["pace"] == pytest.approx(expected_x, abs=TOLERANCE)
    assert answers["people"]["nurse"] == pytest.approx([0.25, 0.8], abs=TOLERANCE)
    assert "doctor" not in answers["people"]
    assert answers["role"] == "relative"
    assert answers["topics"] == {"selected": ["food", "other"], "other": "Promenader"}
    assert answers["life"] == {"health": 7, "home": "na", "friends": 3}
    assert answers["wish"] == "Mer tid för samtal."

    # "Tell another story" starts afresh, with nothing of the last story left.
    page.locator(".thanks .button").click()
    expect(page.locator(".consent-card input")).not_to_be_checked()


# -- 2. keyboard only ------------------------------------------------------------------------


def tab_to(page, selector, limit=25):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_moves_the_points_and_says_where_they_are(page):
    open_form(page)
    tab_to(page, ".consent-card input")
    page.keyboard.press("Space")
    tab_to(page, ".button-next")
    page.keyboard.press("Enter")
    expect(page.locator("#sm-step-heading")).to_be_focused()
    tab_to(page, ".prompt-card input")
    page.keyboard.press("Space")
    tab_to(page, ".button-next")
    page.keyboard.press("Enter")
    tab_to(page, ".story-input")
    page.keyboard.type("Tangentbordet räcker.")
    tab_to(page, ".button-next")
    page.keyboard.press("Enter")

    triad = page.locator(".triad-svg")
    tab_to(page, ".triad-svg")
    unset = triad.get_attribute("aria-valuetext")
    page.keyboard.press("ArrowUp")  # the first press puts the point in the middle
    middle = triad.get_attribute("aria-valuetext")
    assert middle != unset and sorted(percents(middle)) == [33, 33, 34]
    page.keyboard.press("ArrowUp")
    higher = triad.get_attribute("aria-valuetext")
    assert higher != middle and percents(higher)[0] > percents(middle)[0]
    page.keyboard.press("Shift+ArrowRight")
    assert triad.get_attribute("aria-valuetext") != higher
    for _ in range(15):  # far past the bottom edge: the point stops on it
        page.keyboard.press("Shift+ArrowDown")
    bottom = percents(triad.get_attribute("aria-valuetext"))
    assert bottom[0] == 0 and all(p >= 0 for p in bottom) and sum(bottom) == 100
    assert triad.get_attribute("aria-valuenow") == "0"

    tab_to(page, ".button-next")
    page.keyboard.press("Enter")
    dyad = page.locator(".dyad-svg")
    tab_to(page, ".dyad-svg")
    page.keyboard.press("ArrowRight")
    assert dyad.get_attribute("aria-valuetext").startswith("i mitten")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    towards_calm = dyad.get_attribute("aria-valuetext")
    assert "mot Lugnt" in towards_calm and percents(towards_calm) == [40, 60]
    page.keyboard.press("Home")
    assert dyad.get_attribute("aria-valuetext").startswith("helt mot Stressat")
    assert dyad.get_attribute("aria-valuenow") == "0"

    tab_to(page, ".button-next")
    page.keyboard.press("Enter")
    nurse = page.locator('[data-stone="nurse"]')
    tab_to(page, '[data-stone="nurse"]')
    in_tray = nurse.get_attribute("aria-valuetext")
    page.keyboard.press("Enter")
    expect(page.locator('.stones-layer [data-stone="nurse"]')).to_be_focused()
    page.keyboard.press("ArrowRight")
    placed = nurse.get_attribute("aria-valuetext")
    assert placed != in_tray and percents(placed) == [45, 55, 50, 50]
    page.keyboard.press("Delete")
    expect(page.locator('.stones-tray [data-stone="nurse"]')).to_be_focused()
    assert nurse.get_attribute("aria-valuetext") == in_tray


def test_touch_taps_place_points_without_dragging(phone_page):
    page = phone_page
    begin(page, "Med fingret på en telefon.")
    corners = triangle_corners(page)
    page.touchscreen.tap(*at_shares([0.2, 0.2, 0.6], corners))
    assert percents(page.locator(".triad-svg").get_attribute("aria-valuetext")) == pytest.approx(
        [20, 20, 60], abs=2
    )
    next_step(page)
    start, end, y = dyad_line(page)
    page.touchscreen.tap(start + 0.9 * (end - start), y)
    assert percents(page.locator(".dyad-svg").get_attribute("aria-valuetext")) == pytest.approx(
        [10, 90], abs=2
    )
    next_step(page)
    # Stones without dragging: tap the stone, then tap its place on the canvas.
    doctor = page.locator('[data-stone="doctor"]')
    doctor.tap()
    expect(page.locator(".stones-status")).to_contain_text("Läkare")
    canvas = page.locator(".stones-svg").bounding_box()
    page.touchscreen.tap(canvas["x"] + 0.75 * canvas["width"], canvas["y"] + 0.5 * canvas["height"])
    expect(page.locator('.stones-layer [data-stone="doctor"]')).to_be_visible()
    assert percents(doctor.get_attribute("aria-valuetext")) == pytest.approx(
        [25, 75, 50, 50], abs=2
    )
    page.locator(".stones-put-back").tap()
    expect(page.locator('.stones-tray [data-stone="doctor"]')).to_be_visible()


# -- 3. does not apply -----------------------------------------------------------------------


def test_does_not_apply_is_stored_as_na(page, live_server):
    begin(page, "Det här passade inte på alla frågor.")
    page.locator(".na-card").click()
    next_step(page)
    # Placing the point after "does not apply" means the question applies after all …
    page.locator(".na-card").click()
    start, end, y = dyad_line(page)
    page.mouse.click(start + 0.5 * (end - start), y)
    expect(page.locator(".na-card input")).not_to_be_checked()
    # … and ticking it again takes the placed point away.
    page.locator(".na-card").click()
    assert page.locator(".dyad-svg").get_attribute("aria-valuenow") == "0"
    next_step(page)
    skip_to(page, "star")
    page.locator(".na-card").click()
    skip_to(page, "text")
    next_step(page)
    response = send(page)
    assert response.status == 201
    answers = stored(live_server, response.request.post_data_json["id"])["answers"]
    assert answers["safety"] == "na"
    assert answers["pace"] == "na"
    assert answers["life"] == "na"
    assert "people" not in answers and "wish" not in answers


def test_required_question_blocks_next_with_a_message(page):
    begin(page, "Den obligatoriska frågan.")
    skip_to(page, "choice")
    heading = page.locator("#sm-step-heading").inner_text()
    next_step(page)
    assert page.locator("#sm-step-heading").inner_text() == heading
    error = page.locator(".field-error:visible")
    expect(error).to_have_text("Välj ett av svaren.")
    expect(page.locator("[aria-live=assertive]")).to_have_text("Välj ett av svaren.")
    expect(error).to_be_in_viewport()


# -- 4. rejected and unsent stories ------------------------------------------------------------


def test_server_rejection_is_shown_at_its_question_and_nothing_is_lost(page, live_server):
    story = "En berättelse som servern först inte ville ta emot."
    begin(page, story)
    next_step(page)
    start, end, y = dyad_line(page)
    page.mouse.click(start + 0.7 * (end - start), y)
    placed = page.locator(".dyad-svg").get_attribute("aria-valuetext")
    skip_to(page, "text")
    page.locator(".text-input").fill("Kortare väntetider.")
    next_step(page)

    message = "Tempot kunde inte sparas, försök igen."
    bodies = []

    def reject(route):
        bodies.append(route.request.post_data_json)
        route.fulfill(status=422, json={"errors": {"pace": message}})

    page.route(FRAGMENTS, reject)
    page.locator(".button-send").click()
    expect(page.locator("#sm-step-heading")).to_have_text("Hur var tempot?")
    expect(page.locator("#sm-step-heading")).to_be_focused()
    expect(page.locator(".field-error:visible")).to_have_text(message)
    assert page.locator(".dyad-svg").get_attribute("aria-valuetext") == placed
    page.unroute(FRAGMENTS)

    # Everything typed is still there.
    page.locator(".button-back").click()
    page.locator(".button-back").click()
    expect(page.locator(".story-input")).to_have_value(story)
    expect(page.locator(".title-input")).to_have_value("En rubrik")
    page.locator(".button-next", has_text="tillbaka till dina svar").click()
    expect(page.locator(".review")).to_be_visible()
    expect(page.locator(".review-story")).to_have_text(story)
    response = send(page)
    assert response.status == 201
    sent = response.request.post_data_json
    assert sent["id"] == bodies[0]["id"]  # the same story keeps its id
    fragment = stored(live_server, sent["id"])
    assert fragment["answers"]["wish"] == "Kortare väntetider."
    assert fragment["answers"]["pace"] == pytest.approx(0.7, abs=TOLERANCE)


def test_lost_connection_keeps_the_story_and_the_outbox_stores_it_once(page, live_server):
    story = "En berättelse som skickades när nätet svek."
    begin(page, story)
    skip_to(page, "text")
    next_step(page)
    attempts = []

    def offline(route):
        attempts.append(route.request.post_data_json)
        route.abort("internetdisconnected")

    page.route(FRAGMENTS, offline)
    page.locator(".button-send").click()
    # The teller can move on: the story waits in the outbox and says so in words.
    expect(page.locator(".delivery-state")).to_have_text(
        "Väntar på att skickas – den skickas automatiskt."
    )
    expect(page.locator(".delivery-line")).to_contain_text("väntar på att skickas: 1")
    expect(page.locator(".review-story")).to_have_count(0)
    page.unroute(FRAGMENTS)

    # The next try (after the backoff) reaches the server, but the answer is lost.
    lost = []

    def answer_lost(route):
        attempts.append(route.request.post_data_json)
        route.fetch()
        route.abort("connectionreset")
        lost.append(True)

    page.route(FRAGMENTS, answer_lost)
    for _ in range(150):  # the backoff is 1–2 s; the handler must be done before unroute
        if lost:
            break
        page.wait_for_timeout(100)
    assert lost
    expect(page.locator(".delivery-state")).to_contain_text("Väntar")
    page.unroute(FRAGMENTS)

    # The try after that is answered: already stored, recognised, not duplicated.
    with page.expect_response(lambda r: r.url.endswith("/fragments"), timeout=15000) as info:
        pass
    assert info.value.status == 200
    expect(page.locator(".delivery-state")).to_have_text("Din berättelse är skickad.")
    expect(page.locator(".receipt-code")).to_have_text(re.compile(r"^\w{4}-\w{4}-\w{4}$"))
    expect(page.locator(".delivery-line")).to_be_hidden()
    final = info.value.request.post_data_json
    assert [a["id"] for a in attempts] == [final["id"], final["id"]]
    assert all(a == final for a in attempts)  # the very same body, so never a conflict
    assert stored(live_server, final["id"])["story"] == story
    assert count_stories(live_server, story) == 1


# -- 5. accessibility --------------------------------------------------------------------------


SMALL_TARGETS = """() => {
  // Every control a finger can hit, measured by what is pressed: a card's whole label,
  // not the check box drawn inside it.
  const controls = document.querySelectorAll(
    "#form :is(button, a[href], input, textarea, [role=slider]), .language-switch"
  );
  const small = [];
  for (const control of controls) {
    const target = control.closest("label") || control;
    const box = target.getBoundingClientRect();
    if (!box.width && !box.height) continue; // not on the page (hidden)
    if (box.width < 44 || box.height < 44) {
      const size = `${Math.round(box.width)}x${Math.round(box.height)}`;
      small.push(`${target.className || target.tagName} ${size}`);
    }
  }
  return small;
}"""


def _violations(page, where):
    results = Axe().run(page)
    found = [
        (where, v["id"], v["impact"], [n["target"] for n in v["nodes"]])
        for v in results.response["violations"]
    ]
    small = page.evaluate(SMALL_TARGETS)
    return found + ([(where, "touch-target-44px", "serious", small)] if small else [])


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_step_passes_axe(page, lang):
    found = []
    open_form(page, lang)
    next_step(page)  # without consent: the error message is on the page
    found += _violations(page, "consent error")
    page.locator(".consent-card").click()
    next_step(page)
    found += _violations(page, "prompt")
    page.locator(".prompt-card").first.click()
    next_step(page)
    page.locator(".story-input").fill("Berättelse för tillgänglighetskontroll.")
    found += _violations(page, "story")
    next_step(page)
    while not page.locator(".review").is_visible():
        kind = page.locator(".question").get_attribute("class").split("question-")[-1]
        if kind == "stones":
            page.locator('[data-stone="nurse"]').focus()
            page.keyboard.press("Enter")
        if kind == "choice" and page.locator(".card-input[type=radio]").count():
            next_step(page)  # required: shows the inline error
            found += _violations(page, "choice error")
            page.locator(".card").first.click()
        if kind == "triad":
            page.locator(".triad-svg").focus()
            page.keyboard.press("ArrowUp")
        found += _violations(page, kind)
        next_step(page)
    found += _violations(page, "review")
    page.route(FRAGMENTS, lambda route: route.abort())
    page.locator(".button-send").click()
    expect(page.locator(".delivery-state.is-waiting")).to_be_visible()
    found += _violations(page, "waiting to send")
    page.unroute(FRAGMENTS)
    page.evaluate("window.dispatchEvent(new Event('online'))")  # the network is back
    expect(page.locator(".receipt-code")).to_be_visible()
    found += _violations(page, "thanks")

    serious = [v for v in found if v[2] in ("serious", "critical")]
    assert not serious, serious
    assert not found, found  # nothing minor or moderate either


# -- messages ------------------------------------------------------------------------------


def test_every_message_the_form_uses_exists_in_both_languages():
    catalogue = yaml.safe_load(MESSAGES.read_text(encoding="utf-8"))
    used = set()
    for script in SCRIPTS.glob("*.js"):
        used |= set(re.findall(r"\"(form\.[a-z_.]+)\"", script.read_text(encoding="utf-8")))
    used |= {f"form.required.{kind}" for kind in KINDS}  # built from the question's kind
    assert "form.next" in used
    assert used <= set(catalogue), sorted(used - set(catalogue))
    for key in used:
        assert set(catalogue[key]) == {"sv", "en"}, key
        # The browser fills in {name} itself; Python's {{ }} escapes would show as is.
        assert all(text.strip() and "{{" not in text for text in catalogue[key].values()), key


def test_switching_language_keeps_the_unfinished_story(page):
    story = "Halvvägs genom berättelsen bytte jag språk."
    begin(page, story)
    page.locator(".triad-svg").focus()
    page.keyboard.press("ArrowUp")
    page.locator(".language-switch").click()
    expect(page.locator("#sm-step-heading")).to_have_text("What gave a sense of safety?")
    expect(page.locator(".triad-svg")).to_have_attribute("aria-valuetext", re.compile("Myself$"))
    page.locator(".button-back").click()
    expect(page.locator(".story-input")).to_have_value(story)
    # The draft also survives a reload (tests/test_capture_offline.py has the details).
    page.reload()
    expect(page.locator(".story-input")).to_have_value(story)
    assert page.evaluate("sessionStorage.length") == 0
