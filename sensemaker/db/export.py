"""What an export reads: a survey's fragments with their numeric answers, chunk by chunk."""

from collections.abc import Iterator
from dataclasses import dataclass

# The plain columns of a fragment that an export carries, in this order.
FRAGMENT_COLUMNS = (
    "seq", "id", "survey_version", "language", "prompt", "title", "story", "consent",
    "collected_at", "received_at", "source",
)  # fmt: skip


@dataclass(frozen=True)
class Selection:
    """Which fragments to read; every part that is set must hold (AND)."""

    language: str | None = None
    prompt: str | None = None
    told_from: str | None = None  # YYYY-MM-DD, inclusive, on the date in collected_at
    told_to: str | None = None  # YYYY-MM-DD, inclusive


def _json_path(question_id: str, part: str | None) -> str:
    # Ids are [a-z0-9_-]; quoting them keeps "-" from being read as JSON path syntax.
    path = f'$."{question_id}"'
    return f"{path}.{part}" if part else path


def fragment_chunks(
    db,
    survey_id: str,
    selection: Selection = Selection(),
    *,
    texts: tuple[tuple[str, str | None], ...] = (),
    size: int = 20_000,
) -> Iterator[tuple[list[tuple], list[tuple]]]:
    """A survey's fragments in seq order, `size` at a time: (rows, texts) per chunk.

    Each row is FRAGMENT_COLUMNS followed by the numeric answers (`signification.vector`,
    None when missing). `texts` names answers to pull out of the answers JSON as
    (question id, part or None); each chunk's `texts` holds one tuple per row with them.

    Each chunk is its own statement that continues after the last seq (keyset paging):
    no read transaction stays open between chunks, and the scan follows the primary key
    instead of sorting the survey's rows in a temporary b-tree.
    """
    columns = ", ".join(f"f.{name}" for name in FRAGMENT_COLUMNS)
    extracts = "".join(", json_extract(f.answers, ?)" for _ in texts)
    # "+f.survey_id" keeps SQLite on the primary key (seq order) rather than an index on
    # survey_id that would need a sort.
    clauses, params = ["+f.survey_id = ?", "f.seq > ?"], [survey_id]
    if selection.language is not None:
        clauses.append("f.language = ?")
    if selection.prompt is not None:
        clauses.append("f.prompt = ?")
    if selection.told_from is not None:
        clauses.append("substr(f.collected_at, 1, 10) >= ?")
    if selection.told_to is not None:
        clauses.append("substr(f.collected_at, 1, 10) <= ?")
    filters = [
        value
        for value in (
            selection.language,
            selection.prompt,
            selection.told_from,
            selection.told_to,
        )
        if value is not None
    ]
    sql = (
        f"SELECT {columns}, s.vector{extracts} FROM fragment f "
        "LEFT JOIN signification s ON s.fragment_seq = f.seq "
        f"WHERE {' AND '.join(clauses)} ORDER BY f.seq LIMIT ?"
    )
    paths = [_json_path(question_id, part) for question_id, part in texts]
    width = len(FRAGMENT_COLUMNS) + 1
    last = 0
    while True:
        rows = db.execute(sql, [*paths, *params, last, *filters, size]).fetchall()
        if not rows:
            return
        last = rows[-1][0]
        if texts:
            yield [row[:width] for row in rows], [row[width:] for row in rows]
        else:
            yield rows, []
        if len(rows) < size:
            return
