"""The overview's patterns: worked out once at a time per survey, even while stories arrive."""

import threading
import time

from sensemaker.workshop import overview

from .test_api import URL, body


def test_arriving_stories_never_pile_up_pattern_work(app, client, database, monkeypatch):
    started = []
    release = threading.Event()

    def slow_patterns(connection, survey_id, limit):
        started.append(survey_id)
        release.wait(5)
        return ["a pattern"]

    monkeypatch.setattr(overview.findings, "survey_patterns", slow_patterns)
    monkeypatch.setattr(overview, "WAIT", 0.01)
    monkeypatch.setattr(overview, "_patterns", {})
    monkeypatch.setattr(overview, "_working", {})
    with app.test_request_context():
        for _ in range(5):
            client.post(URL, json=body())  # the survey's state changes every time
            assert overview.top_patterns(database, "all_kinds") is None
        assert started == ["all_kinds"]  # one run, not one per change
        release.set()
        for _ in range(100):
            if not overview._working:
                break
            time.sleep(0.02)
        client.post(URL, json=body())
        # Fresh enough: the last patterns are shown, and no new run starts yet.
        assert overview.top_patterns(database, "all_kinds") == ["a pattern"]
        assert started == ["all_kinds"]
