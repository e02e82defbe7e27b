"""Hostile text (XSS and SQL injection) through every input that reaches the database.

Each payload is sent through the story, title, "other" and short answers, sign-in, the
admin forms, withdrawal codes, survey ids in URLs and query parameters. Nothing may crash,
nothing may come back as markup, and the database must hold exactly what was accepted.
"""

import re
from urllib.parse import quote

from markupsafe import escape

from sensemaker import db, privacy

from .conftest import PASSWORD, csrf_token
from .test_security import SURVEY, URL, assert_safe_html, fragment

XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg onload=alert(1)>",
    "javascript:alert(1)",
    "</textarea><script>alert(document.cookie)</script>",
    "{{7*7}}",
    "${7*7}",
    '<a href="javascript:alert(1)">x</a>',
    '<iframe srcdoc="<script>alert(1)</script>">',
    "＜script＞alert(1)＜/script＞",
    "rad\u2028skifte\u2029</script><script>alert(1)</script>",
    "\u202egnp.exe <b>fet</b>",
    "'><style>body{display:none}</style>",
]
SQL = [
    "' OR '1'='1",
    "'; DROP TABLE fragment; --",
    '" OR 1=1 --',
    "1; SELECT * FROM user",
    "%' --",
    "admin@region.se' --",
]
PAYLOADS = XSS + SQL


def assert_shown_as_text(response, payloads=PAYLOADS):
    """No crash, nothing that runs, and no hostile payload back as raw markup."""
    assert response.status_code != 500, response.request.path
    assert_safe_html(response)
    if response.content_type.startswith("text/html"):
        text = response.get_data(as_text=True)
        for payload in payloads:
            if re.search(r"[<>\"'&]", payload):
                assert payload not in text, (response.request.path, payload)
        assert "<script>alert" not in text and "<img src=x" not in text


def escaped(text: str) -> str:
    return str(escape(text))


def test_hostile_stories_are_stored_as_sent_and_shown_as_text(client, database, signed_in):
    tables = set(database.table_names())
    for payload in PAYLOADS:
        answers = {"role": "patient", "wish": payload,
                   "topics": {"selected": ["other"], "other": payload}}  # fmt: skip
        body = fragment(title=payload, story=f"{payload} 811218-9876", answers=answers)
        response = client.post(URL, json=body)
        assert response.status_code == 201, (payload, response.json)
        stored = db.get_fragment(database, body["id"])
        assert stored["story"] == f"{payload} 811218-9876".strip()
        assert stored["title"] == payload.strip()
        assert stored["answers"]["wish"] == payload.strip()
        assert stored["answers"]["topics"] == {"selected": ["other"], "other": payload.strip()}
    page = signed_in("facilitator").get("/review/all_kinds")
    assert page.status_code == 200
    assert_shown_as_text(page)
    for payload in PAYLOADS:  # flagged for the identity number, so every story is here
        shown = privacy.mask(payload.strip())  # an e-mail address in it is masked too
        assert escaped(shown) in page.get_data(as_text=True), payload
    assert set(database.table_names()) == tables
    assert db.count_fragments(database) == len(PAYLOADS)


def test_injected_sign_ins_fail_and_sign_nobody_in(app, database, users, signed_in):
    client = app.test_client()
    token = csrf_token(client)
    for i, payload in enumerate(PAYLOADS):
        for j, (email, password) in enumerate(((payload, PASSWORD), ("admin@region.se", payload))):
            form = {"email": email, "password": password, "csrf_token": token}
            response = client.post(
                "/login", data=form, environ_base={"REMOTE_ADDR": f"10.{i}.{j}.1"}
            )
            assert response.status_code == 401, (email, password)
            assert_shown_as_text(response)
            db.clear_attempts(database, "login", "admin@region.se")
        assert client.get("/admin/").status_code == 302, "nobody is signed in"
    audit = signed_in("admin").get("/admin/audit")  # failed sign-ins show the e-mail tried
    assert audit.status_code == 200
    assert_shown_as_text(audit)
    assert escaped(PAYLOADS[0]) in audit.get_data(as_text=True)


def test_hostile_admin_input_is_refused_or_kept_as_text(database, users, signed_in):
    admin = signed_in("admin")
    token = csrf_token(admin, "/admin/users")
    accounts = links = 0
    for payload in PAYLOADS:
        for email in (payload, f"x{payload}@region.se"):
            form = {"email": email, "role": "analyst", "password": PASSWORD, "csrf_token": token}
            response = admin.post("/admin/users", data=form)
            assert response.status_code in (302, 422), email
            accounts += response.status_code == 302
            assert_shown_as_text(response)
        form = {"kind": "link", "label": payload, "csrf_token": token}
        response = admin.post("/admin/surveys/all_kinds/links", data=form)
        assert response.status_code == 200, payload
        links += 1
        assert_shown_as_text(response)
        assert escaped(payload.strip()) in response.get_data(as_text=True)
    for url in ("/admin/users", "/admin/surveys/all_kinds", "/admin/audit", "/admin/"):
        assert_shown_as_text(admin.get(url))
    assert len(db.list_users(database)) == len(users) + accounts
    assert len(db.links(database, SURVEY)) == links


def test_hostile_withdrawal_codes_remove_nothing(client, database):
    assert client.post(URL, json=fragment()).status_code == 201
    token = csrf_token(client, "/withdraw")
    for i, payload in enumerate(PAYLOADS):
        form = {"code": payload, "csrf_token": token}
        response = client.post("/withdraw", data=form, environ_base={"REMOTE_ADDR": f"10.9.{i}.1"})
        assert response.status_code == 404, payload
        assert_shown_as_text(response)
    assert db.count_fragments(database) == 1


def test_hostile_survey_ids_in_urls_are_not_found(app, signed_in):
    anonymous, admin = app.test_client(), signed_in("admin")
    facilitator = signed_in("facilitator")
    token = csrf_token(admin, "/admin/users")
    for payload in PAYLOADS:
        part = quote(payload, safe="")
        for response in (
            anonymous.get(f"/s/{part}"),
            anonymous.get(f"/s/{part}/definition.json"),
            anonymous.get(f"/k/{part}"),
            anonymous.post(f"/api/v1/surveys/{part}/fragments", json=fragment()),
            admin.get(f"/admin/surveys/{part}"),
            admin.post(f"/admin/surveys/{part}", data={"collection": "open", "csrf_token": token}),
            facilitator.get(f"/review/{part}"),
        ):
            assert response.status_code == 404, (response.request.path, response.status_code)
            assert_shown_as_text(response)


def test_hostile_query_parameters_are_harmless(app, users, signed_in):
    anonymous, admin = app.test_client(), signed_in("admin")
    for i, payload in enumerate(PAYLOADS):
        for client, url, args in (
            (anonymous, "/", {"lang": payload}),
            (anonymous, "/s/all_kinds", {"lang": payload, "t": payload}),
            (anonymous, "/s/all_kinds/definition.json", {"lang": payload}),
            (anonymous, "/withdraw", {"lang": payload}),
            (anonymous, "/login", {"lang": payload, "next": payload}),
            (admin, "/admin/audit", {"before": payload, "lang": payload}),
            (admin, "/overview", {"lang": payload}),
        ):
            response = client.get(url, query_string=args)
            assert response.status_code == 200, (url, payload)
            assert_shown_as_text(response)
        fresh = app.test_client()
        form = {"email": "admin@region.se", "password": PASSWORD, "csrf_token": csrf_token(fresh)}
        response = fresh.post("/login", query_string={"next": payload}, data=form,
                              environ_base={"REMOTE_ADDR": f"10.8.{i}.1"})  # fmt: skip
        assert response.status_code == 302 and response.headers["Location"] == "/admin/"
