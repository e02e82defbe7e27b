"""The workshop's screens through the app: who gets in, filters, pictures and the reading
panel, and that no page points anywhere but this server."""

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from sensemaker import db

from .test_charts import values_where
from .test_security import assert_headers, assert_safe_html
from .workshop_helpers import store, store_generated, told

SURVEY = "all_kinds"


@pytest.fixture
def filled(database, all_kinds, users):
    """300 generated stories and three hand-made ones with known answers and words."""
    store_generated(database, all_kinds, 300)
    store(database, all_kinds, [
        told(all_kinds, "Sjuksköterskan kom på natten med kaffe.",
             {"safety": [1.0, 0.0, 0.0], "role": "staff", "pace": 0.97}),
        told(all_kinds, "Vi får vänta.", {"safety": [0.0, 1.0, 0.0], "role": "relative"}),
        told(all_kinds, "Min far ringde.", {"safety": [0.0, 0.0, 1.0], "role": "relative"}),
    ])  # fmt: skip
    return database


class Links(HTMLParser):
    """Every URL a page would load or lead to."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href", "action", "srcset", "poster", "data") and value:
                self.urls.append(value)


def external_hosts(html: str, own: str = "localhost") -> set[str]:
    """Hosts other than this server that a page references, in attributes or in text."""
    parser = Links()
    parser.feed(html)
    hosts = {urlsplit(url).hostname for url in parser.urls} - {None}
    hosts |= {m for m in re.findall(r"(?:https?:)?//([\w.-]+\.[a-z]{2,})", html)}
    return {host for host in hosts if host != own}


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.text[:500])
    return response


def specs(response) -> dict:
    blocks = re.findall(r'<script type="application/json" id="spec-([\w-]+)">(.*?)</script>',
                        response.text, re.S)  # fmt: skip
    return {name: json.loads(body) for name, body in blocks}


def test_overview_shows_counts_time_and_who_told(filled, signed_in):
    page = get(signed_in("facilitator"), f"/workshop/{SURVEY}")
    assert "303 av 303 berättelser visas" in page.text
    charts = specs(page)
    assert {"timeline", "who-role", "na-rates"} <= set(charts)
    assert "Starkaste mönstren" in page.text
    assert_headers(page)
    assert_safe_html(page)
    assert external_hosts(page.text) == set()


def test_the_start_page_leads_facilitators_to_the_workshop(filled, signed_in):
    assert f'href="/workshop/{SURVEY}">Öppna verkstaden' in get(signed_in("facilitator"),
                                                                 "/overview").text  # fmt: skip
    assert "/workshop/" not in get(signed_in("analyst"), "/overview").text


def test_every_question_gets_its_picture(filled, signed_in):
    page = get(signed_in("facilitator"), f"/workshop/{SURVEY}/pictures?lang=en")
    charts = specs(page)
    assert set(charts) == {f"q-{q}" for q in ("safety", "pace", "people", "role", "topics",
                                                "life")}  # fmt: skip
    assert "What gave a sense of safety?" in json.dumps(charts["q-safety"], ensure_ascii=False)
    one = get(signed_in("facilitator"), f"/workshop/{SURVEY}/pictures/pace")
    assert set(specs(one)) == {"q-pace"}
    get(signed_in("facilitator"), f"/workshop/{SURVEY}/pictures/wish", 404)  # text: no picture
    get(signed_in("facilitator"), f"/workshop/{SURVEY}/pictures/finns-inte", 404)


def test_a_demographic_filter_applies_to_every_picture_and_is_shareable(filled, signed_in):
    client = signed_in("facilitator")
    everyone = specs(get(client, f"/workshop/{SURVEY}/pictures"))
    staff = get(client, f"/workshop/{SURVEY}/pictures?c.role=staff")
    count = int(re.search(r"(\d+) av 303 berättelser visas", staff.text).group(1))
    assert 0 < count < 303
    shares = {row["id"]: row["count"] for row in values_where(specs(staff)["q-role"], "count")}
    assert shares["staff"] == count and shares["patient"] == 0
    assert specs(staff)["q-safety"] != everyone["q-safety"]
    # The filter is in the URL, shown as a chip that takes it away, and in the share field.
    assert "Jag är: Personal" in staff.text
    assert 'href="/workshop/all_kinds/pictures"' in staff.text
    assert 'value="http://localhost/workshop/all_kinds/pictures?c.role=staff"' in staff.text


def test_a_filter_it_cannot_use_is_named_and_left_out(filled, signed_in):
    page = get(signed_in("facilitator"), f"/workshop/{SURVEY}?c.role=alien&from=igår")
    assert "303 av 303" in page.text
    assert "Filtervärdet ”alien” finns inte" in page.text and "”igår” är inget datum" in page.text


def told_with(database, pattern: str) -> int:
    """How many stored stories have a word matching `pattern` (a regular expression)."""
    rows = database.execute("SELECT coalesce(title, '') || ' ' || story FROM fragment").fetchall()
    return sum(1 for (text,) in rows if re.search(pattern, text, re.I))


def test_search_finds_swedish_words_with_their_endings(filled, signed_in):
    client = signed_in("facilitator")
    nurses = told_with(filled, r"\bsjukskötersk")
    page = get(client, f"/workshop/{SURVEY}?q=sjuksköterskor")
    assert f"{nurses} av 303 berättelser visas" in page.text and nurses >= 1
    # "far" does not find "får": å stays a letter of its own.
    far = get(client, f"/workshop/{SURVEY}/stories.json?q=far").json
    assert far["total"] == told_with(filled, r"\bfar") >= 1
    assert all(re.search(r"\bfar", s["title"] + " " + s["story"], re.I) for s in far["stories"])
    assert "Vi får vänta." not in [s["story"] for s in far["stories"]]
    both = get(client, f"/workshop/{SURVEY}?q=sjuksköterskan+kaffet")
    assert "1 av 303" in both.text  # every word must be there


def test_reading_panel_lists_the_stories_behind_a_selection(filled, signed_in):
    client = signed_in("facilitator")
    corner = get(client, f"/workshop/{SURVEY}/stories.json?pick=safety&sel=box:0.45:0.55:0.8:0.9"
                         "&c.role=staff").json  # fmt: skip
    texts = [story["story"] for story in corner["stories"]]
    one = get(client, f"/workshop/{SURVEY}/stories.json?q=sjuksköterskan+kaffet").json
    assert one["total"] == 1 and one["heading"] == "1 berättelse"
    assert "Sjuksköterskan kom på natten med kaffe." in texts
    story = next(s for s in corner["stories"] if s["story"].startswith("Sjuksköterskan"))
    assert story["title"] == "En rubrik" and story["told"] == "2026-09-01"
    told_as = {part["question"]: part["answer"] for part in story["signification"]}
    assert told_as["Vad gav trygghet?"] == "Personalen 100 % · Familjen 0 % · Jag själv 0 %"
    assert told_as["Jag är"] == "Personal"
    every = get(client, f"/workshop/{SURVEY}/stories.json?page=2").json
    assert every["total"] == 303 and every["page"] == 2 and len(every["stories"]) == 8
    assert every["pages"] == 38
    last = get(client, f"/workshop/{SURVEY}/stories.json?page=999").json
    assert last["page"] == 38 and len(last["stories"]) == 303 - 37 * 8


def test_reading_panel_refuses_a_selection_in_the_users_language(filled, signed_in):
    response = signed_in("facilitator").get(
        f"/workshop/{SURVEY}/stories.json?pick=safety&sel=option:x&lang=en"
    )
    assert response.status_code == 400
    assert response.json["errors"]["sel"].startswith("The selected area could not be read")


def test_personal_data_stays_hidden_on_the_shared_screen(database, all_kinds, signed_in):
    store(database, all_kinds, [told(all_kinds, "Ring mig på 070-123 45 67 i morgon.",
                                     {"role": "patient"})])  # fmt: skip
    stories = get(signed_in("facilitator"), f"/workshop/{SURVEY}/stories.json").json["stories"]
    assert "070-123 45 67" not in stories[0]["story"] and "i morgon" in stories[0]["story"]


@pytest.mark.parametrize("who, status", [("outsider", 403), ("analyst", 403), ("admin", 403)])
def test_only_facilitators_assigned_to_the_survey_get_in(filled, signed_in, who, status):
    client = signed_in(who)
    for url in (f"/workshop/{SURVEY}", f"/workshop/{SURVEY}/stories.json"):
        response = client.get(url)
        assert response.status_code == status
        assert "Sjuksköterskan" not in response.text


def test_an_assigned_admin_gets_in_and_an_unknown_survey_is_404(filled, signed_in, users):
    db.assign(filled, users["admin"]["id"], SURVEY)
    get(signed_in("admin"), f"/workshop/{SURVEY}")
    get(signed_in("facilitator"), "/workshop/finns-inte", 404)


def test_an_empty_survey_still_has_its_screens(signed_in):
    client = signed_in("facilitator")
    page = get(client, f"/workshop/{SURVEY}")
    assert "0 av 0 berättelser visas" in page.text
    assert len(specs(get(client, f"/workshop/{SURVEY}/pictures"))) == 6
    assert get(client, f"/workshop/{SURVEY}/stories.json").json["total"] == 0
