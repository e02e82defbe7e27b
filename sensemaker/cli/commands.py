"""Commands for surveys, stories and serving: init, survey, fragments, generate, serve, demo."""

import secrets
import sys

import click

from .. import SURVEYS, db
from .. import survey as surveys
from ..i18n import gettext
from . import Context, cli, pass_context


@cli.command()
@pass_context
def init(ctx: Context):
    """Create the database, or upgrade it to the current schema.

    Example: sensemaker --db instance/sensemaker.db init
    """
    ctx.say("cli.initialised", path=ctx.db_path, count=len(db.applied_migrations(ctx.db)))


@cli.group()
def survey():
    """Check, load and list survey definitions.

    Example: sensemaker survey check surveys/trygg-omsorg.yaml
    """


@survey.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@pass_context
def survey_check(ctx: Context, files):
    """Validate survey files; print every problem with its place, exit 1 if any.

    Example: sensemaker survey check surveys/*.yaml
    """
    failed = False
    for file in files:
        try:
            surveys.load(file)
        except surveys.SurveyError as error:
            failed = True
            for problem in error.problems:
                message = problem.message(ctx.lang)
                ctx.say("cli.check_problem", file=file, path=problem.path or "-", message=message)
        else:
            ctx.say("cli.check_ok", file=file)
    sys.exit(1 if failed else 0)


@survey.command("load")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@pass_context
def survey_load(ctx: Context, files):
    """Check survey files and store them with their version.

    Example: sensemaker survey load surveys/*.yaml
    """
    sys.exit(0 if load_surveys(ctx, files) else 1)


def load_surveys(ctx: Context, files) -> bool:
    ok = True
    for file in files:
        try:
            definition = surveys.load(file)
            outcome = db.save_survey(ctx.db, definition)
        except surveys.SurveyError as error:
            ok = False
            for problem in error.problems:
                message = problem.message(ctx.lang)
                ctx.say("cli.check_problem", file=file, path=problem.path or "-", message=message)
        except db.VersionConflict:
            ok = False
            ctx.say(
                "cli.version_conflict",
                err=True,
                file=file,
                survey=definition.id,
                version=definition.version,
            )
        else:
            ctx.say(
                "cli.loaded",
                file=file,
                survey=definition.id,
                version=definition.version,
                outcome=gettext(f"cli.outcome_{outcome}", ctx.lang),
            )
    return ok


@survey.command("list")
@pass_context
def survey_list(ctx: Context):
    """List loaded surveys with their current version and number of stories.

    Example: sensemaker survey list
    """
    rows = db.list_surveys(ctx.db)
    if not rows:
        ctx.say("cli.survey_list_empty")
    for row in rows:
        ctx.say("cli.survey_list_row", **row)


@cli.group("fragments")
def fragments_group():
    """Bulk work on stored fragments.

    Example: sensemaker fragments load trygg-omsorg stories.jsonl
    """


@fragments_group.command("load")
@click.argument("survey_id")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--batch", default=1000, show_default=True, help="Fragments per transaction.")
@pass_context
def fragments_load(ctx: Context, survey_id, file, batch):
    """Load fragments from a JSON Lines file, one API-shaped body per line.

    Every line gets the API's validation; a retry of a stored fragment is a duplicate,
    a different body under a stored id is rejected. Exits 1 if anything was rejected.

    Example: sensemaker fragments load trygg-omsorg stories.jsonl
    """
    from ..bulk import load_jsonl

    current = db.get_survey(ctx.db, survey_id)
    if current is None:
        ctx.say("cli.no_survey", err=True, survey=survey_id)
        sys.exit(2)
    report = load_jsonl(ctx.db, current, file, batch=batch)
    for line, field, key, params in report.problems:
        message = gettext(key, ctx.lang, **params)
        ctx.say("cli.fragments_rejected", err=True, line=line, field=field, message=message)
    ctx.say(
        "cli.fragments_summary",
        loaded=report.loaded,
        duplicates=report.duplicates,
        rejected=report.rejected,
    )
    sys.exit(1 if report.rejected else 0)


@cli.command()
@click.argument("survey_id")
@click.option(
    "--n",
    "count",
    default=300,
    show_default=True,
    type=click.IntRange(min=1),
    help="How many stories.",
)
@click.option("--seed", default=1, show_default=True, help="Random seed (same seed, same data).")
@pass_context
def generate(ctx: Context, survey_id, count, seed):
    """Add synthetic, patterned stories to a survey, for demos and benchmarks.

    Stories come from a few latent groups that differ on triads, dyads and choices, with
    border and N/A answers; they are stored with source 'generated'.

    Example: sensemaker generate trygg-omsorg --n 500 --seed 7
    """
    from ..generate import store_generated

    current = db.get_survey(ctx.db, survey_id)
    if current is None:
        ctx.say("cli.no_survey", err=True, survey=survey_id)
        sys.exit(2)
    outcomes, groups = store_generated(ctx.db, current, count, seed)
    ctx.say(
        "cli.generated",
        count=outcomes.count(db.CREATED),
        survey=survey_id,
        groups=groups,
        seed=seed,
    )
    if len(set(outcomes)) > 1 or outcomes[0] != db.CREATED:
        ctx.say(
            "cli.generated_skipped",
            duplicates=outcomes.count(db.DUPLICATE),
            conflicts=outcomes.count(db.CONFLICT),
        )


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--workers", default=None, type=int, help="Worker processes (default: 2 × cores).")
@click.option("--threads", default=4, show_default=True, help="Threads per worker.")
@pass_context
def serve(ctx: Context, host, port, workers, threads):
    """Serve the app with a production WSGI server (gunicorn).

    Example: sensemaker --db instance/sensemaker.db serve --port 8000
    """
    from ..server import run

    db.applied_migrations(ctx.db)  # create or upgrade the schema before workers start
    ctx.say("cli.serving", url=f"http://{host}:{port}/")
    run(ctx.db_path, host, port, workers=workers, threads=threads)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--stories", default=300, show_default=True, help="Synthetic stories per survey.")
@click.pass_context
def demo(click_ctx, host, port, stories):
    """Load the example surveys, add synthetic stories once, and serve the app.

    Example: sensemaker --db instance/demo.db demo
    """
    ctx: Context = click_ctx.obj
    files = sorted(str(p) for p in SURVEYS.glob("*.yaml"))
    if not load_surveys(ctx, files):
        sys.exit(1)
    for row in db.list_surveys(ctx.db):
        if row["fragments"] == 0:
            click_ctx.invoke(generate, survey_id=row["id"], count=stories, seed=1)
    base = f"http://{host}:{port}"
    ctx.say("cli.demo_open")
    for row in db.list_surveys(ctx.db):
        title = db.get_survey(ctx.db, row["id"]).title(ctx.lang)
        ctx.say("cli.demo_form", title=title, url=f"{base}/s/{row['id']}")
    for role, email, password in demo_users(ctx.db):
        role_name = gettext(f"role.{role}", ctx.lang)
        ctx.say("cli.demo_user", role=role_name, email=email, password=password,
                url=f"{base}/login")  # fmt: skip
    ctx.say("cli.demo_stop")
    click_ctx.invoke(serve, host=host, port=port, workers=None, threads=4)


DEMO_USERS = (("facilitator", "facilitator@demo.invalid"), ("admin", "admin@demo.invalid"))


def demo_users(database) -> list[tuple[str, str, str]]:
    """Demo accounts assigned to every survey, with a fresh password on every start."""
    from ..auth import hash_password

    made = []
    for role, email in DEMO_USERS:
        password = secrets.token_urlsafe(9)
        user = db.get_user_by_email(database, email)
        if user is None:
            user = db.add_user(database, email, role, hash_password(password), "sv")
        else:
            db.update_user(database, user["id"], password_hash=hash_password(password), active=1)
        for row in db.list_surveys(database):
            db.assign(database, user["id"], row["id"])
        made.append((role, email, password))
    return made
