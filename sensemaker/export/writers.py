"""One writer per format: record batches in, chunks of bytes out, never the whole file.

CSV and Parquet are written by Arrow's C++ writers batch by batch; JSON Lines row by row;
XLSX by xlsxwriter in constant-memory mode into a temporary file that is then streamed;
the ZIP bundle with zipfile's streaming mode (no seeking back).
"""

import json
import os
import tempfile
import zipfile
from collections.abc import Iterable, Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .codebook import FORMULA_STARTS, SPREADSHEET_PREFIX

BOM = "\ufeff".encode()
ROW_GROUP = 20_000  # Parquet rows per row group, at least
XLSX_ROWS = 1_048_576  # Excel's limit per sheet, the header included
_FORMULA = "^[" + "".join("\\" + c if c in "-+" else c for c in FORMULA_STARTS) + "]"


class _Sink:
    """A write-only file that hands out what was written since the last `take`."""

    closed = False

    def __init__(self):
        self.parts: list[bytes] = []
        self.position = 0

    def write(self, data) -> int:
        data = bytes(data)
        self.parts.append(data)
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self):
        pass

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def neutralised(values: pa.Array) -> pa.Array:
    """Strings a spreadsheet would read as a formula, with a leading apostrophe."""
    hits = pc.fill_null(pc.match_substring_regex(values, _FORMULA), False)
    if not pc.any(hits).as_py():
        return values
    prefixed = pc.binary_join_element_wise(SPREADSHEET_PREFIX, values, "")
    return pc.if_else(hits, prefixed, values)


def for_spreadsheet(batch: pa.RecordBatch, *, decimal_comma: bool = False) -> pa.RecordBatch:
    """Dictionaries as plain strings, formulas neutralised, numbers with "," if asked."""
    arrays, fields = [], []
    for field, values in zip(batch.schema, batch.columns, strict=True):
        if pa.types.is_dictionary(values.type):
            values = values.cast(pa.string())
        if pa.types.is_string(values.type):
            values = neutralised(values)
        elif decimal_comma and pa.types.is_floating(values.type):
            values = pc.replace_substring(values.cast(pa.string()), ".", ",")
        arrays.append(values)
        fields.append(pa.field(field.name, values.type))
    return pa.RecordBatch.from_arrays(arrays, schema=pa.schema(fields))


def csv(batches: Iterable[pa.RecordBatch], *, excel_sv: bool = False) -> Iterator[bytes]:
    """CSV, UTF-8, a header row; `excel_sv`: ";" between cells, decimal comma and a BOM,
    as Swedish Excel opens it with a double click."""
    sink, writer = _Sink(), None
    options = pacsv.WriteOptions(delimiter=";" if excel_sv else ",", quoting_style="needed")
    if excel_sv:
        yield BOM
    for batch in batches:
        batch = for_spreadsheet(batch, decimal_comma=excel_sv)
        if writer is None:
            writer = pacsv.CSVWriter(sink, batch.schema, write_options=options)
        writer.write_batch(batch)
        yield sink.take()
    if writer is not None:
        writer.close()
    yield sink.take()


def parquet(
    batches: Iterable[pa.RecordBatch], schema: pa.Schema, codebook: bytes
) -> Iterator[bytes]:  # noqa: E501
    """Parquet with the export's schema, strings dictionary-encoded, zstd-compressed; the
    JSON codebook rides along in the schema metadata (key `sensemaker.codebook`)."""
    sink = _Sink()
    schema = schema.with_metadata({b"sensemaker.codebook": codebook})
    writer = pq.ParquetWriter(sink, schema, compression="zstd", use_dictionary=True)
    waiting, rows = [], 0
    for batch in batches:
        waiting.append(batch)
        rows += batch.num_rows
        # A few chunks per row group: fewer, larger row groups read faster, and the
        # buffer stays small.
        if rows >= ROW_GROUP:
            writer.write_table(pa.Table.from_batches(waiting, schema=schema))
            waiting, rows = [], 0
            yield sink.take()
    if waiting:
        writer.write_table(pa.Table.from_batches(waiting, schema=schema))
    writer.close()
    yield sink.take()


def json_lines(batches: Iterable[pa.RecordBatch]) -> Iterator[bytes]:
    """JSON Lines: one object per row, empty cells as null (pandas `lines=True`, pyarrow)."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for batch in batches:
        yield "".join(dumps(row) + "\n" for row in batch.to_pylist()).encode("utf-8")


def xlsx(batches: Iterable[pa.RecordBatch], codebook: dict) -> Iterator[bytes]:
    """An Excel workbook: the data sheet (continued on further sheets past Excel's row
    limit) and a codebook sheet."""
    import xlsxwriter

    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        options = {"constant_memory": True, "strings_to_formulas": False,
                   "strings_to_urls": False, "strings_to_numbers": False}  # fmt: skip
        workbook = xlsxwriter.Workbook(path, options)
        bold = workbook.add_format({"bold": True})
        sheet, row, sheets = None, 0, 0
        for batch in batches:
            batch = for_spreadsheet(batch)
            for record in zip(*(c.to_pylist() for c in batch.columns), strict=True):
                if sheet is None or row == XLSX_ROWS:
                    sheets += 1
                    sheet = workbook.add_worksheet("data" if sheets == 1 else f"data{sheets}")
                    sheet.write_row(0, 0, batch.schema.names, bold)
                    row = 1
                sheet.write_row(row, 0, record)
                row += 1
            if sheet is None:
                sheet = workbook.add_worksheet("data")
                sheet.write_row(0, 0, batch.schema.names, bold)
        _codebook_sheet(workbook.add_worksheet("codebook"), codebook, bold)
        workbook.close()
        with open(path, "rb") as file:
            while block := file.read(1 << 20):
                yield block
    finally:
        os.unlink(path)


def _codebook_sheet(sheet, codebook: dict, bold) -> None:
    keys = ("name", "type", "question", "part", "question_text", "label", "range", "meaning",
            "empty")  # fmt: skip
    sheet.write_row(0, 0, keys, bold)
    for row, column in enumerate(codebook["columns"], start=1):
        cells = [column[key] for key in keys]
        cells = [" / ".join(f"{k}: {v}" for k, v in c.items()) if isinstance(c, dict) else c
                 for c in cells]  # fmt: skip
        sheet.write_row(row, 0, [_safe(cell) for cell in cells])
    notes = len(codebook["columns"]) + 2
    for offset, note in enumerate(codebook["methods"]["notes"]):
        sheet.write_string(notes + offset, 0, _safe(note))


def _safe(text):
    if isinstance(text, str) and text.startswith(FORMULA_STARTS):
        return SPREADSHEET_PREFIX + text
    return text


def bundle(data: Iterable[bytes], data_name: str, codebook, survey_yaml: bytes,
           markdown) -> Iterator[bytes]:  # fmt: skip
    """A ZIP of the data file, the codebook (Markdown and JSON) and the survey definition.

    `codebook` and `markdown` are called after the data is written, so the codebook can
    give the number of rows.
    """
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open(data_name, "w", force_zip64=True) as member:
            for block in data:
                member.write(block)
                yield sink.take()
        archive.writestr("codebook.json", codebook())
        archive.writestr("codebook.md", markdown())
        archive.writestr("survey.yaml", survey_yaml)
    yield sink.take()
