"""What the importers need: which of a batch of fragment ids are stored, and a bulk insert."""

from collections.abc import Callable
from dataclasses import dataclass

from ..fragments import Fragment
from .connection import now, writing
from .fragments import _INSERT, CONFLICT, CREATED, DUPLICATE, Stored, _row


def stored_hashes(db, fragment_ids: list[str]) -> dict[str, str]:
    """{id: body_sha256} for those of `fragment_ids` that are stored."""
    found: dict[str, str] = {}
    for start in range(0, len(fragment_ids), 500):  # well under SQLite's variable limit
        chunk = fragment_ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        rows = db.execute(
            f"SELECT id, body_sha256 FROM fragment WHERE id IN ({marks})", chunk
        ).fetchall()
        found.update(rows)
    return found


_INSERT_VECTORS = (
    "INSERT INTO signification (fragment_seq, survey_id, survey_version, vector) "
    "SELECT seq, survey_id, survey_version, ? FROM fragment WHERE id = ?"
)


@dataclass(frozen=True)
class Ready:
    """An imported fragment ready to write: its fragment-table row and its numbers."""

    fragment_id: str
    row: tuple
    vector: bytes | None


def ready(fragment: Fragment, stored: Stored, received_at: str | None = None) -> Ready:
    """Made before the write transaction, so that building rows does not hold the lock."""
    return Ready(fragment.id, (*_row(fragment, stored), received_at or now()), stored.vector)


def insert_imported(db, items: list[tuple[Fragment, str]],
                    prepare: Callable[[Fragment, str], Ready]) -> list[str]:  # fmt: skip
    """Store a batch of imported (fragment, body hash) pairs in one transaction.

    One outcome each, as `insert_fragments` gives (CREATED, DUPLICATE, CONFLICT), found
    with one look-up for the whole batch. `prepare` makes the `Ready` row of the fragments
    not stored yet, and only of those: a second import of a file costs little. Rows are
    written with `executemany`, which keeps a 100,000-row import within seconds.
    """
    with writing(db):
        stored = stored_hashes(db, [fragment.id for fragment, _ in items])
        outcomes, new = [], []
        for fragment, sha in items:
            before = stored.get(fragment.id)
            if before is None:
                stored[fragment.id] = sha  # a later row of the batch with this id
                new.append(prepare(fragment, sha))
                outcomes.append(CREATED)
            else:
                outcomes.append(DUPLICATE if before == sha else CONFLICT)
        db.conn.executemany(_INSERT, [r.row for r in new])
        vectors = [(r.vector, r.fragment_id) for r in new if r.vector is not None]
        db.conn.executemany(_INSERT_VECTORS, vectors)
    return outcomes
