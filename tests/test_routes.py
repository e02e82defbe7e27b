"""Every route against every role: who gets in, who is sent to sign in, who is refused.

`EXPECTED` is the access policy written out. A route added to the app without a row here
fails `test_every_route_is_in_the_table`, so nobody can add a page and forget to decide who
may see it. Each role runs on a fresh app, so a POST in one row cannot change another row.
"""

import uuid

import pytest

from sensemaker import collection, db

from .conftest import csrf_token, sign_in

ROLES = ("anonymous", "teller_with_link", "facilitator", "outsider", "analyst", "admin")
ANONYMOUS = ("anonymous", "teller_with_link")
SURVEY = "all_kinds"

EVERYONE_200 = (200, 200, 200, 200, 200, 200)
ADMIN_ONLY = (302, 302, 403, 403, 403, 200)  # anonymous are sent to /login

# (endpoint, method) -> status per role, in the order of ROLES.
EXPECTED = {
    ("capture.home", "GET"): EVERYONE_200,
    # The survey collects by link: only a working link opens the form, whoever holds it.
    ("capture.form", "GET"): (403, 200, 403, 403, 403, 403),
    ("capture.kiosk", "GET"): EVERYONE_200,  # the kiosk token in the URL is the link
    ("capture.definition", "GET"): EVERYONE_200,  # questions only, never stories
    ("api.health", "GET"): EVERYONE_200,
    ("api.submit_fragment", "POST"): (403, 201, 403, 403, 403, 403),
    # The read API takes a token, never a session (tests/test_api_read.py): 401 for all here.
    ("api.surveys", "GET"): (401,) * 6,
    ("api.survey", "GET"): (401,) * 6,
    ("api.fragments", "GET"): (401,) * 6,
    ("api.export", "GET"): (401,) * 6,
    ("api.openapi", "GET"): EVERYONE_200,  # describes the API, holds no data
    ("auth.login", "GET"): (200, 200, 302, 302, 302, 302),  # signed in: to their start page
    ("auth.login", "POST"): (401, 401, 401, 401, 401, 401),  # wrong password for everyone
    ("auth.logout", "GET"): EVERYONE_200,
    ("auth.logout", "POST"): (302, 302, 302, 302, 302, 302),
    ("admin.index", "GET"): ADMIN_ONLY,
    ("admin.users", "GET"): ADMIN_ONLY,
    ("admin.add_user", "POST"): (302, 302, 403, 403, 403, 422),  # invalid e-mail
    ("admin.user", "GET"): ADMIN_ONLY,
    ("admin.change_user", "POST"): ADMIN_ONLY[:5] + (302,),  # unknown action, flashed
    ("admin.surveys", "GET"): ADMIN_ONLY,
    ("admin.survey", "GET"): ADMIN_ONLY,
    ("admin.change_survey", "POST"): ADMIN_ONLY[:5] + (422,),  # unknown collection mode
    ("admin.add_link", "POST"): ADMIN_ONLY[:5] + (422,),  # no label
    ("admin.revoke_link", "POST"): ADMIN_ONLY[:5] + (302,),  # revokes the spare link
    ("admin.settings", "GET"): ADMIN_ONLY,
    ("admin.change_settings", "POST"): ADMIN_ONLY[:5] + (302,),  # nothing chosen
    ("admin.audit", "GET"): ADMIN_ONLY,
    ("overview.index", "GET"): (302, 302, 200, 200, 200, 200),
    # Flagged stories: only those assigned to the survey (the admin is not), not analysts.
    ("overview.review", "GET"): (302, 302, 200, 403, 403, 403),
    # Kiosk reports need a kiosk's own token (tests/test_kiosks.py); a teller's link is not one.
    ("kiosks.report", "POST"): (403, 403, 403, 403, 403, 403),
    # Tablets of a survey: facilitators assigned to it, and admins (no story is shown).
    ("kiosks.overview", "GET"): (302, 302, 200, 403, 403, 200),
    ("offline.service_worker", "GET"): EVERYONE_200,  # the capture form's offline worker
    ("accessibility.statement", "GET"): EVERYONE_200,  # the law asks for it to be public
    # The workshop: facilitators (and admins) assigned to the survey; analysts never.
    ("workshop.overview", "GET"): (302, 302, 200, 403, 403, 403),
    ("workshop.pictures", "GET"): (302, 302, 200, 403, 403, 403),
    ("workshop.question", "GET"): (302, 302, 200, 403, 403, 403),
    ("workshop.stories", "GET"): (302, 302, 200, 403, 403, 403),
    ("workshop.compare", "GET"): (302, 302, 200, 403, 403, 403),
    ("workshop.clusters", "GET"): (302, 302, 200, 403, 403, 403),
    # Too few stories in the table's survey: refused in words, back to the clusters page.
    ("workshop.run_clustering", "POST"): (302, 302, 302, 403, 403, 403),
    ("workshop.observations", "GET"): (302, 302, 200, 403, 403, 403),
    ("workshop.add_observation", "POST"): (302, 302, 422, 403, 403, 403),  # no title
    # No observation 1 in the table's survey: assigned users learn that, others nothing.
    ("workshop.observation", "GET"): (302, 302, 404, 403, 403, 403),
    ("workshop.change_observation", "POST"): (302, 302, 404, 403, 403, 403),
    ("workshop.delete_observation", "POST"): (302, 302, 404, 403, 403, 403),
    ("workshop.report", "GET"): (302, 302, 200, 403, 403, 403),
    ("workshop.download", "GET"): (302, 302, 200, 403, 403, 403),
    ("withdrawal.withdraw", "GET"): EVERYONE_200,
    ("withdrawal.withdraw", "POST"): (404, 404, 404, 404, 404, 404),  # unknown code
    # Analyst downloads: those assigned to the survey (analysts and facilitators; the admin
    # is not assigned here). The download is a streamed file.
    ("analyst.index", "GET"): (302, 302, 200, 403, 200, 403),
    ("analyst.download", "GET"): (302, 302, 200, 403, 200, 403),
    ("analyst.codebook_file", "GET"): (302, 302, 200, 403, 200, 403),
}


def valid_fragment() -> dict:
    return {
        "id": str(uuid.uuid4()),
        "language": "sv",
        "prompt": "good-day",
        "story": "Personalen tog sig tid.",
        "consent": True,
        "collected_at": "2026-11-23T09:30:00+01:00",
        "answers": {"role": "patient"},
    }


class World:
    """The survey in link mode, a teller's link, a kiosk, a spare link to revoke."""

    def __init__(self, database, users):
        db.set_survey_settings(database, SURVEY, collection="link", retention_days=None)
        self.tokens = {}
        self.link_ids = {}
        for name, kind in (("teller", "link"), ("kiosk", "kiosk"), ("spare", "link")):
            token = collection.new_token()
            self.tokens[name] = token
            self.link_ids[name] = db.add_link(
                database, SURVEY, kind, name, collection.token_hash(token), "admin@region.se"
            )
        self.users = users

    def request(self, endpoint: str, method: str, role: str) -> tuple[str, dict]:
        """The URL and the keyword arguments for the test client's call."""
        token = self.tokens["teller"] if role == "teller_with_link" else None
        t = f"?t={token}" if token else ""
        user_id = self.users["facilitator"]["id"]
        urls = {
            "capture.home": "/",
            "capture.form": f"/s/{SURVEY}{t}",
            "capture.kiosk": f"/k/{self.tokens['kiosk']}",
            "capture.definition": f"/s/{SURVEY}/definition.json",
            "api.health": "/api/v1/health",
            "api.submit_fragment": f"/api/v1/surveys/{SURVEY}/fragments",
            "api.surveys": "/api/v1/surveys",
            "api.survey": f"/api/v1/surveys/{SURVEY}",
            "api.fragments": f"/api/v1/surveys/{SURVEY}/fragments",
            "api.export": f"/api/v1/surveys/{SURVEY}/export",
            "api.openapi": "/api/v1/openapi.json",
            "auth.login": "/login",
            "auth.logout": "/logout",
            "admin.index": "/admin/",
            "admin.users": "/admin/users",
            "admin.add_user": "/admin/users",
            "admin.user": f"/admin/users/{user_id}",
            "admin.change_user": f"/admin/users/{user_id}",
            "admin.surveys": "/admin/surveys",
            "admin.survey": f"/admin/surveys/{SURVEY}",
            "admin.change_survey": f"/admin/surveys/{SURVEY}",
            "admin.add_link": f"/admin/surveys/{SURVEY}/links",
            "admin.revoke_link": f"/admin/links/{self.link_ids['spare']}/revoke",
            "admin.settings": "/admin/settings",
            "admin.change_settings": "/admin/settings",
            "admin.audit": "/admin/audit",
            "overview.index": "/overview",
            "overview.review": f"/review/{SURVEY}",
            "workshop.overview": f"/workshop/{SURVEY}",
            "workshop.pictures": f"/workshop/{SURVEY}/pictures",
            "workshop.question": f"/workshop/{SURVEY}/pictures/safety",
            "workshop.stories": f"/workshop/{SURVEY}/stories.json",
            "workshop.compare": f"/workshop/{SURVEY}/compare",
            "workshop.clusters": f"/workshop/{SURVEY}/clusters",
            "workshop.run_clustering": f"/workshop/{SURVEY}/clusters",
            "workshop.observations": f"/workshop/{SURVEY}/observations",
            "workshop.add_observation": f"/workshop/{SURVEY}/observations",
            "workshop.observation": f"/workshop/{SURVEY}/observations/1",
            "workshop.change_observation": f"/workshop/{SURVEY}/observations/1",
            "workshop.delete_observation": f"/workshop/{SURVEY}/observations/1/delete",
            "workshop.report": f"/workshop/{SURVEY}/report",
            "workshop.download": f"/workshop/{SURVEY}/report.html",
            "withdrawal.withdraw": "/withdraw",
            "analyst.index": f"/analyst/{SURVEY}",
            "analyst.download": f"/analyst/{SURVEY}/export?format=csv",
            "analyst.codebook_file": f"/analyst/{SURVEY}/codebook?as=md",
            "kiosks.report": "/api/v1/kiosk/status",
            "kiosks.overview": f"/overview/kiosks/{SURVEY}",
            "offline.service_worker": "/sw.js",
            "accessibility.statement": "/tillganglighet",
        }
        headers = {collection.TOKEN_HEADER: token} if token else {}
        if method == "GET":
            return urls[endpoint], {"headers": headers}
        if endpoint == "kiosks.report":
            return urls[endpoint], {"headers": headers, "json": {"waiting": 0}}
        if endpoint == "api.submit_fragment":
            return urls[endpoint], {"headers": headers, "json": valid_fragment()}
        forms = {
            "auth.login": {"email": "nobody@region.se", "password": "fel lösenord"},
            "auth.logout": {},
            "admin.add_user": {"email": "not an address", "role": "analyst", "password": "x"},
            "admin.change_user": {"action": "no-such-action"},
            "admin.change_survey": {"collection": "everyone", "retention_days": ""},
            "admin.add_link": {"kind": "link", "label": ""},
            "admin.revoke_link": {},
            "admin.change_settings": {},
            "workshop.run_clustering": {"k": ""},
            "workshop.add_observation": {"text": "Utan rubrik"},
            "workshop.change_observation": {"title": "Ny rubrik"},
            "workshop.delete_observation": {},
            "withdrawal.withdraw": {"code": "AAAA-BBBB-CCCC"},
        }
        return urls[endpoint], {"headers": headers, "data": forms[endpoint]}


def routes(app) -> set[tuple[str, str]]:
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_route_is_in_the_table(app):
    found = routes(app)
    assert found - EXPECTED.keys() == set(), "routes without an access decision in EXPECTED"
    assert EXPECTED.keys() - found == set(), "rows in EXPECTED for routes that are gone"
    assert all(len(statuses) == len(ROLES) for statuses in EXPECTED.values())


def test_every_route_has_a_request_to_send(app, database, users):
    world = World(database, users)
    for endpoint, method in routes(app):
        url, _ = world.request(endpoint, method, "anonymous")
        assert app.url_map.bind("localhost").match(url.split("?")[0], method)[0] == endpoint


def client_for(app, users, role):
    client = app.test_client()
    if role not in ANONYMOUS:
        response = sign_in(client, users[role]["email"])
        assert response.status_code == 302
    return client


def _order(item):
    # Signing out ends the session that the later rows need, so it goes last.
    (endpoint, method), _ = item
    return (endpoint, method) == ("auth.logout", "POST")


@pytest.mark.parametrize("role", ROLES)
def test_route_matrix(app, database, users, role):
    world = World(database, users)
    client = client_for(app, users, role)
    token = csrf_token(client, "/withdraw")  # a public form, for every role
    column = ROLES.index(role)
    wrong = []
    for (endpoint, method), statuses in sorted(EXPECTED.items(), key=_order):
        url, kwargs = world.request(endpoint, method, role)
        if "data" in kwargs:
            kwargs["data"] = {**kwargs["data"], "csrf_token": token}
        response = client.open(url, method=method, **kwargs)
        got, want = response.status_code, statuses[column]
        if got != want:
            wrong.append(f"{method} {url}: {got}, expected {want}")
        elif got == 302 and role in ANONYMOUS:
            # Anonymous visitors are only ever sent to the sign-in page.
            assert response.location.startswith("/login"), (url, response.location)
        if method == "GET":
            head = client.open(url, method="HEAD", headers=kwargs["headers"])
            assert head.status_code == got, f"HEAD {url}"
    assert wrong == [], f"{role}: " + "; ".join(wrong)


@pytest.mark.parametrize("role", ["outsider", "analyst", "admin"])
def test_refused_roles_see_no_story(app, database, users, role):
    """The 403 page names no story; the flagged story stays with those assigned."""
    story = "Min granne 811218-9876 kom förbi och hjälpte mig."
    response = app.test_client().post(
        f"/api/v1/surveys/{SURVEY}/fragments", json={**valid_fragment(), "story": story}
    )
    assert response.status_code == 201
    assert "kom förbi" in client_for(app, users, "facilitator").get(f"/review/{SURVEY}").text
    refused = client_for(app, users, role).get(f"/review/{SURVEY}")
    assert refused.status_code == 403 and "kom förbi" not in refused.text


def test_unknown_survey_review_is_404_only_for_those_who_may_review(app, users):
    facilitator = client_for(app, users, "facilitator")
    assert facilitator.get("/review/finns-inte").status_code == 404
    assert client_for(app, users, "analyst").get("/review/finns-inte").status_code == 403


def test_head_only_shows_a_form_and_changes_nothing(app, database, users):
    """HEAD is GET without a body: it must not sign in, sign out or try a receipt code."""
    client = client_for(app, users, "admin")
    before = len(db.audit_entries(database))
    for url in ("/login", "/logout", "/withdraw"):
        assert client.head(url).status_code in (200, 302)
    assert len(db.audit_entries(database)) == before
    assert client.get("/admin/").status_code == 200  # still signed in


def test_review_follows_assignments_at_once(app, database, users):
    """An admin sees stories once assigned; a facilitator stops seeing them once not."""
    admin, facilitator = client_for(app, users, "admin"), client_for(app, users, "facilitator")
    db.assign(database, users["admin"]["id"], SURVEY)
    assert admin.get(f"/review/{SURVEY}").status_code == 200
    db.unassign(database, users["facilitator"]["id"], SURVEY)
    assert facilitator.get(f"/review/{SURVEY}").status_code == 403
