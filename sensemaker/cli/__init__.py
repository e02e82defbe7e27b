"""The `sensemaker` command: a thin layer over the library, one command per task.

Messages follow the operator's locale (`LANG=sv_SE.UTF-8` gives Swedish) or `--lang`.
"""

import os
from pathlib import Path

import click

from .. import db, default_database
from ..i18n import gettext


def _cli_language() -> str:
    env = os.environ.get("SENSEMAKER_LANG") or os.environ.get("LANG", "")
    return "sv" if env.lower().startswith("sv") else "en"


class Context:
    def __init__(self, db_path: str, lang: str):
        self.db_path = db_path
        self.lang = lang
        self._db = None

    @property
    def db(self):
        if self._db is None:
            Path(self.db_path).parent.mkdir(parents=True, exist_ok=True)
            self._db = db.connect(self.db_path)
        return self._db

    def say(self, key: str, err: bool = False, **params) -> None:
        click.echo(gettext(key, self.lang, **params), err=err)


pass_context = click.make_pass_decorator(Context)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_path",
    default=default_database,
    show_default="$SENSEMAKER_DB or instance/sensemaker.db",
    help="SQLite database file.",
)
@click.option("--lang", type=click.Choice(["sv", "en"]), default=None, help="Message language.")
@click.pass_context
def cli(ctx, db_path, lang):
    """Sensemaker: self-signified stories and their patterns.

    Example: sensemaker --db instance/demo.db survey load surveys/*.yaml
    """
    ctx.obj = Context(db_path, lang or _cli_language())


def main():
    cli(prog_name="sensemaker")


# Each module registers its commands on `cli`.
from . import (  # noqa: E402,F401
    accounts,
    analysis,
    commands,
    export,
    imports,
    maintenance,
    tokens,
)
