"""Side by side: two groups, each question's pictures next to each other, one sentence."""

import re

import numpy as np
import pytest

from sensemaker.aggregate.compare import split_groups

from .test_workshop import get, specs
from .workshop_helpers import store, told

SURVEY = "all_kinds"
URL = f"/workshop/{SURVEY}/compare"


@pytest.fixture
def groups(database, all_kinds, users):
    """Staff place safety near the staff corner, relatives near family; 3 patients."""
    rng = np.random.default_rng(5)
    made = []
    for role, centre, pace in (("staff", [0.8, 0.1, 0.1], 0.2), ("relative", [0.1, 0.8, 0.1], 0.8)):
        for shares in rng.dirichlet(np.array(centre) * 30, 15):
            made.append(told(all_kinds, f"En berättelse från {role}.",
                             {"role": role, "safety": shares.tolist(), "pace": pace}))  # fmt: skip
    made += [told(all_kinds, "Patientens berättelse.", {"role": "patient"}) for _ in range(3)]
    store(database, all_kinds, made)
    return database


def sentences(page) -> dict:
    found = re.findall(r'<section class="ws-pair" id="pair-([\w-]+)".*?<p class="ws-sentence'
                       r'[^"]*">(.*?)</p>', page.text, re.S)  # fmt: skip
    return {question: re.sub("<[^>]+>", "", text) for question, text in found}


def test_a_split_by_answer_tells_each_question_in_one_sentence(groups, signed_in):
    page = get(signed_in("facilitator"), f"{URL}?a.c.role=staff&b.c.role=relative")
    told_as = sentences(page)
    assert told_as["safety"].startswith("Personal placerade Personalen mycket högre än Anhörig")
    assert "(geometriskt medelvärde 0,8" in told_as["safety"] and "q = 0,001" in told_as["safety"]
    assert "Personal: 15 berättelser. Anhörig: 15 berättelser." in page.text
    charts = specs(page)
    assert {"a-safety", "b-safety", "a-role", "b-role"} <= set(charts)
    # Each group's picture reads its own stories.
    assert 'data-query="a.c.role=staff&amp;b.c.role=relative&amp;group=a"' in page.text
    # The test behind the sentence is one click away.
    assert "hotelling" in page.text.lower() or "permutation" in page.text.lower()


def test_groups_too_small_say_so_instead_of_a_p_value(groups, signed_in):
    page = get(signed_in("facilitator"), f"{URL}?a.c.role=staff&b.c.role=patient&lang=en")
    assert sentences(page)["safety"].startswith("Too few answers to compare (15 and 0")


def test_the_split_form_leads_to_a_shareable_url(groups, signed_in):
    client = signed_in("facilitator")
    response = client.get(f"{URL}?c.role=staff&split_a=role:staff&split_b=topics:food")
    assert response.status_code == 302
    assert response.location == (f"{URL}?c.role=staff&a.c.role=staff&b.c.topics=food")
    by_date = client.get(f"{URL}?split_date=2026-09-01")
    assert by_date.location == f"{URL}?a.to=2026-08-31&b.from=2026-09-01"
    bad = get(client, f"{URL}?split_a=role:alien&split_b=role:staff")
    assert "Den uppdelningen gick inte att använda" in bad.text


def test_without_a_split_the_first_demographic_question_is_split(groups, signed_in):
    page = get(signed_in("facilitator"), URL)
    assert "Patient: 3 berättelser. Anhörig: 15 berättelser." in page.text


def test_reading_a_groups_picture_lists_only_that_groups_stories(groups, signed_in):
    client = signed_in("facilitator")
    query = "a.c.role=staff&b.c.role=relative"
    found = get(client, f"/workshop/{SURVEY}/stories.json?{query}&group=b").json
    assert found["total"] == 15
    assert {s["story"] for s in found["stories"]} == {"En berättelse från relative."}


def test_stories_in_both_groups_are_left_out():
    a = np.array([True, True, False, True])
    b = np.array([False, True, True, True])
    only_a, only_b, both = split_groups(a, b)
    assert only_a.tolist() == [True, False, False, False] and both == 2
    assert only_b.tolist() == [False, False, True, False]
