"""Analyst datasets: a survey's fragments as CSV, Swedish-Excel CSV, XLSX, JSON Lines,
Parquet or a ZIP bundle, always with a codebook.

    result = export(database, "trygg-omsorg", "csv", run_id=3, filters=["roll=patient"],
                    actor="analytiker@region.se")
    for chunk in result.chunks: ...          # bytes, streamed; result.filename, .mimetype

`export` checks everything and writes the audit entry before it returns; nothing is read
until `chunks` is iterated, and then only one chunk of fragments at a time. The layouts
and column names are in `columns` and docs/exports.md.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import yaml

from .. import db, findings
from . import codebook as codebooks
from . import filters as filtering
from . import rows, writers
from .columns import wide_layout
from .errors import ExportError

FORMATS = ("csv", "csv-excel-sv", "xlsx", "json", "parquet", "zip")
LAYOUTS = ("wide", "long")
LONG_FORMATS = ("csv", "json", "parquet", "zip")
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "csv-excel-sv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/x-ndjson; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
    "zip": "application/zip",
}
EXTENSIONS = {"csv": "csv", "csv-excel-sv": "sv.csv", "xlsx": "xlsx", "json": "jsonl",
              "parquet": "parquet", "zip": "zip"}  # fmt: skip
MASK_SETTING = "export_mask_personal_data"


@dataclass
class Export:
    """A streamed export: iterate `chunks` once. `codebook` is complete (with `rows`)
    once the chunks are used up."""

    chunks: Iterator[bytes]
    mimetype: str
    filename: str
    codebook: dict = field(default_factory=dict)


def export(database, survey_id: str, fmt: str, *, run_id: int | None = None,
           filters: list[str] | tuple[str, ...] = (), layout: str = "wide", actor: str,
           lang: str = "sv") -> Export:  # fmt: skip
    """An export of the survey's fragments; records who exported what in the audit log.

    Raises ExportError for an unknown survey, format, layout, run or filter. `lang` is the
    language of the codebook's explanations.
    """
    plan = _plan(database, survey_id, fmt, run_id, filters, layout, lang)
    db.audit(database, actor, "export", survey_id=survey_id, format=fmt, layout=layout,
             run=run_id, filters=plan.filters.written, masked=plan.masked)  # fmt: skip
    book, wide = plan.codebook, plan.layout
    read = rows.wide_batches(database, wide, plan.filters, run=plan.run, mask=plan.masked)
    counted = _counting(rows.prefetched(read), book)
    batches = rows.long_batches(wide, counted) if layout == "long" else counted
    schema = rows.LONG_SCHEMA if layout == "long" else wide.schema()
    chunks = _chunks(fmt, batches, schema, book, lang, wide.survey)
    day = book["exported_at"][:10]
    name = f"{survey_id}-{day}{'-long' if layout == 'long' else ''}.{EXTENSIONS[fmt]}"
    return Export(chunks, MIMETYPES[fmt], name, book)


def codebook_for(database, survey_id: str, fmt: str = "csv", *, run_id: int | None = None,
                 filters=(), layout: str = "wide", lang: str = "sv") -> dict:  # fmt: skip
    """The codebook an export with these settings would have, without its row count.

    Reads no story, so nothing is recorded in the audit log. Raises ExportError as
    `export` does.
    """
    return _plan(database, survey_id, fmt, run_id, filters, layout, lang).codebook


@dataclass(frozen=True)
class _Plan:
    layout: object  # columns.WideLayout
    filters: object  # filters.Filters
    run: object  # findings.StoredRun | None
    masked: bool
    codebook: dict


def _plan(database, survey_id, fmt, run_id, filters, layout, lang) -> _Plan:
    """Everything checked and decided before a single fragment is read."""
    survey = db.get_survey(database, survey_id)
    if survey is None:
        raise ExportError("export.no_survey", survey=survey_id)
    if fmt not in FORMATS:
        raise ExportError("export.format", format=fmt, formats=", ".join(FORMATS))
    if layout not in LAYOUTS or layout == "long" and fmt not in LONG_FORMATS:
        raise ExportError("export.layout", layout=layout, formats=", ".join(LONG_FORMATS))
    run = _run(database, survey_id, run_id)
    chosen = filtering.parse(list(filters), survey, has_run=run is not None)
    masked = db.get_setting(database, MASK_SETTING, "on") != "off"
    wide = wide_layout(survey, with_cluster=run is not None)
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    book = codebooks.build(wide, lang, fmt=fmt, layout_name=layout, masked=masked,
                           filters=chosen.written, run=run, exported_at=stamp)  # fmt: skip
    return _Plan(wide, chosen, run, masked, book)


def _run(database, survey_id: str, run_id):
    if run_id is None:
        return None
    if isinstance(run_id, bool) or not isinstance(run_id, int):
        raise ExportError("export.run", run=run_id)
    record = db.get_cluster_run(database, run_id)
    if record is None or record["survey_id"] != survey_id:
        raise ExportError("export.run", run=run_id)
    return findings.load_run(database, run_id)


def _counting(batches, book: dict):
    book["rows"] = 0
    for batch in batches:
        book["rows"] += batch.num_rows
        yield batch


def _chunks(fmt, batches, schema, book, lang, survey) -> Iterator[bytes]:
    if fmt in ("csv", "csv-excel-sv"):
        return writers.csv(batches, excel_sv=fmt == "csv-excel-sv")
    if fmt == "parquet":
        return writers.parquet(batches, schema, codebooks.to_json(book))
    if fmt == "json":
        return writers.json_lines(batches)
    if fmt == "xlsx":
        return writers.xlsx(batches, book)
    definition = yaml.safe_dump(survey.definition, allow_unicode=True, sort_keys=False)
    return writers.bundle(
        writers.csv(batches), "data.csv", lambda: codebooks.to_json(book),
        definition.encode("utf-8"), lambda: codebooks.to_markdown(book, lang),
    )  # fmt: skip


__all__ = ["FORMATS", "LAYOUTS", "Export", "ExportError", "codebook_for", "export"]
