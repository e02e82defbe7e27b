"""`sensemaker user …`: accounts and their survey assignments from the command line."""

import sys

import click

from .. import accounts, db
from ..i18n import gettext
from . import Context, cli, pass_context

ACTOR = "cli"


def _password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password / Lösenord", hide_input=True, confirmation_prompt=True)


def _user_or_exit(ctx: Context, email: str) -> dict:
    user = db.get_user_by_email(ctx.db, email)
    if user is None:
        ctx.say("accounts.no_user", err=True, email=email)
        sys.exit(1)
    return user


def _fail(ctx: Context, key: str) -> None:
    click.echo(gettext(key, ctx.lang), err=True)
    sys.exit(1)


@cli.group()
def user():
    """Add, list, disable and assign users.

    Example: sensemaker user add anna@region.se --role facilitator
    """


@user.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(db.ROLES), required=True)
@click.option("--language", type=click.Choice(["sv", "en"]), default="sv", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@pass_context
def user_add(ctx: Context, email, role, language, password_stdin):
    """Add a user; the password is asked for, or read with --password-stdin.

    Example: sensemaker user add anna@region.se --role analyst --password-stdin < pw.txt
    """
    errors = accounts.add_user(ctx.db, ACTOR, email, role, _password(password_stdin), language)
    for field, key in errors.items():
        click.echo(f"{field}: {gettext(key, ctx.lang)}", err=True)
    if errors:
        sys.exit(1)
    ctx.say("admin.user_added", email=email.strip().lower())


@user.command("list")
@pass_context
def user_list(ctx: Context):
    """List users with role, status and assigned surveys.

    Example: sensemaker user list
    """
    for account in db.list_users(ctx.db):
        status = gettext("admin.active" if account["active"] else "admin.disabled", ctx.lang)
        surveys = ",".join(account["surveys"]) or "-"
        click.echo(f"{account['email']}\t{account['role']}\t{status}\t{surveys}")


@user.command("disable")
@click.argument("email")
@pass_context
def user_disable(ctx: Context, email):
    """Disable a user: they cannot sign in, and open sessions end at once.

    Example: sensemaker user disable anna@region.se
    """
    error = accounts.set_active(ctx.db, ACTOR, _user_or_exit(ctx, email), False)
    if error:
        _fail(ctx, error)
    ctx.say("admin.done_disable", email=email)


@user.command("enable")
@click.argument("email")
@pass_context
def user_enable(ctx: Context, email):
    """Enable a disabled user again.

    Example: sensemaker user enable anna@region.se
    """
    accounts.set_active(ctx.db, ACTOR, _user_or_exit(ctx, email), True)
    ctx.say("admin.done_enable", email=email)


@user.command("assign")
@click.argument("email")
@click.argument("survey_id")
@click.option("--remove", is_flag=True, help="Remove the assignment instead.")
@pass_context
def user_assign(ctx: Context, email, survey_id, remove):
    """Give a user access to a survey's stories (or take it away with --remove).

    Example: sensemaker user assign anna@region.se trygg-omsorg
    """
    account = _user_or_exit(ctx, email)
    error = accounts.set_assignment(ctx.db, ACTOR, account, survey_id, not remove)
    if error:
        _fail(ctx, error)
    ctx.say("admin.done_unassign" if remove else "admin.done_assign", email=email)
