"""Observations: what the group saw, kept with its filter, picture and stories."""

import pytest

from sensemaker import db
from sensemaker import survey as surveys

from .conftest import ROOT, csrf_token
from .test_workshop import get
from .workshop_helpers import observe, store, told

SURVEY = "all_kinds"
BASE = f"/workshop/{SURVEY}"


@pytest.fixture
def stories(database, all_kinds, users):
    store(database, all_kinds, [
        told(all_kinds, "Natten var lång.", {"role": "staff"}, title="Natt"),
        told(all_kinds, "Maten var kall.", {"role": "patient"}, title="Mat"),
    ])  # fmt: skip
    seqs = [row[0] for row in database.execute("SELECT seq FROM fragment ORDER BY seq")]
    return seqs


def keep(client, **fields):
    form = {"title": "Nätterna", "text": "Personalen berättar om långa nätter.",
            "filter": "c.role=staff", "picture": "safety", "selection": "cell:12:40",
            "source": f"{BASE}/pictures/safety?c.role=staff", "stories": "", **fields}  # fmt: skip
    form["csrf_token"] = csrf_token(client, f"{BASE}/observations")
    return client.post(f"{BASE}/observations", data=form)


def test_an_observation_keeps_its_filter_picture_and_stories(stories, signed_in, database):
    client = signed_in("facilitator")
    response = keep(client, stories=f"{stories[0]}, {stories[1]} 99999 x")
    assert response.status_code == 302
    assert response.location == f"{BASE}/pictures/safety?c.role=staff"
    assert "Iakttagelsen ”Nätterna” är sparad." in get(client, response.location).text
    [kept] = db.list_observations(database, SURVEY)
    assert kept["filter"] == "c.role=staff" and kept["picture"] == "safety"
    assert kept["selection"] == "cell:12:40" and kept["stories"] == stories[:2]
    assert kept["created_by"] == "facilitator@region.se"
    page = get(client, f"{BASE}/observations")
    assert "Personalen berättar om långa nätter." in page.text and "Maten var kall." in page.text
    entry = db.audit_entries(database, action="observation.added")[0]
    assert entry["target"] == str(kept["id"]) and "nätter" not in str(entry)


def test_an_observation_can_be_edited_and_deleted(stories, signed_in, database, users):
    observation_id = observe(database, stories=stories[:2])
    client = signed_in("facilitator")
    edit = get(client, f"{BASE}/observations/{observation_id}")
    assert 'name="keep"' in edit.text
    token = csrf_token(client, f"{BASE}/observations")
    response = client.post(f"{BASE}/observations/{observation_id}", data={
        "title": "Ny rubrik", "text": "Ny text", "keep": [str(stories[1])], "csrf_token": token,
    })  # fmt: skip
    assert response.status_code == 302
    changed = db.get_observation(database, SURVEY, observation_id)
    assert (changed["title"], changed["text"], changed["stories"]) == ("Ny rubrik", "Ny text",
                                                                       stories[1:2])  # fmt: skip
    assert "ändrad av facilitator@region.se" in get(client, f"{BASE}/observations").text
    response = client.post(f"{BASE}/observations/{observation_id}/delete",
                           data={"csrf_token": token})  # fmt: skip
    assert response.status_code == 302 and db.list_observations(database, SURVEY) == []


def test_a_missing_title_or_too_long_text_is_refused_and_the_words_kept(stories, signed_in,
                                                                        database):  # fmt: skip
    client = signed_in("facilitator")
    response = keep(client, title="  ", text="Det vi såg.")
    assert response.status_code == 422
    assert "Ge iakttagelsen en rubrik." in response.text and "Det vi såg." in response.text
    response = keep(client, text="x" * 5001)
    assert response.status_code == 422 and "högst 5000 tecken" in response.text
    assert db.list_observations(database, SURVEY) == []


def test_observations_stay_inside_their_survey(stories, signed_in, database, users):
    other = surveys.load(ROOT / "surveys" / "trygg-omsorg.yaml")
    db.save_survey(database, other)
    db.assign(database, users["facilitator"]["id"], other.id)
    observation_id = observe(database)
    client = signed_in("facilitator")
    get(client, f"/workshop/{other.id}/observations/{observation_id}", 404)
    # A source outside this survey's workshop is never where the browser is sent.
    response = keep(client, source="https://evil.example/x")
    assert response.location == BASE
    response = keep(client, source=f"/workshop/{other.id}")
    assert response.location == BASE


def test_markup_in_an_observation_is_shown_as_text(stories, signed_in, database):
    observe(database, title="<script>alert(1)</script>", text='<img src=x onerror="alert(1)">')
    page = get(signed_in("facilitator"), f"{BASE}/observations")
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text
    assert "<img src=x" not in page.text
