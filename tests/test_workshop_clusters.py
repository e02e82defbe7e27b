"""Clusters in the workshop: run one, see it on the triad, read each cluster's profile."""

import re

import numpy as np
import pytest

from sensemaker import db
from sensemaker.aggregate import Frame
from sensemaker.aggregate import clusters as clustered

from .conftest import csrf_token
from .test_charts import values_where
from .test_workshop import get, specs
from .workshop_helpers import store, store_generated, told

SURVEY = "all_kinds"
URL = f"/workshop/{SURVEY}/clusters"


@pytest.fixture
def stories(database, all_kinds, users):
    store_generated(database, all_kinds, 300, seed=6)
    store(database, all_kinds, [told(all_kinds, "<script>alert('x')</script> stannade kvar.",
                                     {"safety": [0.9, 0.05, 0.05], "pace": 0.9,
                                      "role": "staff"}, title="<b>Natt</b>")])  # fmt: skip
    return database


def run_clustering(client, k="3"):
    return client.post(URL, data={"k": k, "csrf_token": csrf_token(client, URL)})


def test_running_a_clustering_shows_its_map_and_profiles(stories, signed_in):
    client = signed_in("facilitator")
    assert "inte klustrats ännu" in get(client, URL).text
    response = run_clustering(client)
    assert response.status_code == 302 and response.location == f"{URL}?show=1"
    page = get(client, response.location)
    assert "Berättelserna är klustrade: körning 1 med 3 kluster." in page.text
    assert len(re.findall(r'<section class="ws-profile"', page.text)) == 3
    chart = specs(page)["map-safety"]
    dots = values_where(chart, "cluster")
    assert {dot["cluster"] for dot in dots if "seq" in dot} == {"1", "2", "3"}
    centres = {row["cluster"]: row["n"] for row in dots if row.get("part") == "cluster"}
    assert sorted(centres) == ["1", "2", "3"] and sum(centres.values()) <= 301
    # Typical and edge stories are shown as text, never as markup.
    assert "<script>alert" not in page.text and "<b>Natt</b>" not in page.text
    assert page.text.count('<article class="ws-story">') >= 3


def test_a_cluster_can_filter_every_picture(stories, signed_in):
    client = signed_in("facilitator")
    run_clustering(client, k="2")
    page = get(client, f"{URL}?show=1")
    link = re.search(r'href="(/workshop/all_kinds/pictures\?run=1&amp;cluster=1)"', page.text)
    size = int(re.search(r"Kluster 1: (\d+) berättelser", page.text).group(1))
    pictures = get(client, link.group(1).replace("&amp;", "&"))
    assert f"{size} av 301 berättelser visas" in pictures.text
    assert "kluster 1 i körning 1" in pictures.text
    unknown = get(client, f"/workshop/{SURVEY}?run=99&cluster=1")
    assert "Filtervärdet ”99” finns inte" in unknown.text


def test_clustering_refuses_too_few_stories_and_a_bad_k(database, signed_in, users):
    client = signed_in("facilitator")
    assert "minst 20 berättelser" in get(client, run_clustering(client).location).text
    assert "heltal från 2 till 12" in get(client, run_clustering(client, k="99").location).text
    assert db.list_cluster_runs(database, SURVEY) == []


def test_only_assigned_facilitators_may_run_a_clustering(stories, signed_in):
    for who in ("analyst", "outsider"):
        client = signed_in(who)
        response = client.post(URL, data={"k": "2", "csrf_token": csrf_token(client, "/withdraw")})
        assert response.status_code == 403
    assert db.list_cluster_runs(stories, SURVEY) == []


def test_cluster_map_samples_dots_but_counts_every_member(all_kinds):
    from sensemaker import signification

    rng = np.random.default_rng(3)
    shares = rng.dirichlet([2, 2, 2], 50)
    rows = [{"safety": s.tolist()} for s in shares]
    matrix = np.vstack([np.frombuffer(signification.encode(all_kinds, r)) for r in rows])
    facts = {"seq": list(range(1, 51)), "language": ["sv"] * 50, "prompt": [None] * 50,
             "collected_at": ["2026-09-01T10:00:00Z"] * 50}  # fmt: skip
    frame = Frame.build(all_kinds, facts["seq"], signification.decode(all_kinds, matrix), facts)
    labels = clustered.labels_by_row(50, np.arange(40), np.arange(40) % 2)
    assert labels[:4].tolist() == [1, 2, 1, 2] and labels[40:].tolist() == [0] * 10
    data = clustered.cluster_map(frame, "safety", labels, np.ones(50, dtype=bool), "sv", limit=7)
    assert (data["shown"], data["of"], len(data["dots"])) == (7, 40, 7)
    assert [c["n"] for c in data["clusters"]] == [20, 20] and data["domain"] == ["1", "2"]
