"""Headers, cookies, CSRF and open redirects, on every kind of page.

Hostile text (XSS, SQL injection) through every input is in test_security_input.py.
"""

import json
import re
import uuid
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from sensemaker import collection, create_app, db, tokens

from .conftest import PASSWORD, csrf_token
from .workshop_helpers import workshop_forms, workshop_pages

URL = "/api/v1/surveys/all_kinds/fragments"
SURVEY = "all_kinds"


def fragment(**changes) -> dict:
    body = {
        "id": str(uuid.uuid4()),
        "language": "sv",
        "prompt": "good-day",
        "story": "Personalen tog sig tid.",
        "consent": True,
        "collected_at": "2026-11-23T09:30:00+01:00",
        "answers": {"role": "patient"},
    }
    return {**body, **changes}


class PageScan(HTMLParser):
    """Finds what the CSP forbids or what would run: inline code, handlers, styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.script: dict | None = None
        self.body = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on") or name in ("style", "srcdoc"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                ("javascript:", "data:text")
            ):
                self.problems.append(f"<{tag} {name}={value}>")
        if tag in ("style", "iframe", "object", "embed", "svg"):
            self.problems.append(f"<{tag}>")
        if tag == "script":
            self.script, self.body = attrs, ""

    def handle_data(self, data):
        if self.script is not None:
            self.body += data

    def handle_endtag(self, tag):
        if tag != "script" or self.script is None:
            return
        if self.script.get("type") == "application/json":
            json.loads(self.body)  # a data block, and it must be only data
        elif self.body.strip() or not self.script.get("src"):
            self.problems.append(f"inline script: {self.body[:80]!r}")
        self.script = None


def assert_safe_html(response):
    if not response.content_type.startswith("text/html"):
        return
    scan = PageScan()
    scan.feed(response.get_data(as_text=True))
    scan.close()
    problems = scan.problems
    if response.headers.get("Content-Disposition", "").startswith("attachment"):
        # A download (the workshop report) is opened from disk, where no page policy
        # applies: its own <style> is allowed, anything that could run is still refused.
        problems = [problem for problem in problems if problem != "<style>"]
    assert problems == [], (response.request.path, problems)


def assert_headers(response):
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["default-src"] == directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"] and directives["object-src"] == ["'none'"]
    for name, sources in directives.items():
        allowed = {"'self'", "'none'"} | ({"data:"} if name == "img-src" else set())
        assert set(sources) <= allowed, (name, sources)  # no other origin, no wildcard
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("same-origin", "no-referrer")
    assert "no-store" in response.headers["Cache-Control"]


@pytest.fixture
def tour(app, database, users, signed_in):
    """Every kind of page, as (client name, response); each is checked by the tests below."""
    kiosk = collection.new_token()
    db.add_link(database, SURVEY, "kiosk", "Tablet", collection.token_hash(kiosk), "admin")
    anonymous = app.test_client()
    story = "Hon ringde 811218-9876 <b>och</b> kom."
    assert anonymous.post(URL, json=fragment(story=story)).status_code == 201
    admin, facilitator = signed_in("admin"), signed_in("facilitator")
    token = csrf_token(admin, "/admin/users")
    user_id = users["outsider"]["id"]
    seen = []
    for client, name, urls in (
        (anonymous, "anonymous", ["/", "/s/all_kinds", "/s/all_kinds/definition.json",
                                   f"/k/{kiosk}", "/api/v1/health", "/login", "/logout",
                                   "/withdraw", "/finns-inte", "/s/finns-inte", "/admin/",
                                   "/sw.js", "/tillganglighet"]),
        (admin, "admin", ["/admin/", "/admin/users", f"/admin/users/{user_id}", "/overview",
                          "/admin/surveys", "/admin/surveys/all_kinds", "/admin/settings",
                          "/admin/audit"]),
        (facilitator, "facilitator", ["/overview", "/review/all_kinds", "/admin/users",
                                      "/overview/kiosks/all_kinds"]),
        (facilitator, "facilitator", ["/analyst/all_kinds",
                                      "/analyst/all_kinds/export?format=csv",
                                      "/analyst/all_kinds/codebook?as=md"]),
        (facilitator, "facilitator", workshop_pages(database)),
    ):  # fmt: skip
        seen += [(name, client.get(url)) for url in urls]
    seen += [
        ("anonymous", anonymous.delete(URL)),  # 405, JSON
        ("anonymous", anonymous.post("/api/v1/surveys/finns-inte/fragments", json={})),
        ("anonymous", anonymous.post(URL, json=fragment(), headers={"Origin": "http://x.se"})),
        ("anonymous", anonymous.post("/login", data={"email": "a@b.se"})),  # 400, no token
        ("anonymous", anonymous.put("/withdraw")),  # 405, HTML
        ("anonymous", anonymous.post("/withdraw", data={"code": "x" * 300_000})),  # 413
        ("admin", admin.post("/admin/users", data={"email": "x", "csrf_token": token})),
        ("admin", admin.post("/admin/surveys/all_kinds/links",
                             data={"kind": "link", "label": "Entré", "csrf_token": token})),
    ]  # fmt: skip
    # The read API, with an analyst's token (and once without one: 401).
    bearer = {"Authorization": "Bearer " + tokens.create(database, "analyst@region.se", "t").secret}
    reads = ["/api/v1/surveys", "/api/v1/surveys/all_kinds", "/api/v1/openapi.json"]
    for url in [*reads, "/api/v1/surveys/all_kinds/fragments", "/api/v1/surveys/all_kinds/export"]:
        seen.append(("analyst", anonymous.get(url, headers=bearer)))
    seen.append(("anonymous", anonymous.get("/api/v1/surveys")))
    db.set_survey_settings(database, SURVEY, collection="closed", retention_days=None)
    seen.append(("anonymous", anonymous.get("/s/all_kinds")))  # the "closed" page
    return seen


def test_tour_visits_every_page_of_the_app(app, tour):
    pages = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    adapter = app.url_map.bind("localhost")
    visited = {
        adapter.match(response.request.path)[0]
        for _, response in tour
        if response.status_code == 200 and response.request.method == "GET"
    }
    assert pages - {"static"} <= visited
    statuses = {response.status_code for _, response in tour}
    assert {200, 302, 400, 403, 404, 405, 413, 422} <= statuses


def test_headers_on_every_page_kind(tour):
    for _, response in tour:
        assert_headers(response)


def test_no_inline_script_or_style_on_any_page(tour):
    for _, response in tour:
        assert_safe_html(response)
    assert any(
        'type="application/json"' in response.get_data(as_text=True) for _, response in tour
    ), "the capture form's data block was scanned"


def test_error_pages_of_a_crash_carry_the_headers_too(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def crash():
        raise RuntimeError("boom")

    app.add_url_rule("/crash", "crash", crash)
    app.add_url_rule("/api/v1/crash", "api_crash", crash)
    page, api = app.test_client().get("/crash"), app.test_client().get("/api/v1/crash")
    assert page.status_code == api.status_code == 500
    assert "boom" not in page.get_data(as_text=True) and "errors" in api.json
    for response in (page, api):
        assert_headers(response)
        assert_safe_html(response)


def session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert len(cookies) == 1
    return cookies[0].lower()


@pytest.mark.parametrize("base_url", ["http://localhost", "https://localhost"])
def test_session_cookie_is_httponly_lax_and_secure_over_https(app, users, base_url):
    client = app.test_client()
    page = client.get("/login", base_url=base_url)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    form = {"email": "admin@region.se", "password": PASSWORD, "csrf_token": token}
    signed = client.post("/login", data=form, base_url=base_url)
    assert signed.status_code == 302
    for response in (page, signed):
        attributes = [part.strip() for part in session_cookie(response).split(";")[1:]]
        assert "httponly" in attributes and "samesite=lax" in attributes
        assert ("secure" in attributes) == base_url.startswith("https")


def test_cookie_is_secure_behind_a_proxy_that_says_https(db_path, app):
    proxied = create_app({"DATABASE": db_path, "TESTING": True, "TRUST_PROXY": True})
    response = proxied.test_client().get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "secure" in [part.strip() for part in session_cookie(response).split(";")]


# -- CSRF ------------------------------------------------------------------------------
def dump(database) -> str:
    return "\n".join(database.conn.iterdump())


def effective_forms(app, database, users) -> dict:
    """For each HTML form route, a body that would change something if it were accepted."""
    link = db.add_link(database, SURVEY, "link", "Entré", collection.token_hash("t" * 32), "a")
    receipt = app.test_client().post(URL, json=fragment()).json["receipt"]
    user_id = users["outsider"]["id"]
    return {
        "auth.login": ("/login", {"email": "facilitator@region.se", "password": PASSWORD}),
        "admin.add_user": ("/admin/users", {"email": "ny@region.se", "role": "admin",
                                            "password": PASSWORD, "language": "sv"}),
        "admin.change_user": (f"/admin/users/{user_id}", {"action": "disable"}),
        "admin.change_survey": ("/admin/surveys/all_kinds", {"collection": "closed",
                                                              "retention_days": "30"}),
        "admin.add_link": ("/admin/surveys/all_kinds/links", {"kind": "link", "label": "Ny"}),
        "admin.revoke_link": (f"/admin/links/{link}/revoke", {}),
        "admin.change_settings": ("/admin/settings", {"export_mask_personal_data": "off"}),
        "withdrawal.withdraw": ("/withdraw", {"code": receipt}),
        **workshop_forms(database, users),
        "auth.logout": ("/logout", {}),
    }  # fmt: skip


def test_every_html_form_refuses_a_missing_or_wrong_token(app, database, users, signed_in):
    forms = effective_forms(app, database, users)
    posts = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and not rule.rule.startswith("/api/")
    }
    assert posts == forms.keys()
    admin = signed_in("admin")
    elsewhere = csrf_token(app.test_client())  # a real token, of another session
    for endpoint, (url, data) in forms.items():
        before = dump(database)
        for sent in (data, {**data, "csrf_token": "wrong"}, {**data, "csrf_token": elsewhere}):
            response = admin.post(url, data=sent)
            assert response.status_code == 400, endpoint
            assert dump(database) == before, endpoint
        assert admin.post(url, data=data, headers={"X-CSRF-Token": "x"}).status_code == 400
        assert admin.get("/admin/").status_code == 200, "still signed in, as the admin"
        # With the right token the same request does change something: the refusal mattered.
        fresh = signed_in("admin")
        accepted = fresh.post(url, data={**data, "csrf_token": csrf_token(fresh, "/withdraw")})
        assert accepted.status_code < 400 and dump(database) != before, endpoint


def count(database) -> tuple:
    row = database.execute("SELECT count(*), group_concat(id) FROM fragment").fetchone()
    return (*row, database.execute("SELECT count(*) FROM audit").fetchone()[0])


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Origin": "https://localhost"},  # another scheme is another origin
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "http://localhost", "Sec-Fetch-Site": "cross-site"},
    ],
)
def test_json_submission_from_another_site_is_refused(client, database, headers):
    before = count(database)
    response = client.post(URL, json=fragment(), headers=headers)
    assert response.status_code == 403 and response.json["errors"]
    assert count(database) == before


@pytest.mark.parametrize(
    "headers",
    [{}, {"Origin": "http://localhost"}, {"Sec-Fetch-Site": "same-origin"}],
)
def test_json_submission_from_this_site_or_a_plain_client_is_accepted(client, headers):
    assert client.post(URL, json=fragment(), headers=headers).status_code == 201


def test_a_cross_site_form_post_cannot_pass_as_json(client, database):
    """text/plain is what a page elsewhere can send without asking; it is not JSON."""
    before = count(database)
    body = json.dumps(fragment())
    response = client.post(URL, data=body, content_type="text/plain")
    assert response.status_code == 415 and count(database) == before


# -- open redirects --------------------------------------------------------------------
@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/x",
        "https://evil.example",
        "http:evil.example",
        "/\\evil.example",
        "/\t/evil.example",
        "/\r\nLocation: https://evil.example",
        "///evil.example",
        " //evil.example",
        "javascript:alert(1)",
    ],
)
def test_next_never_leads_off_site(app, users, target):
    client = app.test_client()
    token = csrf_token(client)
    form = {"email": "admin@region.se", "password": PASSWORD, "csrf_token": token}
    response = client.post("/login", query_string={"next": target}, data=form)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert re.fullmatch(r"/(?![/\\])[\x21-\x7e]*", location), location
    assert urlsplit(location).netloc == "" and location == "/admin/"


def test_next_still_leads_to_a_page_of_this_site(app, users):
    client = app.test_client()
    token = csrf_token(client)
    form = {"email": "admin@region.se", "password": PASSWORD, "csrf_token": token}
    response = client.post("/login?next=/admin/audit", data=form)
    assert response.status_code == 302 and response.headers["Location"] == "/admin/audit"


def test_the_page_scan_finds_what_the_policy_forbids():
    scan = PageScan()
    scan.feed(
        '<script>alert(1)</script><p style="color:red" onclick="go()">x</p>'
        '<a href=" JavaScript:go()">y</a><script type="application/json">{"a": 1}</script>'
        '<script type="module" src="/static/js/form.js"></script>'
    )
    assert len(scan.problems) == 4, scan.problems
