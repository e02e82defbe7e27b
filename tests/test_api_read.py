"""The read API: token access, assignments, paging, masking and the audit entry."""

import uuid

import pytest

from sensemaker import db, fragments, intake, privacy, tokens
from sensemaker.api_read import decode_cursor, encode_cursor, parse_since

SURVEY = "all_kinds"
BASE = f"/api/v1/surveys/{SURVEY}"


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def analyst(database, users):
    return bearer(tokens.create(database, "analyst@region.se", "cli").secret)


def store(database, all_kinds, count: int, story="Personalen tog sig tid.", **changes):
    """`count` valid fragments of all_kinds, stored as the API would store them."""
    items = []
    for _ in range(count):
        body = {
            "id": str(uuid.uuid4()),
            "language": "sv",
            "prompt": "good-day",
            "story": story,
            "consent": True,
            "collected_at": "2026-11-23T09:30:00+01:00",
            "answers": {"role": "patient", "safety": [0.5, 0.25, 0.25], "wish": "Mer tid"},
            **changes,
        }
        fragment = fragments.parse(body, all_kinds)
        items.append((fragment, intake.prepare(fragment, all_kinds, fragments.body_hash(body))))
    db.insert_fragments(database, items)
    return [fragment.id for fragment, _ in items]


# -- tokens ------------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["/api/v1/surveys", BASE, f"{BASE}/fragments"])
def test_no_token_is_401_with_a_bearer_challenge(client, url):
    response = client.get(url, headers={"Accept-Language": "en"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="sensemaker"'
    assert response.json["errors"]["token"] == "Send a token: Authorization: Bearer <token>."
    wrong = client.get(url, headers=bearer("not-a-token"))
    assert wrong.status_code == 401 and 'error="invalid_token"' in wrong.headers["WWW-Authenticate"]
    assert wrong.json["errors"]["token"] == "Okänd token."  # Swedish unless asked otherwise


def test_a_signed_in_session_is_no_substitute_for_a_token(signed_in):
    analyst = signed_in("analyst")
    assert analyst.get("/overview").status_code == 200  # the session works on pages
    assert analyst.get(f"{BASE}/fragments").status_code == 401
    assert analyst.get("/api/v1/surveys").status_code == 401


def test_revoked_token_stops_at_once(client, database, users):
    made = tokens.create(database, "analyst@region.se", "cli")
    assert client.get("/api/v1/surveys", headers=bearer(made.secret)).status_code == 200
    tokens.revoke(database, made.id, "cli")
    response = client.get("/api/v1/surveys?lang=en", headers=bearer(made.secret))
    assert response.status_code == 401
    assert response.json["errors"]["token"] == "The token has been revoked."
    assert db.get_token(database, made.id)["revoked_at"] is not None


def test_disabled_user_token_stops(client, database, users, analyst):
    db.update_user(database, users["analyst"]["id"], active=0)
    assert client.get("/api/v1/surveys", headers=analyst).status_code == 401


def test_only_assigned_surveys_are_listed_and_readable(client, database, users):
    admin = bearer(tokens.create(database, "admin@region.se", "cli").secret)
    assert client.get("/api/v1/surveys", headers=admin).json == {"surveys": []}
    for url in (BASE, f"{BASE}/fragments"):
        refused = client.get(url, headers=admin)
        assert refused.status_code == 403 and "access" in refused.json["errors"]
    assert client.get("/api/v1/surveys/finns-inte", headers=admin).status_code == 404
    db.assign(database, users["admin"]["id"], SURVEY)
    listed = client.get("/api/v1/surveys", headers=admin).json["surveys"]
    assert [s["id"] for s in listed] == [SURVEY] and listed[0]["versions"] == [1]
    assert client.get(f"{BASE}/fragments", headers=admin).status_code == 200
    db.unassign(database, users["admin"]["id"], SURVEY)
    assert client.get(f"{BASE}/fragments", headers=admin).status_code == 403


def test_use_updates_the_last_used_time(client, database, users):
    made = tokens.create(database, "analyst@region.se", "cli")
    client.get("/api/v1/surveys", headers=bearer(made.secret))
    assert db.get_token(database, made.id)["last_used_at"] is not None


# -- definition --------------------------------------------------------------------------
def test_definition_has_every_language_and_the_versions(client, analyst, all_kinds):
    response = client.get(BASE, headers=analyst)
    assert response.status_code == 200
    body = response.json
    assert body["definition"] == all_kinds.definition
    assert body["definition"]["title"] == {"sv": "Alla frågetyper", "en": "Every question kind"}
    assert body["versions"] == [1] and body["version"] == body["current_version"] == 1
    assert client.get(f"{BASE}?version=1", headers=analyst).json["version"] == 1
    assert client.get(f"{BASE}?version=2", headers=analyst).status_code == 404
    assert client.get(f"{BASE}?version=x", headers=analyst).status_code == 400


# -- fragments ---------------------------------------------------------------------------
def test_pages_cover_every_fragment_once_in_a_stable_order(client, database, all_kinds, analyst):
    ids = store(database, all_kinds, 25)
    seen, cursor, pages = [], None, 0
    while True:
        query = {"limit": 10} | ({"cursor": cursor} if cursor else {})
        page = client.get(f"{BASE}/fragments", headers=analyst, query_string=query).json
        seen += [fragment["id"] for fragment in page["fragments"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids and pages == 3
    again = client.get(f"{BASE}/fragments", headers=analyst, query_string={"limit": 10}).json
    assert [f["id"] for f in again["fragments"]] == ids[:10]


def test_a_fragment_has_the_submission_shape_and_where_it_came_from(
    client, database, all_kinds, analyst
):
    [fragment_id] = store(database, all_kinds, 1)
    [fragment] = client.get(f"{BASE}/fragments", headers=analyst).json["fragments"]
    assert fragment["id"] == fragment_id
    assert set(fragment) == set(fragments.FIELDS) | {"received_at", "source"}
    assert fragment["answers"] == {
        "role": "patient",
        "safety": [0.5, 0.25, 0.25],
        "wish": "Mer tid",
    }
    assert fragment["source"] == "capture" and fragment["survey_version"] == 1
    assert fragment["consent"] is True and fragment["received_at"].endswith("+00:00")


def test_since_keeps_later_fragments(client, database, all_kinds, analyst):
    store(database, all_kinds, 3)
    database.execute("UPDATE fragment SET received_at = '2026-01-01T08:00:00.000+00:00'")
    later = store(database, all_kinds, 2)
    query = {"since": "2026-01-01T10:00:00+01:00"}  # 09:00 UTC: after the first three
    page = client.get(f"{BASE}/fragments", headers=analyst, query_string=query).json
    assert [f["id"] for f in page["fragments"]] == later
    inclusive = {"since": "2026-01-01T08:00:00"}  # no zone: UTC, and the bound is included
    page = client.get(f"{BASE}/fragments", headers=analyst, query_string=inclusive).json
    assert len(page["fragments"]) == 5


@pytest.mark.parametrize(
    "query, field",
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "1001"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"limit": "-1"}, "limit"),
        ({"cursor": "not a cursor"}, "cursor"),
        ({"cursor": encode_cursor(5)[:-2] + "!!"}, "cursor"),
        ({"since": "yesterday"}, "since"),
        ({"since": "2026-13-01"}, "since"),
    ],
)
def test_bad_paging_is_400_with_the_parameter_named(client, analyst, query, field):
    response = client.get(f"{BASE}/fragments", headers=analyst, query_string=query)
    assert response.status_code == 400 and set(response.json["errors"]) == {field}


def test_cursor_and_since_helpers_round_trip():
    assert decode_cursor(encode_cursor(123456)) == 123456
    assert decode_cursor("c2VxOi0x") is None  # "seq:-1"
    assert decode_cursor("x" * 100) is None
    assert parse_since("2026-11-23T09:30:00+01:00") == "2026-11-23T08:30:00.000+00:00"


def test_personal_data_is_masked_unless_the_admin_turned_it_off(
    client, database, all_kinds, analyst
):
    story = "Ring mig på 070-123 45 67 eller skriv till anna@example.se."
    store(database, all_kinds, 1, story=story,
          answers={"role": "patient", "wish": "Mejla anna@example.se"})  # fmt: skip
    [masked] = client.get(f"{BASE}/fragments", headers=analyst).json["fragments"]
    assert "070-123 45 67" not in masked["story"] and "anna@example.se" not in masked["story"]
    assert masked["story"] == privacy.mask(story, lang="sv")
    assert masked["answers"]["wish"] == privacy.mask("Mejla anna@example.se", lang="sv")
    in_english = client.get(f"{BASE}/fragments?lang=en", headers=analyst).json["fragments"][0]
    assert in_english["story"] == privacy.mask(story, lang="en") != masked["story"]
    db.set_setting(database, "export_mask_personal_data", "off")
    [plain] = client.get(f"{BASE}/fragments", headers=analyst).json["fragments"]
    assert plain["story"] == story


def test_each_page_read_is_audited_with_counts_and_no_story(client, database, all_kinds, analyst):
    story = "En berättelse som aldrig får hamna i loggen."
    store(database, all_kinds, 3, story=story)
    client.get(f"{BASE}/fragments", headers=analyst, query_string={"limit": 2})
    [entry] = db.audit_entries(database, action="api.read")
    assert entry["actor"] == "analyst@region.se" and entry["survey_id"] == SURVEY
    assert entry["details"]["fragments"] == 2 and entry["details"]["masked"] is True
    assert story not in str(db.audit_entries(database))


# -- export ------------------------------------------------------------------------------
def test_export_streams_the_file_and_is_audited(client, database, all_kinds, analyst):
    store(database, all_kinds, 3, story="Ring 070-123 45 67 om du vill.")
    response = client.get(f"{BASE}/export?format=csv", headers=analyst)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    text = response.get_data(as_text=True)
    assert text.count("\n") >= 4 and "070-123 45 67" not in text  # masked by default
    [entry] = db.audit_entries(database, action="export")
    assert entry["actor"] == "analyst@region.se" and entry["survey_id"] == SURVEY


@pytest.mark.parametrize(
    "query, field",
    [("format=pdf", "format"), ("run=x", "run"), ("run=99", "run"),
     ("filter=nonsense", "filter"), ("format=xlsx&layout=long", "layout")],
)  # fmt: skip
def test_export_refusals_name_the_parameter(client, analyst, query, field):
    response = client.get(f"{BASE}/export?{query}", headers=analyst)
    assert response.status_code == 400 and set(response.json["errors"]) == {field}


def test_export_needs_a_token_and_an_assignment(client, database, users):
    assert client.get(f"{BASE}/export").status_code == 401
    admin = bearer(tokens.create(database, "admin@region.se", "cli").secret)
    assert client.get(f"{BASE}/export", headers=admin).status_code == 403
