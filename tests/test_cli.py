"""The command line: each command works, explains itself, and fails clearly."""

import json
import shutil
import uuid

import click
import pytest
from click.testing import CliRunner

from sensemaker import db
from sensemaker.cli import cli
from sensemaker.db.migrations import migrations

from .conftest import DATA, ROOT


@pytest.fixture
def run(db_path):
    runner = CliRunner()

    def invoke(*args, lang="en", **kwargs):
        return runner.invoke(cli, ["--db", db_path, "--lang", lang, *args], **kwargs)

    return invoke


@pytest.fixture
def survey_file(tmp_path):
    path = tmp_path / "all_kinds.yaml"
    shutil.copy(DATA / "all_kinds.yaml", path)
    return path


def _commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


@pytest.mark.parametrize("path, command", list(_commands(cli)), ids=lambda v: str(v))
def test_every_command_has_help_with_an_example(path, command):
    assert command.help, f"{' '.join(path)} has no help text"
    assert "Example: sensemaker" in command.help, f"{' '.join(path)} has no example"


def test_init_creates_the_database(run, db_path):
    result = run("init")
    assert result.exit_code == 0
    assert f"migrations: {len(migrations.pending(db.connect(':memory:', migrate=False)))}" in (
        result.output
    )


def test_survey_check_good_file_exits_0(run, survey_file):
    result = run("survey", "check", str(survey_file))
    assert result.exit_code == 0
    assert "no problems" in result.output


def test_survey_check_prints_file_path_and_problem_then_exits_1(run, tmp_path):
    broken = tmp_path / "trasig.yaml"
    text = (DATA / "all_kinds.yaml").read_text(encoding="utf-8")
    text = text.replace("      - {id: self, text: {sv: Jag själv, en: Myself}}\n", "")
    broken.write_text(text, encoding="utf-8")
    result = run("survey", "check", str(broken))
    assert result.exit_code == 1
    assert f"{broken}: questions[0].labels: must have exactly 3 entries, not 2" in result.output


def test_survey_check_speaks_swedish(run, tmp_path):
    broken = tmp_path / "x.yaml"
    broken.write_text("version: noll\n", encoding="utf-8")
    result = run("survey", "check", str(broken), lang="sv")
    assert result.exit_code == 1
    assert "version: ska vara ett heltal" in result.output
    assert "questions: saknas men krävs" in result.output


def test_survey_load_and_list(run, survey_file):
    assert run("survey", "load", str(survey_file)).exit_code == 0
    again = run("survey", "load", str(survey_file))
    assert "already loaded, unchanged" in again.output
    listing = run("survey", "list")
    assert "all_kinds\tversion 1\t0 stories" in listing.output


def test_changed_survey_without_new_version_is_refused(run, survey_file, db_path):
    run("survey", "load", str(survey_file))
    text = survey_file.read_text(encoding="utf-8").replace("Alla frågetyper", "Nytt namn")
    survey_file.write_text(text, encoding="utf-8")
    result = run("survey", "load", str(survey_file))
    assert result.exit_code == 1
    assert "raise the version" in result.output
    assert db.get_survey(db.connect(db_path), "all_kinds").title("sv") == "Alla frågetyper"


def _line(**changes):
    fragment = {
        "id": str(uuid.uuid4()),
        "language": "sv",
        "prompt": "good-day",
        "story": "Det blev en lugn kväll.",
        "consent": True,
        "collected_at": "2026-10-01T20:00:00+02:00",
        "answers": {"role": "patient", "safety": [0.2, 0.3, 0.5], "pace": "na"},
    }
    fragment.update(changes)
    return json.dumps(fragment, ensure_ascii=False)


def test_fragments_load_counts_loaded_duplicates_and_rejected(run, survey_file, tmp_path, db_path):
    run("survey", "load", str(survey_file))
    first = _line()
    conflicting = json.loads(first) | {"story": "Annan text"}
    lines = [
        first,
        _line(),
        first,  # a retry: duplicate
        json.dumps(conflicting),  # same id, different body: rejected
        _line(answers={"role": "king"}),  # invalid option: rejected
        "{broken json",
        "",
        '{"id": "\\ud800", "story": "\\ud800"}',  # a lone surrogate is not text
    ]
    path = tmp_path / "stories.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = run("fragments", "load", "all_kinds", str(path), "--batch", "2")
    assert "loaded: 2, duplicates: 1, rejected: 4" in result.output
    assert "line 8: body:" in result.output
    assert "line 5: role: Unknown option 'king'." in result.output
    assert "line 6: body:" in result.output
    assert "line 4: id:" in result.output
    assert result.exit_code == 1
    assert db.count_fragments(db.connect(db_path), "all_kinds") == 2


def test_fragments_load_unknown_survey(run, tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("", encoding="utf-8")
    result = run("fragments", "load", "finns-inte", str(path))
    assert result.exit_code == 2
    assert "sensemaker survey load" in result.output


def test_shipped_surveys_load_with_demo_layout(run):
    files = sorted(str(p) for p in (ROOT / "surveys").glob("*.yaml"))
    if not files:
        pytest.fail("surveys/ has no example surveys")
    result = run("survey", "load", *files)
    assert result.exit_code == 0, result.output


def test_generate_twice_with_the_same_seed_adds_nothing_and_says_so(run, survey_file, db_path):
    run("survey", "load", str(survey_file))
    first = run("generate", "all_kinds", "--n", "40", "--seed", "5")
    assert first.exit_code == 0 and "40 synthetic stories made" in first.output
    second = run("generate", "all_kinds", "--n", "40", "--seed", "5")
    assert "0 synthetic stories made" in second.output
    assert "Already stored: 40 identical" in second.output
    assert db.count_fragments(db.connect(db_path), "all_kinds") == 40


def test_generate_refuses_a_count_below_one(run, survey_file):
    run("survey", "load", str(survey_file))
    result = run("generate", "all_kinds", "--n", "0")
    assert result.exit_code == 2
