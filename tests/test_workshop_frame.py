"""The workshop's arrays are read from one snapshot, whatever is withdrawn meanwhile."""

from sensemaker import db
from sensemaker.workshop import data

from .workshop_helpers import store_generated


def test_stories_removed_while_the_frame_loads_do_not_break_it(
    app, database, all_kinds, monkeypatch
):
    store_generated(database, all_kinds, 40)
    load_numbers = data.signification.load

    def numbers_then_a_purge(connection, survey_id):
        loaded = load_numbers(connection, survey_id)
        # Another connection (a teller withdrawing, a retention purge) deletes stories
        # after the numbers were read and before the facts are.
        other = db.connect(app.config["DATABASE"], migrate=False)
        try:
            assert db.purge_before(other, survey_id, "9999-12-31") == 40
        finally:
            other.close()
        return loaded

    monkeypatch.setattr(data.signification, "load", numbers_then_a_purge)
    monkeypatch.setattr(data, "_frames", {})
    with app.app_context():
        frame = data.load_frame(database, "all_kinds")
    assert frame.n == 40  # the snapshot the numbers came from, facts and all
    assert len(frame.languages) == 40
    assert db.count_fragments(database, "all_kinds") == 0  # the purge itself went through
