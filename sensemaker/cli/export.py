"""`sensemaker export`: an analyst dataset with its codebook, written to a file."""

import os
import sys
from pathlib import Path

import click

from .. import export as exports
from ..export import codebook as codebooks
from . import Context, cli, pass_context

ACTOR = "cli"


@cli.command("export")
@click.argument("survey_id")
@click.option("--format", "fmt", type=click.Choice(exports.FORMATS), required=True,
              help="csv, csv-excel-sv (Swedish Excel), xlsx, json (JSON Lines), parquet, "
              "or zip (CSV, codebook and survey definition together).")  # fmt: skip
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="File to write.")
@click.option("--run", "run_id", type=int, default=None,
              help="Add the clusters of this cluster run (see 'sensemaker cluster').")  # fmt: skip
@click.option("--filter", "filters", multiple=True, metavar="KEY=VALUE",
              help="question=option, from=YYYY-MM-DD, to=YYYY-MM-DD, language=sv, "
              "prompt=id, cluster=N (with --run). Repeat to combine (all must hold).")  # fmt: skip
@click.option("--layout", type=click.Choice(exports.LAYOUTS), default="wide", show_default=True,
              help="wide: one row per story; long: one row per answer "
              "(csv, json, parquet, zip).")  # fmt: skip
@pass_context
def export_command(ctx: Context, survey_id, fmt, out, run_id, filters, layout):
    """Export a survey's stories for analysis, with a codebook (Markdown and JSON).

    The codebook is written beside the file (NAME.codebook.md and NAME.codebook.json),
    or inside it for zip. Personal data in free text is masked unless an admin has
    turned masking off. The export is recorded in the audit log.

    Example: sensemaker export trygg-omsorg --format csv-excel-sv --out trygg.csv --filter roll=patient
    """  # noqa: E501
    try:
        result = exports.export(ctx.db, survey_id, fmt, run_id=run_id, filters=list(filters),
                                layout=layout, actor=ACTOR, lang=ctx.lang)  # fmt: skip
    except exports.ExportError as error:
        click.echo(error.message(ctx.lang), err=True)
        sys.exit(2)
    target = Path(out)
    partial = target.with_name(f".{target.name}.partial")
    # Written beside the target and renamed at the end: a failed export leaves no half file.
    try:
        with open(partial, "wb") as file:
            for chunk in result.chunks:
                file.write(chunk)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    ctx.say("export.cli_written", file=str(target), rows=result.codebook["rows"], format=fmt,
            layout=layout)  # fmt: skip
    if fmt != "zip":
        stem = target.with_name(target.name.split(".")[0] or target.name)
        markdown, json_file = Path(f"{stem}.codebook.md"), Path(f"{stem}.codebook.json")
        markdown.write_bytes(codebooks.to_markdown(result.codebook, ctx.lang))
        json_file.write_bytes(codebooks.to_json(result.codebook))
        ctx.say("export.cli_codebook", files=f"{markdown}, {json_file}")
    if not result.codebook["personal_data_masked"]:
        ctx.say("export.cli_unmasked", err=True)
