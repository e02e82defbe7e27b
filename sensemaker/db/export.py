"""What an export reads: a survey's fragments with their numeric answers, chunk by chunk."""

from collections.abc import Iterator
from dataclasses import dataclass

# The plain columns of a fragment that an export carries, in this order.
FRAGMENT_COLUMNS = (
    "seq", "id", "survey_version", "language", "prompt", "title", "story", "consent",
    "collected_at", "received_at", "source",
)  # fmt: skip


FIRST_CHUNK = 1_000  # fragments in the first chunk, before their size is known
CHUNK_BYTES = 8 << 20  # about this much JSON per chunk, at most `size` fragments


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


@dataclass(frozen=True)
class Chunk:
    """Up to `size` fragments: one JSON object per line, and their numeric answers.

    Each line has FRAGMENT_COLUMNS, `vector_bytes` (the length of the fragment's numeric
    row, null when it has none) and `t0`, `t1`, … for the asked-for texts. `vectors` is
    the numeric rows concatenated in the same order.
    """

    lines: bytes
    vectors: bytes
    count: int


def fragment_chunks(
    db,
    survey_id: str,
    selection: Selection = Selection(),
    *,
    texts: tuple[tuple[str, str | None], ...] = (),
    size: int = 20_000,
) -> Iterator[Chunk]:
    """A survey's fragments in seq order, `size` at a time.

    `texts` names answers to pull out of the answers JSON as (question id, part or None).

    SQLite writes each chunk as JSON Lines and one string of numbers, so Python
    handles a few large strings per chunk instead of a dozen objects per fragment; this
    is what makes a million fragments cheap. Each chunk is its own statement that goes on
    after the last seq (keyset paging): no read transaction stays open between chunks,
    and the scan follows the primary key instead of sorting in a temporary b-tree.
    """
    fields = [f"'{name}', f.{name}" for name in FRAGMENT_COLUMNS]
    fields.append("'vector_bytes', length(s.vector)")
    fields += [f"'t{index}', json_extract(f.answers, ?)" for index in range(len(texts))]
    # "+f.survey_id" keeps SQLite on the primary key (seq order) rather than an index on
    # survey_id that would need a sort.
    clauses, filters = ["+f.survey_id = ?", "f.seq > ?"], []
    for clause, value in (
        ("f.language = ?", selection.language),
        ("f.prompt = ?", selection.prompt),
        ("substr(f.collected_at, 1, 10) >= ?", selection.told_from),
        ("substr(f.collected_at, 1, 10) <= ?", selection.told_to),
    ):
        if value is not None:
            clauses.append(clause)
            filters.append(value)
    # Both aggregates see the rows in the same order, so line i and vector i belong
    # together; the caller checks that the seqs come in order.
    # CAST AS BLOB hands the bytes to Python as they are: no UTF-8 decoding into a str
    # and encoding back. group_concat keeps a blob's bytes (zeros included); NULL vectors
    # are skipped, and their lines say vector_bytes: null.
    sql = (
        "SELECT CAST(group_concat(line, char(10)) AS BLOB), "
        "CAST(group_concat(vector, x'') AS BLOB), max(seq), count(*) "
        f"FROM (SELECT f.seq AS seq, json_object({', '.join(fields)}) AS line, "
        "s.vector AS vector FROM fragment f "
        "LEFT JOIN signification s ON s.fragment_seq = f.seq "
        f"WHERE {' AND '.join(clauses)} ORDER BY f.seq LIMIT ?)"
    )
    paths = [_json_path(question_id, part) for question_id, part in texts]
    last, limit = 0, min(size, FIRST_CHUNK)
    while True:
        lines, vectors, last, count = db.execute(
            sql, [*paths, survey_id, last, *filters, limit]
        ).fetchone()
        if not count:
            return
        yield Chunk(lines, vectors or b"", count)
        if count < limit:
            return
        # Stories may be up to 50,000 characters: size the next chunk by the bytes this
        # one took, so that memory stays bounded whatever the stories' length.
        limit = max(1, min(size, CHUNK_BYTES * count // max(len(lines), 1)))
