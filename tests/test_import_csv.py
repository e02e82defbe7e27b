"""Importing any CSV with a mapping file; the round trip capture → export → re-import."""

import json

import pytest

from sensemaker import db, fragments, intake
from sensemaker.export import export
from sensemaker.generate import generate_fragments
from sensemaker.importers.generic_csv import import_csv

from .conftest import DATA

# The mapping in docs/import.md, which reads Sensemaker's own wide CSV export of all_kinds.
DOCS = (DATA.parent.parent / "docs" / "import.md").read_text(encoding="utf-8")
EXPORT_MAPPING = DOCS.split("```yaml\n", 1)[1].split("```", 1)[0]

SMALL = """
survey: all_kinds
key: nr
story: berättelse
default_language: sv
default_collected_at: "2026-01-15T12:00:00+01:00"
default_prompt: good-day
default_consent: true
questions:
  safety: {columns: [personal, familj, själv], scale: 100, na_value: "NA"}
  pace: {column: tempo, scale: [-50, 50]}
  role: {column: roll}
  topics: {column: ämnen, separator: ";"}
"""
HEADER = "nr,berättelse,personal,familj,själv,tempo,roll,ämnen\n"


def csv_bytes(*lines: str) -> bytes:
    return ("\ufeff" + HEADER + "".join(line + "\n" for line in lines)).encode("utf-8")


def stored(database) -> list[dict]:
    rows = database.execute(
        "SELECT id, language, prompt, title, story, consent, collected_at, answers "
        "FROM fragment ORDER BY id"
    ).fetchall()
    keys = ("id", "language", "prompt", "title", "story", "consent", "collected_at", "answers")
    found = [dict(zip(keys, row, strict=True)) for row in rows]
    for record in found:
        record["answers"] = json.loads(record["answers"])
    return found


def test_round_trip_capture_export_reimport(database, all_kinds, tmp_path):
    """Stories stored as the API stores them, exported as wide CSV and imported into a new
    database come back the same: ids, texts, times and every answer, N/A included."""
    batch = generate_fragments(all_kinds, 60, seed=5)
    items = [(f, intake.prepare(f, all_kinds, fragments.body_hash(f.as_body())))
             for f in batch.fragments]  # fmt: skip
    db.insert_fragments(database, items)
    db.set_setting(database, "export_mask_personal_data", "off")
    wide = b"".join(export(database, "all_kinds", "csv", actor="test").chunks)

    target = db.connect(str(tmp_path / "target.db"))
    db.save_survey(target, all_kinds)
    report = import_csv(target, wide, EXPORT_MAPPING)
    assert report.problems == [] and report.created == 60
    before, after = stored(database), stored(target)
    assert [f["id"] for f in after] == [f["id"] for f in before]
    assert "na" in [f["answers"].get("pace") for f in after]  # N/A survives the trip
    for original, again in zip(before, after, strict=True):
        answers = original.pop("answers")
        assert _same(answers, again.pop("answers"))
        assert again == original
    assert import_csv(target, wide, EXPORT_MAPPING).duplicates == 60  # and only once
    target.close()


def _same(expected: dict, got: dict) -> bool:
    """Answers equal up to float rounding, nested (stones, star, choices with "other")."""
    assert set(expected) == set(got)
    for key, value in expected.items():
        if isinstance(value, dict):
            _same(value, got[key])
        elif isinstance(value, list) and value and isinstance(value[0], float | int):
            assert got[key] == pytest.approx(value)
        else:
            assert got[key] == value
    return True


def test_scales_option_texts_and_separators(database):
    data = csv_bytes("1,Hon satt kvar hos mig.,50,30,20,25,Anhörig,food; sleep",
                     "2,Ingen kom.,NA,NA,NA,-50,patient,")  # fmt: skip
    report = import_csv(database, data, SMALL)
    assert report.problems == [] and report.created == 2
    first, second = sorted(stored(database), key=lambda f: f["story"])
    assert first["answers"] == {"safety": pytest.approx([0.5, 0.3, 0.2]), "pace": 0.75,
                                "role": "relative", "topics": ["food", "sleep"]}  # fmt: skip
    assert second["answers"] == {"safety": "na", "pace": 0.0, "role": "patient"}
    assert first["collected_at"] == "2026-01-15T12:00:00+01:00"


def test_the_same_file_twice_adds_nothing_and_a_dry_run_writes_nothing(database):
    data = csv_bytes("1,Hon satt kvar hos mig.,50,30,20,25,patient,")
    assert import_csv(database, data, SMALL, check=True).created == 1
    assert db.count_fragments(database) == 0
    assert import_csv(database, data, SMALL).created == 1
    again = import_csv(database, data, SMALL)
    assert (again.created, again.duplicates) == (0, 1) and db.count_fragments(database) == 1


def test_every_problem_has_its_row_and_column(database):
    data = csv_bytes(
        "1,Bra.,50,30,20,25,patient,",
        "2,För mycket.,60,30,20,25,patient,",  # sums to 110 %
        "3,Utanför.,50,30,20,75,patient,",  # 75 is outside -50…50: reported, not clamped
        "4,Okänt.,50,30,20,0,granne,",
        "5,,50,30,20,0,patient,",
        "6,Dubbelt.,50,30,20,0,patient,food;food",
    )
    report = import_csv(database, data, SMALL, check=True)
    where = {(p.row, p.column, p.key) for p in report.problems}
    assert where == {
        (3, "personal, familj, själv", "import.triad_sum"),
        (4, "tempo", "import.out_of_range"),
        (5, "roll", "import.unknown_item"),
        (6, "berättelse", "fragment.story_missing"),
        (7, "ämnen", "answer.choice_repeated"),
    }
    assert report.created == 1 and report.rejected == 5


def test_mapping_problems_stop_before_any_row(database):
    bad = SMALL.replace("survey: all_kinds", "survey: finns-inte")
    assert [p.key for p in import_csv(database, csv_bytes(), bad).problems] == [
        "import.map_no_survey"
    ]
    bad = SMALL.replace("role: {column: roll}", "roll: {column: roll}\n  pace2: {column: x}")
    keys = {p.key for p in import_csv(database, csv_bytes(), bad).problems}
    assert keys == {"import.map_no_question"}
    missing = SMALL.replace("column: tempo", "column: fart")
    report = import_csv(database, csv_bytes("1,Bra.,50,30,20,25,patient,"), missing)
    assert [(p.row, p.column, p.key) for p in report.problems] == [
        (1, "fart", "import.missing_column")
    ]
    assert db.count_fragments(database) == 0
    assert import_csv(database, b"", "story: [", check=True).problems[0].key == "import.map_yaml"


def test_cli_reports_rows_and_columns(app, tmp_path):
    from click.testing import CliRunner

    from sensemaker.cli import cli

    (tmp_path / "data.csv").write_bytes(csv_bytes("1,Bra.,50,30,20,25,patient,",
                                                  "2,Fel.,50,30,20,99,patient,"))  # fmt: skip
    (tmp_path / "map.yaml").write_text(SMALL, encoding="utf-8")
    args = ["--db", app.config["DATABASE"], "--lang", "en", "import-csv",
            str(tmp_path / "data.csv"), str(tmp_path / "map.yaml")]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "row 3, column tempo: 99 is outside -50–50." in result.output
    assert "rows: 2, added: 1, already stored: 0, rejected: 1, problems: 1" in result.output
