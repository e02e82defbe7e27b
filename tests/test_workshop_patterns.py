"""The overview's patterns: worked out once at a time per survey, even while stories
arrive, and by one server process for all of them."""

import threading
import time
from datetime import UTC, datetime, timedelta

from sensemaker import db
from sensemaker.analysis.patterns import Pattern
from sensemaker.workshop import overview

from .test_api import URL, body

A_PATTERN = Pattern("comparison", "dyad", "q", None, 3, 0.01, {"sv": "Ett mönster",
                                                               "en": "A pattern"})  # fmt: skip


def _wait_for_run():
    for _ in range(250):
        if not overview._working:
            return
        time.sleep(0.02)
    raise AssertionError("the pattern run did not end")


def test_arriving_stories_never_pile_up_pattern_work(app, client, database, monkeypatch):
    started = []
    release = threading.Event()

    def slow_patterns(connection, survey_id, limit):
        started.append(survey_id)
        release.wait(5)
        return [A_PATTERN]

    monkeypatch.setattr(overview.findings, "survey_patterns", slow_patterns)
    monkeypatch.setattr(overview, "WAIT", 0.01)
    monkeypatch.setattr(overview, "_working", {})
    with app.test_request_context():
        for _ in range(5):
            client.post(URL, json=body())  # the survey's state changes every time
            assert overview.top_patterns(database, "all_kinds") is None
        assert started == ["all_kinds"]  # one run, not one per change
        release.set()
        _wait_for_run()
        client.post(URL, json=body())
        # Fresh enough: the last patterns are shown, and no new run starts yet.
        assert overview.top_patterns(database, "all_kinds") == [A_PATTERN]
        assert started == ["all_kinds"]


def test_patterns_worked_out_in_one_process_serve_the_others(app, client, database, monkeypatch):
    started = []

    def patterns(connection, survey_id, limit):
        started.append(survey_id)
        return [A_PATTERN]

    monkeypatch.setattr(overview.findings, "survey_patterns", patterns)
    monkeypatch.setattr(overview, "_working", {})
    client.post(URL, json=body())
    with app.test_request_context():
        overview.top_patterns(database, "all_kinds")
        _wait_for_run()
        # Another worker process knows nothing in memory; it reads the shared result.
        monkeypatch.setattr(overview, "_working", {})
        other = db.connect(app.config["DATABASE"], migrate=False)
        try:
            assert overview.top_patterns(other, "all_kinds") == [A_PATTERN]
        finally:
            other.close()
    assert started == ["all_kinds"]


def test_a_run_in_another_process_is_waited_for_unless_it_died(app, client, database):
    client.post(URL, json=body())
    long_ago = (datetime.now(UTC) - timedelta(hours=1)).isoformat(timespec="milliseconds")
    assert db.claim_patterns(database, "all_kinds", long_ago)
    with app.test_request_context():
        # Claimed by another process a moment ago: nothing to show yet, nothing started.
        assert overview.top_patterns(database, "all_kinds") is None
        assert overview._working == {}
    assert not db.claim_patterns(database, "all_kinds", long_ago)
    # A claim older than the limit belongs to a process that died: it is taken over.
    later = (datetime.now(UTC) + timedelta(seconds=1)).isoformat(timespec="milliseconds")
    assert db.claim_patterns(database, "all_kinds", later)
    db.save_patterns(database, "all_kinds", [1, 1, 1, None], [A_PATTERN.as_dict()])
    assert db.shared_patterns(database, "all_kinds")["claimed_at"] is None
