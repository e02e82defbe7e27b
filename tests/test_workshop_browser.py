"""The workshop in a real Chromium: a facilitator's whole session, the report opened with
the network blocked, and hostile stories that stay text on every screen.

Runs against its own `sensemaker serve` (gunicorn) on a database with 300 generated
stories and an XSS corpus of stories, all in `all_kinds`.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from sensemaker import db
from sensemaker import survey as surveys

from .browser import launch
from .conftest import DATA, PASSWORD, _password_hash
from .workshop_helpers import store, store_generated, told

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PROJECTOR = {"width": 1920, "height": 1080}
TABLET = {"width": 800, "height": 1280}  # a 10-inch tablet held upright
EMAIL = "facilitator@region.se"
MARK = "xsskorpus"  # every hostile story has this word, so a search finds them all
# Each would set window.__xss, open a dialog or add an element if it were ever run.
CORPUS = [
    ("<script>window.__xss=1</script>", "<script>alert('story')</script> " + MARK),
    ('<img src=x onerror="window.__xss=2">', 'Bild <img src=x onerror="window.__xss=3"> ' + MARK),
    ("javascript:alert(1)", '<a href="javascript:window.__xss=4">klicka</a> ' + MARK),
    ('"><svg onload="window.__xss=5">', "<iframe srcdoc='<script>parent.__xss=6</script>'> "
     + MARK),
    ("<b>fet rubrik</b>", "{{ 7*7 }} ${7*7} <style>body{display:none}</style> " + MARK),
    ("<p onclick=alert(1)>klick</p>", "</textarea></script><script>alert(7)</script> " + MARK),
]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("workshop") / "workshop.db")
    database = db.connect(path)
    survey = surveys.load(DATA / "all_kinds.yaml")
    db.save_survey(database, survey)
    store_generated(database, survey, 300, seed=11)
    store(database, survey, [told(survey, story, {"role": "staff", "safety": [0.8, 0.1, 0.1],
                                                  "pace": 0.2}, title=title)
                             for title, story in CORPUS])  # fmt: skip
    user = db.add_user(database, EMAIL, "facilitator", _password_hash())
    db.assign(database, user["id"], survey.id)
    database.close()
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "sensemaker", "--db", path, "serve", "--port", str(port),
         "--workers", "1", "--threads", "4"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/login", timeout=1).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(process.stderr.read().decode()) from None
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)
    process.stderr.close()


@pytest.fixture(scope="module")
def browser():
    with launch() as browser:
        yield browser


class Session:
    """A signed-in page that records problems: script errors, refused or foreign requests,
    and any dialog (a dialog would mean a story's markup was run)."""

    def __init__(self, browser, server, viewport=PROJECTOR):
        self.context = browser.new_context(base_url=server, viewport=viewport,
                                           accept_downloads=True)  # fmt: skip
        self.problems, self.hosts = [], set()
        own = urlsplit(server).hostname

        def route(request_route):
            host = urlsplit(request_route.request.url).hostname
            if host and host != own:
                self.hosts.add(host)
                return request_route.abort()
            return request_route.continue_()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.problems.append(str(error)))
        self.page.on("dialog", lambda dialog: (self.problems.append("dialog"), dialog.dismiss()))
        self.page.on("console", self._console)
        self.page.goto("/login")
        self.page.fill("#email", EMAIL)
        self.page.fill("#password", PASSWORD)
        self.page.click("button[type=submit]")
        expect(self.page).to_have_url(f"{server}/overview")

    def _console(self, message):
        source = (message.location or {}).get("url", "")
        if message.type == "error" and "favicon" not in source:
            self.problems.append(message.text)

    def open(self, path):
        self.page.goto(path)
        self.drawn()

    def drawn(self):
        """Wait until every chart on the page is drawn, and none failed."""
        page = self.page
        total = page.locator(".ws-chart").count()
        expect(page.locator(".ws-chart.ws-drawn")).to_have_count(total, timeout=20_000)
        assert page.locator(".ws-failed").count() == 0

    def at(self, figure, x, y):
        """Screen pixels of a data point (x, y) in a drawn chart, from its Vega view."""
        return self.page.evaluate(
            """([id, x, y]) => {
                const figure = document.getElementById(id);
                const view = figure.vegaView;
                const [ox, oy] = view.origin();
                const svg = figure.querySelector("svg");
                const box = svg.getBoundingClientRect();
                // The page may show the chart smaller than drawn (max-width: 100%).
                const shrink = box.width / Number(svg.getAttribute("width"));
                return [box.left + shrink * (ox + view.scale("x")(x)),
                        box.top + shrink * (oy + view.scale("y")(y))];
            }""",
            [figure, x, y],
        )

    def close(self):
        injected = self.page.evaluate("() => window.__xss || null")
        self.context.close()
        assert injected is None, "a story's markup was run"
        assert self.problems == [] and self.hosts == set(), (self.problems, self.hosts)


@pytest.fixture
def session(browser, server):
    made = Session(browser, server)
    yield made
    made.close()


def stories_shown(page) -> list[str]:
    return page.locator("#ws-stories .ws-story-text").all_text_contents()


def test_a_facilitators_session_from_overview_to_report(session, tmp_path, browser):
    page = session.page
    session.open("/workshop/all_kinds")
    expect(page.locator("h1")).to_have_text("Översikt")
    assert page.locator(".ws-chart.ws-drawn").count() >= 3

    # Filter by a demographic: every picture follows, and the URL carries the filter.
    session.open("/workshop/all_kinds/pictures")
    page.locator(".ws-filter summary").click()
    page.locator("fieldset", has_text="Jag är").get_by_label("Personal").check()
    page.get_by_role("button", name="Visa", exact=True).click()
    session.drawn()
    assert "c.role=staff" in page.url
    expect(page.locator(".ws-chips")).to_contain_text("Jag är: Personal")
    shown = int(page.locator(".ws-count").inner_text().split()[0])
    assert 0 < shown < 306

    # Click into a cluster: run a clustering, click a cluster's centre on the map.
    session.open("/workshop/all_kinds/clusters")
    page.get_by_role("button", name="Klustra berättelserna nu").click()
    session.drawn()
    expect(page.locator(".flash")).to_contain_text("Berättelserna är klustrade")
    centre = page.evaluate("""() => {
        // The mark drawing the clusters' centres, found in the drawn scene by its data.
        const marks = [];
        const walk = (node) => {
            if (node.marktype && node.items && node.items[0] && node.items[0].datum
                && node.items[0].datum.part === "cluster") marks.push(node);
            for (const item of node.items || []) walk(item);
        };
        walk(document.getElementById("map-safety").vegaView.scenegraph().root);
        const symbols = marks.find((mark) => mark.marktype === "symbol");
        return {name: symbols.name, n: symbols.items[0].datum.n};
    }""")
    # Its number is written on top of it; a click on either reads the same cluster.
    page.locator(f"#map-safety svg g.{centre['name']} path").first.click(force=True)
    expect(page.locator("#ws-reading-status")).to_have_text(f"{centre['n']} berättelser")

    # Read a story: the panel's text is large enough to read aloud to a room.
    first = page.locator("#ws-stories .ws-story-text").first
    expect(first).to_be_visible()
    assert float(first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 24

    # Keep it in an observation, written beside the panel.
    page.locator("#ws-stories .ws-keep-box").first.check()
    kept = page.locator("#ws-stories .ws-story-title").first.inner_text()
    page.fill("#ws-observation-title", "Klustret vi såg")
    page.fill("#ws-observation-text", "Berättelserna i klustret handlar om natten.")
    page.get_by_role("button", name="Spara iakttagelsen").click()
    expect(page.locator(".flash")).to_contain_text("Iakttagelsen ”Klustret vi såg” är sparad.")
    session.open("/workshop/all_kinds/observations")
    observation = page.locator(".ws-observation").first
    expect(observation).to_contain_text("Berättelserna i klustret handlar om natten.")
    expect(observation.locator("summary")).to_contain_text("(1)")
    observation.locator("summary").click()
    expect(observation.locator(".ws-story-title")).to_have_text(kept)

    # Download the report, and open it with every network request refused.
    session.open("/workshop/all_kinds/report")
    with page.expect_download() as info:
        page.get_by_role("button", name="Ladda ner rapporten").click()
    report = tmp_path / info.value.suggested_filename
    info.value.save_as(report)
    assert report.name.startswith("workshop-all_kinds-") and report.suffix == ".html"
    offline = browser.new_context(offline=True)
    requests = []
    offline.route("**/*", lambda r: (requests.append(r.request.url),
                                     r.continue_() if r.request.url.startswith("file:")
                                     else r.abort()))  # fmt: skip
    reader = offline.new_page()
    reader.goto(report.as_uri())
    loaded = reader.evaluate("() => [...document.images].map(i => i.complete && i.naturalWidth)")
    assert len(loaded) >= 8 and all(loaded)
    expect(reader.locator("h3", has_text="Klustret vi såg")).to_be_visible()
    assert requests == [report.as_uri()], requests
    offline.close()


def test_hostile_stories_are_text_on_every_screen_and_in_the_report(session, tmp_path):
    page = session.page
    session.open(f"/workshop/all_kinds/pictures/safety?q={MARK}")
    expect(page.locator(".ws-count")).to_contain_text(f"{len(CORPUS)} av 306")
    # Brush the whole triangle: the panel lists every hostile story, as text.
    page.locator("#q-safety").scroll_into_view_if_needed()
    start, end = session.at("q-safety", -0.05, 0.92), session.at("q-safety", 1.05, -0.02)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=10)
    page.mouse.up()
    expect(page.locator("#ws-reading-status")).to_have_text(f"{len(CORPUS)} berättelser")
    assert sorted(stories_shown(page)) == sorted(story for _, story in CORPUS)
    titles = page.locator("#ws-stories .ws-story-title").all_text_contents()
    assert sorted(titles) == sorted(title for title, _ in CORPUS)
    assert page.locator("#ws-stories img, #ws-stories script, #ws-stories svg").count() == 0
    for box in page.locator("#ws-stories .ws-keep-box").all():
        box.check()
    page.fill("#ws-observation-title", "<script>window.__xss=8</script>")
    page.fill("#ws-observation-text", '<img src=x onerror="window.__xss=9">')
    page.get_by_role("button", name="Spara iakttagelsen").click()
    session.drawn()

    # The observations page renders the same stories on the server: still text.
    session.open("/workshop/all_kinds/observations")
    newest = page.locator(".ws-observation").last
    newest.locator("summary").click()
    texts = newest.locator(".ws-story-text").all_text_contents()
    assert sorted(texts) == sorted(story for _, story in CORPUS)
    expect(page.locator(".ws-observation h2").last).to_have_text("<script>window.__xss=8</script>")

    # And in the report, opened as a file.
    session.open("/workshop/all_kinds/report")
    with page.expect_download() as info:
        page.get_by_role("button", name="Ladda ner rapporten").click()
    report = tmp_path / "report.html"
    info.value.save_as(report)
    viewer = session.context.new_page()
    viewer.on("dialog", lambda dialog: (session.problems.append("dialog"), dialog.dismiss()))
    viewer.goto(report.as_uri())
    newest = viewer.locator(".report-observation").last
    quoted = newest.locator(".report-story .report-text").all_text_contents()
    assert sorted(quoted) == sorted(story for _, story in CORPUS)
    assert viewer.evaluate("() => window.__xss || null") is None
    assert viewer.locator("main script, main iframe, main a[href^='javascript']").count() == 0
    viewer.close()


@pytest.mark.parametrize("viewport", [PROJECTOR, TABLET], ids=["projector", "tablet"])
def test_the_screens_fit_a_projector_and_a_tablet(browser, server, viewport):
    session = Session(browser, server, viewport)
    for path in ("/workshop/all_kinds", "/workshop/all_kinds/pictures",
                 "/workshop/all_kinds/compare"):  # fmt: skip
        session.open(path)
        width = session.page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= viewport["width"], (path, width)
    session.close()
