"""`sensemaker export`: writes the file and its codebook, refuses clearly, is audited."""

import json
import zipfile

import pandas as pd
import pytest
from click.testing import CliRunner

from sensemaker import db
from sensemaker.cli import cli

from .conftest import DATA


@pytest.fixture
def run(db_path):
    runner = CliRunner()

    def invoke(*args, lang="en"):
        return runner.invoke(cli, ["--db", db_path, "--lang", lang, *args])

    assert invoke("survey", "load", str(DATA / "all_kinds.yaml")).exit_code == 0
    assert invoke("generate", "all_kinds", "--n", "40", "--seed", "2").exit_code == 0
    return invoke


def test_export_writes_the_file_and_the_codebook(run, tmp_path, db_path):
    out = tmp_path / "trygg.csv"
    result = run("export", "all_kinds", "--format", "csv", "--out", str(out),
                 "--filter", "role=patient", "--filter", "language=sv")  # fmt: skip
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert set(frame["role"]) == {"patient"} and set(frame["language"]) == {"sv"}
    assert f"{len(frame)} rows" in result.output
    codebook = json.loads((tmp_path / "trygg.codebook.json").read_text())
    assert codebook["rows"] == len(frame)
    assert codebook["filters"] == ["role=patient", "language=sv"]
    assert "`safety__staff`" in (tmp_path / "trygg.codebook.md").read_text()
    entry = db.audit_entries(db.connect(db_path), action="export")[0]
    assert entry["actor"] == "cli" and entry["details"]["filters"] == codebook["filters"]


def test_zip_holds_its_own_codebook(run, tmp_path):
    out = tmp_path / "bundle.zip"
    result = run("export", "all_kinds", "--format", "zip", "--layout", "long", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "codebook.md" in zipfile.ZipFile(out).namelist()
    assert not list(tmp_path.glob("*.codebook.*"))


@pytest.mark.parametrize("args, message", [
    (["--filter", "role=king"], "has no option 'king'"),
    (["--filter", "from=23/11/2026"], "is not a date"),
    (["--run", "42"], "There is no cluster run 42"),
    (["--layout", "long", "--format", "xlsx"], "long layout"),
])  # fmt: skip
def test_bad_requests_write_nothing(run, tmp_path, args, message):
    out = tmp_path / "out" / "x.out"
    out.parent.mkdir()
    if "--format" not in args:
        args = [*args, "--format", "csv"]
    result = run("export", "all_kinds", "--out", str(out), *args)
    assert result.exit_code == 2 and message in result.output
    assert list(out.parent.iterdir()) == []


def test_unknown_survey_in_swedish(run, tmp_path):
    result = run("export", "finns-inte", "--format", "csv", "--out", str(tmp_path / "x.csv"),
                 lang="sv")  # fmt: skip
    assert result.exit_code == 2 and "Enkäten 'finns-inte' finns inte." in result.output


def test_unmasked_exports_say_so(run, tmp_path, db_path):
    db.set_setting(db.connect(db_path), "export_mask_personal_data", "off")
    result = run("export", "all_kinds", "--format", "parquet", "--out", str(tmp_path / "x.parquet"))
    assert result.exit_code == 0 and "NOT masked" in result.output
