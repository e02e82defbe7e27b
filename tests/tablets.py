"""Helpers for the field-tablet browser tests: contexts that may go offline, kiosks, and
a search for a teller's text in every place a browser keeps things."""

import re

from playwright.sync_api import expect

from sensemaker import collection, db

from .test_capture_browser import TABLET

# Requests that a test cuts off on purpose may fail; anything else in the console is a bug.
EXPECTED_FAILURES = (
    "favicon", "/fragments", "/kiosk/status",
    "/s/tablet_closed",  # the "closed" page comes with its 403
)  # fmt: skip

# Where a teller's words could linger: the page, its fields, both storages, every
# IndexedDB store and every Cache Storage entry. Returns the places that hold `text`.
FIND_EVERYWHERE = """async (text) => {
  const found = [];
  if (document.documentElement.outerHTML.includes(text)) found.push("DOM");
  for (const field of document.querySelectorAll("input, textarea")) {
    if (field.value.includes(text)) found.push("a form field");
  }
  const storages = [["localStorage", localStorage], ["sessionStorage", sessionStorage]];
  for (const [name, store] of storages) {
    for (let i = 0; i < store.length; i += 1) {
      if (store.getItem(store.key(i)).includes(text)) found.push(name);
    }
  }
  const request = (r) => new Promise((ok, fail) => {
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  });
  for (const info of await indexedDB.databases()) {
    const database = await request(indexedDB.open(info.name));
    for (const name of database.objectStoreNames) {
      const all = await request(database.transaction(name).objectStore(name).getAll());
      if (JSON.stringify(all).includes(text)) found.push(`IndexedDB ${info.name}/${name}`);
    }
    database.close();
  }
  for (const key of await caches.keys()) {
    const cache = await caches.open(key);
    for (const entry of await cache.keys()) {
      const body = await (await cache.match(entry)).text();
      if (body.includes(text)) found.push(`cache ${entry.url}`);
    }
  }
  return found;
}"""

OUTBOX = """() => new Promise((ok) => {
  const opened = indexedDB.open("sensemaker");
  opened.onsuccess = () => {
    const all = opened.result.transaction("outbox").objectStore("outbox").getAll();
    all.onsuccess = () => ok(all.result.map((entry) => ({ id: entry.id, state: entry.state })));
  };
})"""

WORKER_READY = """() => navigator.serviceWorker.ready.then(() => new Promise((ok) => {
  const check = () => (navigator.serviceWorker.controller ? ok(true) : setTimeout(check, 50));
  check();
}))"""

KEPT = """async (url) => {
  for (const key of await caches.keys()) {
    if (await (await caches.open(key)).match(url, { ignoreVary: true })) return true;
  }
  return false;
}"""


def open_context(browser, live_server, **options):
    """A fresh context and page; returns (context, page, problems)."""
    context = browser.new_context(base_url=live_server.url, **{"viewport": TABLET, **options})
    page = context.new_page()
    problems = []

    def on_console(message):
        source = (message.location or {}).get("url", "")
        if message.type == "error" and not any(part in source for part in EXPECTED_FAILURES):
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return context, page, problems


def contexts(browser, live_server):
    """A generator fixture body: yields a factory of fresh contexts, then closes each and
    fails the test if a page logged an unexpected error."""
    made = []

    def make(**options):
        made.append(open_context(browser, live_server, **options))
        return made[-1][0], made[-1][1]

    yield make
    for context, _, problems in made:
        context.close()
        assert not problems, problems


def kept_for_offline(page, url):
    """Wait until the service worker controls the page and has kept `url`."""
    page.evaluate(WORKER_READY)
    for _ in range(100):
        if page.evaluate(KEPT, url):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{url} was never kept for offline use")


def everywhere(page, text):
    return page.evaluate(FIND_EVERYWHERE, text)


def outbox(page):
    return page.evaluate(OUTBOX)


def live_db(live_server):
    return db.connect(live_server.db_path, migrate=False)


def make_kiosk(live_server, label="Dagrummet") -> tuple[str, int]:
    token = collection.new_token()
    conn = live_db(live_server)
    try:
        link_id = db.add_link(conn, "all_kinds", "kiosk", label, collection.token_hash(token), "t")
    finally:
        conn.close()
    return token, link_id


def wait_for(check, page, seconds=15):
    """Poll `check()` until it is truthy (the server or the outbox catching up)."""
    for _ in range(int(seconds * 10)):
        value = check()
        if value:
            return value
        page.wait_for_timeout(100)
    raise AssertionError("condition never became true")


def fill_to_review(page, story):
    """From the welcome step to the review, with consent, a prompt, a story, a choice."""
    expect(page.locator("#sm-step-heading")).to_be_visible()
    page.locator(".consent-card").click()
    page.locator(".button-next").click()
    page.locator(".prompt-card").first.click()
    page.locator(".button-next").click()
    page.locator(".story-input").fill(story)
    page.locator(".button-next").click()
    while not page.locator(".review").is_visible():
        choice = page.locator(".question-choice .card", has_text=re.compile("^Patient$"))
        if choice.count() and choice.is_visible():
            choice.click()
        page.locator(".button-next").click()
