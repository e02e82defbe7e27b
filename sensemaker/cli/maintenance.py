"""Keeping the data safe and lean: backup, restore, purge."""

import os
import shutil
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

from .. import db
from . import Context, cli, pass_context


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@pass_context
def backup(ctx: Context, file):
    """Take a consistent copy of the database while the server keeps running.

    Uses SQLite's online backup API, so stories written during the copy are either in
    it entirely or not at all. The copy is checked before it is kept.

    Example: sensemaker backup /var/backups/sensemaker-$(date +%F).db
    """
    target = Path(file)
    if target.exists():
        ctx.say("cli.backup_exists", err=True, file=file)
        sys.exit(1)
    partial = target.with_name(target.name + ".partial")
    db.backup(ctx.db, str(partial))
    if not db.integrity_ok(str(partial)):
        partial.unlink()
        ctx.say("cli.backup_broken", err=True, file=file)
        sys.exit(1)
    partial.rename(target)
    db.audit(ctx.db, "cli", "backup", target=str(target.name))
    ctx.say("cli.backup_done", file=file, fragments=db.count_fragments(ctx.db))


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Replace the current database without asking.")
@click.pass_context
def restore(click_ctx, file, yes):
    """Replace the database with a backup. Stop the server first.

    The backup is checked, copied beside the database and then moved into place, so a
    failed restore leaves the current database as it was. Schema migrations are applied
    to the restored copy if it came from an older version.

    Example: sensemaker --db instance/sensemaker.db restore /var/backups/sensemaker.db --yes
    """
    ctx: Context = click_ctx.obj
    if not db.integrity_ok(file):
        ctx.say("cli.backup_broken", err=True, file=file)
        sys.exit(1)
    target = Path(ctx.db_path)
    if target.exists() and not yes:
        click.confirm(f"{target} → {file}?", abort=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, staging = tempfile.mkstemp(dir=target.parent, suffix=".restoring")
    os.close(handle)
    shutil.copyfile(file, staging)
    for suffix in ("-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    os.replace(staging, target)
    restored = db.connect(str(target))  # upgrades the schema in place if needed
    db.audit(restored, "cli", "restore", target=Path(file).name)
    ctx.say("cli.restore_done", file=file, fragments=db.count_fragments(restored))


@cli.command()
@pass_context
def purge(ctx: Context):
    """Delete stories older than their survey's retention period; print counts.

    Run it daily (e.g. from cron). Surveys without a retention period are left alone.

    Example: sensemaker purge
    """
    total = 0
    for row in db.list_surveys(ctx.db):
        days = db.survey_settings(ctx.db, row["id"])["retention_days"]
        if not days:
            continue
        before = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="milliseconds")
        removed = db.purge_before(ctx.db, row["id"], before)
        total += removed
        db.audit(ctx.db, "cli", "purge", survey_id=row["id"], removed=removed, days=days)
        ctx.say("cli.purged", survey=row["id"], removed=removed, days=days)
    ctx.say("cli.purged_total", removed=total)
