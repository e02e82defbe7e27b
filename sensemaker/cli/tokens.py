"""`sensemaker token …`: tokens for the read API, made, listed and revoked."""

import sys

import click

from .. import db, tokens
from ..i18n import gettext
from . import Context, cli, pass_context

ACTOR = "cli"


@cli.group()
def token():
    """Make, list and revoke tokens for the read API (analysts and admins).

    Example: sensemaker token create anna@region.se --name "R on my laptop"
    """


@token.command("create")
@click.argument("email")
@click.option("--name", default=None, help="A label for the token, e.g. where it is used.")
@click.option("--expires-days", type=int, default=None, help="Stop working after N days.")
@pass_context
def token_create(ctx: Context, email, name, expires_days):
    """Make a token for a user; it is printed once and never stored.

    Example: sensemaker token create anna@region.se --name R --expires-days 90
    """
    try:
        made = tokens.create(ctx.db, email, ACTOR, name=name, expires_days=expires_days)
    except tokens.TokenRefused as refused:
        ctx.say(refused.key, err=True, **refused.params)
        sys.exit(1)
    ctx.say("token.made", id=made.id, email=email.strip().lower())
    click.echo(made.secret)
    ctx.say("token.shown_once", err=True)


@token.command("list")
@click.argument("email", required=False)
@pass_context
def token_list(ctx: Context, email):
    """List tokens (of one user, or all): id, user, name, state, last use. Never the token.

    Example: sensemaker token list anna@region.se
    """
    user_id = None
    if email:
        user = db.get_user_by_email(ctx.db, email)
        if user is None:
            ctx.say("accounts.no_user", err=True, email=email)
            sys.exit(1)
        user_id = user["id"]
    rows = db.list_tokens(ctx.db, user_id)
    if not rows:
        ctx.say("token.list_empty")
    for row in rows:
        reason = tokens.problem(row)
        state = gettext(reason or "token.state_working", ctx.lang)
        never = gettext("token.never_used", ctx.lang)
        click.echo(
            f"{row['id']}\t{row['email']}\t{row['name'] or '-'}\t{state}\t"
            f"{row['last_used_at'] or never}"
        )


@token.command("revoke")
@click.argument("token_id", type=int)
@pass_context
def token_revoke(ctx: Context, token_id):
    """Revoke a token by its id (see `token list`); it stops working at once.

    Example: sensemaker token revoke 3
    """
    revoked = tokens.revoke(ctx.db, token_id, ACTOR)
    if revoked is None:
        ctx.say("token.no_such", err=True, id=token_id)
        sys.exit(1)
    ctx.say("token.revoked_done", id=token_id, email=revoked["email"])
