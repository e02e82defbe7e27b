"""Importing SenseMaker® projects: files in the export layout, made by the test itself."""

import csv
import io
import json

import pytest
from click.testing import CliRunner

from sensemaker import db
from sensemaker import survey as surveys
from sensemaker.cli import cli
from sensemaker.importers.sample import STORIES, columns, definition, rows, sample_project
from sensemaker.importers.sensemaker_project import import_project
from sensemaker.importers.values import identifier, plain_text, unwrap


@pytest.fixture
def database(tmp_path):
    conn = db.connect(str(tmp_path / "import.db"))
    yield conn
    conn.close()


def signifier(project, kind, index=0):
    return [s for s in project["sections"][0]["signifiers"] if s["type"] == kind][index]


def edited(project, n, change) -> bytes:
    """The sample CSV with `change(row_as_dict)` applied to every row."""
    names = columns(project)
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(names)
    for values in rows(project, n):
        row = dict(zip(names, values, strict=True))
        change(row)
        writer.writerow([row[name] for name in names])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def stored(database):
    return {
        row[0]: (row[1], json.loads(row[2]), row[3], row[4])
        for row in database.execute(
            "SELECT id, story, answers, language, source FROM fragment ORDER BY seq"
        ).fetchall()
    }


def test_the_project_becomes_a_survey_that_passes_the_checks(database):
    project, data = sample_project(30)
    report = import_project(database, project, data)
    assert report.problems == [] and report.survey_outcome == "new"
    survey = db.get_survey(database, report.survey_id)
    assert surveys.check(survey.definition) == []
    assert survey.id == "trygg-vard-berattelser"  # from the name, letters without marks
    kinds = [q.kind for q in survey.questions.values()]
    assert kinds == ["choice", "text", "triad", "dyad", "stones", "choice"]  # layout left out
    triad = next(q for q in survey.questions.values() if q.kind == "triad")
    assert [label["text"] for label in triad.raw["labels"]][0] == "Personalens bemötande"
    assert triad.allow_na
    dyad = next(q for q in survey.questions.values() if q.kind == "dyad")
    assert dyad.raw["labels"][0]["text"] == "Stressat & rörigt"  # HTML entities decoded
    assert survey.definition["story"]["text"] == "Berätta om en händelse i vården"
    assert survey.languages == ("sv", "en")
    assert ("import.one_language", {"language": "sv"}) in report.notes


def test_every_row_becomes_a_fragment_with_its_answers(database):
    project, data = sample_project(42)
    report = import_project(database, project, data)
    assert (report.rows, report.created, report.rejected) == (42, 42, 0)
    fragments = list(stored(database).values())
    assert [story for story, *_ in fragments[:6]] == list(STORIES)  # line breaks kept
    assert "\n" in fragments[1][0] and '"hur mår du?"' in fragments[1][0]
    assert all(source == "import" for *_, source in fragments)
    survey = db.get_survey(database, report.survey_id)
    ids = {q.kind: q.id for q in reversed(survey.questions.values())}
    triad, dyad, stones = ids["triad"], ids["dyad"], ids["stones"]
    assert fragments[3][1][triad] == "na"  # row 3: the triad's N/A column is 1
    assert fragments[2][1][dyad] == "na"
    answered = fragments[0][1]
    assert sum(answered[triad]) == pytest.approx(1.0)
    assert 0 <= answered[dyad] <= 1
    unplaced = [f[1].get(stones, {}) for f in fragments]
    assert any(0 < len(placed) < 3 for placed in unplaced)  # some stones left off the canvas


def test_values_are_read_from_the_right_columns(database):
    project = definition()
    names = columns(project)
    [first] = list(rows(project, 1))
    row = dict(zip(names, first, strict=True))
    report = import_project(database, project, edited(project, 1, lambda r: None))
    [(story, answers, language, _)] = stored(database).values()
    survey = db.get_survey(database, report.survey_id)
    triad_raw = signifier(project, "triad")
    labels = triad_raw["content"]["labels"]
    triad_id = identifier(triad_raw["id"], set())
    expected = [float(row[f"{triad_raw['id']}_{label['id']}"]) for label in labels]
    assert answers[triad_id] == pytest.approx([e / sum(expected) for e in expected])
    dyad_raw = signifier(project, "dyad")
    assert answers[identifier(dyad_raw["id"], set())] == float(row[f"{dyad_raw['id']}_percentX"])
    prompt_raw = signifier(project, "list")
    assert answers[identifier(prompt_raw["id"], set())] == identifier(row[prompt_raw["id"]], set())
    assert story == STORIES[0] and survey is not None


def test_importing_the_same_files_twice_adds_nothing(database):
    project, data = sample_project(25)
    first = import_project(database, project, data)
    before = stored(database)
    second = import_project(database, project, data)
    assert first.created == 25 and (second.created, second.duplicates) == (0, 25)
    assert second.survey_outcome == "unchanged" and second.survey_version == 1
    assert stored(database) == before


def test_a_dry_run_reports_and_writes_nothing(database):
    project, data = sample_project(10)
    report = import_project(database, project, data, check=True)
    assert report.created == 10 and report.problems == []
    assert db.list_surveys(database) == [] and db.count_fragments(database) == 0


def test_problems_are_reported_with_row_and_column_not_clamped(database):
    project = definition()
    triad = signifier(project, "triad")
    dyad = signifier(project, "dyad")
    story = signifier(project, "freetext")
    share = f"{triad['id']}_{triad['content']['labels'][0]['id']}"

    def spoil(row):
        number = int(row["server_upload_time"][-6:]) // 61_000  # the row's index
        if number == 0:
            row[share] = "1.02"  # out of range: reported, not made 1
        if number == 1:
            row[f"{dyad['id']}_percentX"] = "lite"
        if number == 2:
            row[story["id"]] = ""
        if number == 4:
            row[f"{dyad['id']}_NA"] = "1"  # N/A, but the values are there
        if number == 5:
            row["server_upload_time"] = "igår"

    report = import_project(database, project, edited(project, 8, spoil), check=True)
    where = {(p.row, p.column, p.key) for p in report.problems}
    assert (2, share, "import.out_of_range") in where
    assert (3, f"{dyad['id']}_percentX", "import.not_a_number") in where
    assert (4, story["id"], "fragment.story_missing") in where
    assert (6, f"{dyad['id']}_NA", "import.na_with_values") in where
    assert (7, "server_upload_time", "import.bad_time") in where
    assert report.rejected == 5 and report.created == 3
    assert db.count_fragments(database) == 0


def test_shares_that_do_not_sum_to_one_are_reported(database):
    project = definition()
    triad = signifier(project, "triad")
    first = f"{triad['id']}_{triad['content']['labels'][0]['id']}"
    report = import_project(database, project, edited(project, 3, lambda r: r.update(
        {first: "0.9"} if r[first] else {})), check=True)  # fmt: skip
    assert {p.key for p in report.problems} == {"import.triad_sum"}


def test_a_definition_without_a_story_or_with_a_missing_column_imports_nothing(database):
    project, data = sample_project(3)
    signifier(project, "freetext")["fragment"] = False
    report = import_project(database, project, data)
    assert "import.no_story" in {p.key for p in report.problems}
    assert db.list_surveys(database) == []
    project, data = sample_project(3)
    cut = data.decode("utf-8-sig").replace(signifier(project, "dyad")["id"] + "_percentX", "x")
    report = import_project(database, project, cut.encode())
    assert any(p.row == 1 and p.key == "import.missing_column" for p in report.problems)
    assert db.count_fragments(database) == 0


def test_a_changed_project_becomes_a_new_version(database):
    project, data = sample_project(5)
    import_project(database, project, data)
    signifier(project, "triad")["title"] = "Det handlade om…"
    report = import_project(database, project, data)
    assert (report.survey_version, report.survey_outcome) == (2, "new")
    # The same rows are the same stories: never stored twice, and the old ones are kept.
    assert report.created == 0 and db.count_fragments(database) == 5
    assert {p.key for p in report.problems} == {"import.conflict"}


def test_helpers_unwrap_strip_html_and_make_ids():
    assert unwrap([["x"]]) == "x" and unwrap([1, 2]) == [1, 2]
    assert plain_text(["quality<br>demands"]) == "quality demands"
    assert plain_text("<p><i>Ta &amp; ge</i></p>") == "Ta & ge"
    assert plain_text({"en": "Care", "sv": "Vård"}) == "Vård"
    taken: set[str] = set()
    assert identifier("Fråga 1!", taken) == "fraga-1"
    assert identifier("Fråga 1?", taken) == "fraga-1-2"
    assert identifier("", taken) == "q"


def test_cli_imports_and_reports_in_swedish(tmp_path):
    project, data = sample_project(4)
    (tmp_path / "def.json").write_text(json.dumps(project), encoding="utf-8")
    (tmp_path / "data.csv").write_bytes(data)
    runner = CliRunner()
    files = [str(tmp_path / "def.json"), str(tmp_path / "data.csv")]
    base = ["--db", str(tmp_path / "cli.db"), "--lang", "sv", "import-sensemaker", *files,
            "--survey-id", "trygg"]  # fmt: skip
    dry = runner.invoke(cli, [*base, "--check"])
    assert dry.exit_code == 0, dry.output
    assert "Provkörning, inget sparades" in dry.output and "skulle läggas till: 4" in dry.output
    assert "Enkäten 'trygg' version 1: skulle laddas" in dry.output
    done = runner.invoke(cli, base)
    assert done.exit_code == 0 and "tillagda: 4" in done.output
    again = runner.invoke(cli, base)
    assert "tillagda: 0, redan sparade: 4" in again.output
    broken = data.decode("utf-8-sig").replace(",1700000000000,", ",igår,", 1).encode()
    (tmp_path / "data.csv").write_bytes(broken)
    failed = runner.invoke(cli, [*base, "--check"])
    assert failed.exit_code == 1 and "rad 2, kolumn server_upload_time:" in failed.output


def test_a_large_file_is_checked_by_worker_processes_and_stored_in_order(database, monkeypatch):
    from sensemaker.importers import store

    monkeypatch.setattr(store, "PARALLEL_FROM", 10)
    monkeypatch.setattr(store, "CHUNK", 7)
    project = definition()
    story = signifier(project, "freetext")

    def spoil(row):
        if row["server_upload_time"].endswith("1220000"):  # the 21st row (row 22)
            row[story["id"]] = ""

    data = edited(project, 40, spoil)
    parallel = import_project(database, project, data, workers=2)
    assert (parallel.rows, parallel.created, parallel.rejected) == (40, 39, 1)
    assert [(p.row, p.key) for p in parallel.problems] == [(22, "fragment.story_missing")]
    times = [row[0] for row in database.execute("SELECT collected_at FROM fragment ORDER BY seq")]
    assert times == sorted(times)  # stored in the file's order, chunk after chunk
    again = import_project(database, project, data, workers=2, check=True)
    assert (again.created, again.duplicates) == (0, 39)


def test_a_dry_run_finds_a_row_given_twice_in_different_chunks(database, monkeypatch):
    from sensemaker.importers import store

    monkeypatch.setattr(store, "PARALLEL_FROM", 10)
    monkeypatch.setattr(store, "CHUNK", 5)
    project, data = sample_project(12)
    lines = data.decode("utf-8-sig").split("\r\n")
    twice = ("\ufeff" + "\r\n".join([*lines[:-1], lines[1], ""])).encode("utf-8")  # row 2 again
    for workers in (1, 2):
        dry = import_project(database, project, twice, check=True, workers=workers)
        assert (dry.rows, dry.created, dry.duplicates) == (13, 12, 1)
    done = import_project(database, project, twice, workers=2)
    assert (done.created, done.duplicates) == (12, 1) and db.count_fragments(database) == 12
