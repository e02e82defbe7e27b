"""Streaming a survey's fragments as Arrow record batches, one chunk at a time.

Each chunk of fragments (`db.fragment_chunks`: JSON Lines and one blob of numbers) is
decoded in one block: the lines by Arrow's JSON reader, the numeric answers with
`numpy.frombuffer` (rows told against an older survey version are mapped onto the current
layout, as `signification.load` does), the question kinds' columns from that block, the
cluster labels by `searchsorted` over the run's fragment seqs. Memory stays bounded by
the chunk, whatever the number of fragments.
"""

import contextlib
import io
import queue
import threading
from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pajson

from .. import db, privacy, signification
from ..db import FRAGMENT_COLUMNS, fragment_chunks
from .columns import CLUSTER, FRAGMENT, WideLayout
from .filters import Filters

# Fragments per chunk, at most (db.fragment_chunks also keeps a chunk near 8 MB). Smaller
# chunks keep the peak memory low (about 260 MB for a 1M export, most of it the
# libraries); larger ones gain little speed (bench/datasets.py).
CHUNK = 5_000
NO_FILTERS = Filters()
_FIELD_TYPES = {"seq": pa.int64(), "survey_version": pa.int32(), "consent": pa.int8()}
# Text that could hold personal data, found by Arrow's RE2 without Python: everything
# privacy.find_personal_data finds has an "@" (e-mail) or at least seven digits (any
# script's, as Python's \d) with nothing but spaces, dashes, "+" and brackets between
# them (phone and identity numbers). Stories with a time or an age ("kl 14", "80 år")
# are left alone, which keeps masking cheap; tests/test_export_masking.py checks that
# privacy finds nothing in text this pattern passes over.
MAYBE_PERSONAL = r"@|\p{Nd}(?:[ \x{a0}\x{2013}()+-]*\p{Nd}){6}"


def masked(values: pa.Array) -> pa.Array:
    """Teller text with personal data masked; only candidates go through Python."""
    candidates = pc.fill_null(pc.match_substring_regex(values, MAYBE_PERSONAL), False)
    if not pc.any(candidates).as_py():
        return values
    found = pc.filter(values, candidates).to_pylist()
    replacements = pa.array([privacy.mask(text, lang="sv") for text in found], pa.string())
    return pc.replace_with_mask(values, candidates, replacements)


class _Versions:
    """The column layouts of the survey's versions, read once each."""

    def __init__(self, database, survey):
        self.database, self.survey = database, survey
        self.current = signification.layout(survey)
        self._layouts = {survey.version: self.current}

    def layout(self, version: int):
        if version not in self._layouts:
            told = db.get_survey(self.database, self.survey.id, version)
            self._layouts[version] = signification.layout(told) if told else None
        return self._layouts[version]

    def matrix(self, table: pa.Table, vectors: bytes) -> np.ndarray:
        """The chunk's numeric answers in the current layout (NaN where missing)."""
        width, count = self.current.width, table.num_rows
        told = table.column("survey_version").to_numpy()
        lengths = table.column("vector_bytes").fill_null(0).to_numpy().astype(np.int64)
        if (told == self.survey.version).all() and (lengths == width * 8).all():
            return signification.to_matrix(vectors, width).reshape(count, width)
        matrix = np.full((count, width), np.nan)
        raw = np.frombuffer(vectors, dtype=np.uint8)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        for version in np.unique(told).tolist():
            layout = self.layout(version)
            if layout is None:
                continue
            picked = np.flatnonzero((told == version) & (lengths == layout.width * 8))
            if not len(picked) or not layout.width:
                continue
            parts = [raw[starts[i] : starts[i] + lengths[i]] for i in picked]
            block = signification.to_matrix(np.concatenate(parts).tobytes(), layout.width)
            if version != self.survey.version:
                block = signification.remap(block, layout, self.current)
            matrix[picked] = block
        return matrix


class _Clusters:
    """Cluster numbers (from 1) of a stored run, looked up by fragment seq."""

    def __init__(self, stored):
        order = np.argsort(stored.seqs, kind="stable")
        self.seqs = stored.seqs[order]
        self.labels = stored.run.labels[order]
        self.run_id = stored.id

    def numbers(self, seqs: np.ndarray) -> np.ndarray:
        """Cluster number per seq; 0 where left out of the run or told after it."""
        if not len(self.seqs):
            return np.zeros(len(seqs), dtype=np.int64)
        at = np.minimum(np.searchsorted(self.seqs, seqs), len(self.seqs) - 1)
        found = self.seqs[at] == seqs
        return np.where(found, self.labels[at] + 1, 0)


def wide_batches(database, layout: WideLayout, filters: Filters = NO_FILTERS, *, run=None,
                 mask: bool = True, size: int = CHUNK) -> Iterator[pa.RecordBatch]:  # fmt: skip
    """The survey's fragments in the wide layout, one record batch per chunk.

    Yields at least one batch (empty when nothing matches), so writers always have a
    schema. `run` is a `findings.StoredRun` when cluster columns are asked for.
    """
    survey = layout.survey
    versions = _Versions(database, survey)
    clusters = _Clusters(run) if run is not None else None
    schema = layout.schema()
    texts = layout.texts()
    sent = False
    options = pajson.ParseOptions(explicit_schema=_line_schema(len(texts)))
    reading = pajson.ReadOptions(use_threads=False, block_size=64 << 20)
    chunks = fragment_chunks(database, survey.id, filters.selection, texts=texts, size=size)
    for chunk in chunks:
        table = pajson.read_json(io.BytesIO(chunk.lines), reading, options).combine_chunks()
        seqs = table.column("seq").to_numpy()
        matrix = versions.matrix(table, chunk.vectors)
        if len(seqs) > 1 and not (np.diff(seqs) > 0).all():  # never seen; cheap to be sure
            order = np.argsort(seqs, kind="stable")
            table, matrix, seqs = table.take(order), matrix[order], seqs[order]
        keep = filters.keep(survey, matrix, versions.current.columns)
        numbers = clusters.numbers(seqs) if clusters is not None else None
        if filters.cluster is not None:
            in_cluster = numbers == filters.cluster
            keep = in_cluster if keep is None else keep & in_cluster
        batch = _batch(layout, schema, table, matrix, versions, numbers, clusters, mask)
        if keep is not None:
            batch = batch.filter(pa.array(keep))
        if batch.num_rows or not sent:
            sent = True
            yield batch
    if not sent:
        yield pa.RecordBatch.from_pylist([], schema=schema)


def _line_schema(texts: int) -> pa.Schema:
    fields = [(name, _FIELD_TYPES.get(name, pa.string())) for name in FRAGMENT_COLUMNS]
    fields.append(("vector_bytes", pa.int64()))
    fields += [(f"t{index}", pa.string()) for index in range(texts)]
    return pa.schema(fields)


def _batch(layout, schema, table, matrix, versions, numbers, clusters, mask):
    arrays = []
    for column in FRAGMENT:
        values = table.column("id" if column.name == "fragment_id" else column.name).chunk(0)
        if column.type == "category":
            values = values.dictionary_encode()
        elif column.type == "integer":
            values = values.cast(pa.int32())
        if mask and column.teller_text:
            values = masked(values)
        arrays.append(values)
    text_at = 0
    for kind in layout.kinds:
        start, stop, _ = versions.current.columns.get(kind.id, (0, 0, ()))
        wanted = len(kind.texts())
        texts = [table.column(f"t{text_at + i}").chunk(0) for i in range(wanted)]
        produced = kind.values(matrix[:, start:stop], texts)
        text_at += wanted
        for column, values in zip(kind.columns(), produced, strict=True):
            arrays.append(masked(values) if mask and column.teller_text else values)
    if clusters is not None:
        arrays.append(pa.array(numbers.astype(np.int32), type=pa.int32(), mask=numbers == 0))
        arrays.append(pa.array(np.full(table.num_rows, clusters.run_id, dtype=np.int32)))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def long_batches(layout: WideLayout, batches) -> Iterator[pa.RecordBatch]:
    """The wide batches melted: one row per answered cell (fragment, question, part,
    value, text); numbers in `value`, option ids and texts in `text`."""
    answer_columns = [c for c in layout.columns if c not in FRAGMENT and c not in CLUSTER]
    for batch in batches:
        ids = batch.column("fragment_id")
        parts = []
        for column in answer_columns:
            values = batch.column(column.name)
            present = pc.is_valid(values)
            count = pc.sum(present).as_py() or 0
            if not count:
                continue
            numeric = column.type in ("integer", "number", "flag")
            kept = pc.filter(values, present)
            parts.append(pa.table({
                "fragment_id": pc.filter(ids, present),
                "question": pa.array([column.question or column.name] * count, pa.string()),
                "part": pa.array([_part(column)] * count, pa.string()),
                "value": kept.cast(pa.float64()) if numeric else pa.nulls(count, pa.float64()),
                "text": pa.nulls(count, pa.string()) if numeric else kept.cast(pa.string()),
            }))  # fmt: skip
        if layout.with_cluster:
            parts.append(_long_cluster(batch, ids))
        if parts:
            yield from pa.concat_tables(parts).combine_chunks().to_batches()
        else:
            yield pa.RecordBatch.from_pylist([], schema=LONG_SCHEMA)


def _long_cluster(batch, ids) -> pa.Table:
    values = batch.column("cluster")
    present = pc.is_valid(values)
    count = pc.sum(present).as_py() or 0
    return pa.table({
        "fragment_id": pc.filter(ids, present),
        "question": pa.array(["cluster"] * count, pa.string()),
        "part": pc.filter(batch.column("cluster_run"), present).cast(pa.string()),
        "value": pc.filter(values, present).cast(pa.float64()),
        "text": pa.nulls(count, pa.string()),
    })  # fmt: skip


def _part(column) -> str | None:
    """The part of a long row: the column name after the question's, e.g. "personal"."""
    if column.question is None or column.name == column.question.replace("-", "_"):
        return None
    return column.name.split("__", 1)[1]


LONG_SCHEMA = pa.schema([
    ("fragment_id", pa.string()), ("question", pa.string()), ("part", pa.string()),
    ("value", pa.float64()), ("text", pa.string()),
])  # fmt: skip


def prefetched(batches: Iterator, depth: int = 2) -> Iterator:
    """`batches`, produced one step ahead in a thread while the caller writes the last one.

    Reading SQLite and writing CSV or Parquet both spend much of their time outside the
    GIL, so on two cores the reading of the next chunk overlaps the writing of this one.
    At most `depth` batches wait, so memory stays bounded. Errors are raised here; when
    the caller stops early, the thread finishes its current chunk and ends.
    """
    waiting: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def produce():
        try:
            for batch in batches:
                while not stop.is_set():
                    try:
                        waiting.put((batch, None), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            waiting.put((done, None))
        except BaseException as error:  # handed to the caller, raised there
            waiting.put((done, error))

    thread = threading.Thread(target=produce, name="export-reader", daemon=True)
    thread.start()
    try:
        while True:
            batch, error = waiting.get()
            if error is not None:
                raise error
            if batch is done:
                return
            yield batch
    finally:
        stop.set()
        while thread.is_alive():
            with contextlib.suppress(queue.Empty):
                waiting.get(timeout=0.1)
        thread.join()
