"""`sensemaker import-sensemaker` and `sensemaker import-csv`: stories made elsewhere."""

import json
import sys
from pathlib import Path

import click

from ..i18n import gettext
from ..importers import ImportReport
from . import Context, cli, pass_context

MAX_PROBLEMS_SHOWN = 200  # a broken file can have a problem in every cell
WORKERS_HELP = "Processes that check a large file (default: one per core)."


def _read(ctx: Context, path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        ctx.say("import.unreadable", err=True, file=path, error=error.strerror or str(error))
        sys.exit(2)


def _report(ctx: Context, report: ImportReport, check: bool) -> None:
    for key, params in report.notes:
        ctx.say(key, **params)
    for problem in report.problems[:MAX_PROBLEMS_SHOWN]:
        where = (
            gettext("import.where_definition", ctx.lang, place=problem.column)
            if problem.row == 0
            else gettext("import.where_row", ctx.lang, row=problem.row, column=problem.column)
        )
        click.echo(f"{where}: {problem.message(ctx.lang)}", err=True)
    if len(report.problems) > MAX_PROBLEMS_SHOWN:
        ctx.say("import.more_problems", err=True, count=len(report.problems) - MAX_PROBLEMS_SHOWN)
    if report.survey_id and report.survey_outcome:
        key = f"cli.outcome_{report.survey_outcome}"
        if check and report.survey_outcome == "new":
            key = "import.outcome_would_load"  # a dry run stores no survey either
        outcome = gettext(key, ctx.lang)
        ctx.say("import.survey", survey=report.survey_id, version=report.survey_version,
                outcome=outcome)  # fmt: skip
    ctx.say("import.summary_check" if check else "import.summary", rows=report.rows,
            created=report.created, duplicates=report.duplicates, rejected=report.rejected,
            problems=len(report.problems))  # fmt: skip
    sys.exit(1 if report.problems else 0)


@cli.command("import-sensemaker")
@click.argument("definition", type=click.Path(dir_okay=False))
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("--survey-id", default=None, help="Survey id (default: from the project).")
@click.option("--check", is_flag=True, help="Report every problem; write nothing.")
@click.option("--workers", type=click.IntRange(min=1), default=None, help=WORKERS_HELP)
@pass_context
def import_sensemaker(ctx: Context, definition, data, survey_id, check, workers):
    """Import a SenseMaker® project: its definition JSON and its CSV export.

    Creates the survey (or finds the version with the same questions) and its stories.
    Importing the same files again adds nothing. Every problem is reported with its row
    and column; rows with problems are skipped. Exits 1 if anything was reported.

    Example: sensemaker import-sensemaker project.json export.csv --survey-id trygg --check
    """
    from ..importers.sensemaker_project import import_project

    try:
        raw = json.loads(_read(ctx, definition).decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        ctx.say("import.bad_definition", err=True, file=definition, error=str(error)[:200])
        sys.exit(2)
    report = import_project(ctx.db, raw, _read(ctx, data), survey_id=survey_id, check=check,
                            workers=workers)  # fmt: skip
    _report(ctx, report, check)


@cli.command("import-csv")
@click.argument("data", type=click.Path(dir_okay=False))
@click.argument("mapping", type=click.Path(dir_okay=False))
@click.option("--check", is_flag=True, help="Report every problem; write nothing.")
@click.option("--workers", type=click.IntRange(min=1), default=None, help=WORKERS_HELP)
@pass_context
def import_csv(ctx: Context, data, mapping, check, workers):
    """Import stories from any CSV into a loaded survey, as a YAML mapping file says.

    The mapping names the survey, the story column and, per question, the columns and
    their scale (docs/import.md). Importing the same file again adds nothing.

    Example: sensemaker import-csv berattelser.csv mapping.yaml --check
    """
    from ..importers.generic_csv import import_csv as run_import

    try:
        mapping_text = _read(ctx, mapping).decode("utf-8-sig")
    except UnicodeDecodeError:
        ctx.say("import.not_utf8_file", err=True, file=mapping)
        sys.exit(2)
    report = run_import(ctx.db, _read(ctx, data), mapping_text, check=check, workers=workers)
    _report(ctx, report, check)
