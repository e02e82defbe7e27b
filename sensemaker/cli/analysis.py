"""`sensemaker cluster` and `sensemaker patterns`: the analysis from the command line."""

import csv
import sys

import click

from .. import db, findings
from ..i18n import gettext
from . import Context, cli, pass_context


class KChoice(click.ParamType):
    """`auto` or a whole number of clusters from 2 to 20."""

    name = "auto|N"

    def convert(self, value, param, ctx):
        if value in (None, "auto"):
            return None
        number = str(value)
        if number.isdigit() and 2 <= int(number) <= 20:
            return int(number)
        self.fail("use 'auto' or a whole number from 2 to 20", param, ctx)


def _questions(ctx: Context, survey_id: str, raw: str | None) -> list[str] | None:
    if not raw:
        return None
    survey = db.get_survey(ctx.db, survey_id)
    chosen = [part.strip() for part in raw.split(",") if part.strip()]
    numeric = {q.id for q in survey.questions.values() if q.kind in ("triad", "dyad", "stones")}
    unknown = [q for q in chosen if q not in numeric]
    if unknown:
        ctx.say("cli.cluster_unknown_questions", err=True, questions=", ".join(unknown),
                allowed=", ".join(sorted(numeric)))  # fmt: skip
        sys.exit(2)
    return chosen


@cli.command()
@click.argument("survey_id")
@click.option("--questions", help="Comma-separated question ids (default: triads and dyads).")
@click.option("--k", "k", type=KChoice(), default="auto", show_default=True)
@click.option("--seed", default=0, show_default=True, help="Same seed, same clusters.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write fragment_id,cluster CSV.")
@click.option(
    "--na",
    type=click.Choice(["exclude", "indicator"]),
    default="exclude",
    show_default=True,
    help="Leave out stories with N/A, or cluster it as data.",
)
@pass_context
def cluster(ctx: Context, survey_id, questions, k, seed, out, na):
    """Cluster a survey's stories, store the run, and print what sets each cluster apart.

    Clusters are numbered from 1, largest first; stories left out (N/A or not answered
    on a chosen question) have an empty cluster in --out.

    Example: sensemaker cluster trygg-omsorg --k auto --seed 1 --out clusters.csv
    """
    if db.get_survey(ctx.db, survey_id) is None:
        ctx.say("cli.no_survey", err=True, survey=survey_id)
        sys.exit(2)
    chosen = _questions(ctx, survey_id, questions)
    stored, descriptions = findings.run_clustering(
        ctx.db, survey_id, questions=chosen, k=k, seed=seed, na=na
    )
    run = stored.run
    clustered = int((run.labels >= 0).sum())
    ctx.say("cli.cluster_run", id=stored.id, k=run.k, chosen=run.chosen_by,
            clustered=clustered, left_out=len(run.labels) - clustered)  # fmt: skip
    for score in run.scores:
        ctx.say("cli.cluster_score", k=score["k"], silhouette=_number(score["silhouette"]),
                ch=_number(score["calinski_harabasz"]))  # fmt: skip
    survey = db.get_survey(ctx.db, survey_id)
    patterns = findings.analysis.cluster_patterns(descriptions, findings.vocabularies(survey))
    for description in descriptions:
        ctx.say("cli.cluster_size", cluster=description.cluster, size=description.size,
                share=round(100 * description.share))  # fmt: skip
        for pattern in patterns:
            if pattern.cluster == description.cluster:
                click.echo(f"    – {pattern.text[ctx.lang]}")
    if out:
        facts = db.fragment_facts(ctx.db, survey_id)
        ids = dict(zip(facts["seq"], facts["id"], strict=True))
        with open(out, "w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(["fragment_id", "cluster"])
            for seq, label in zip(stored.seqs.tolist(), run.labels.tolist(), strict=True):
                writer.writerow([ids[seq], label + 1 if label >= 0 else ""])
        ctx.say("cli.cluster_written", file=out)


def _number(value) -> str:
    return "–" if value is None else f"{value:.3f}"


@cli.command()
@click.argument("survey_id")
@click.option("--by", help="A choice question whose groups to compare (default: demographics).")
@click.option("--lang", "language", type=click.Choice(["sv", "en"]), default=None,
              help="Language of the sentences (default: the command's language).")  # fmt: skip
@click.option("--limit", default=20, show_default=True, help="How many patterns at most.")
@pass_context
def patterns(ctx: Context, survey_id, by, language, limit):
    """Print the notable patterns of a survey in plain words, strongest first.

    Differences between the groups of a choice question, each with its test and q-value,
    then the strongest features of the latest clustering run.

    Example: sensemaker patterns trygg-omsorg --by roll --lang sv
    """
    survey = db.get_survey(ctx.db, survey_id)
    if survey is None:
        ctx.say("cli.no_survey", err=True, survey=survey_id)
        sys.exit(2)
    if by is not None and getattr(survey.questions.get(by), "kind", None) != "choice":
        ctx.say("cli.patterns_by", err=True, question=by)
        sys.exit(2)
    lang = language or ctx.lang
    found = findings.survey_patterns(ctx.db, survey_id, by=by, limit=limit)
    if not found:
        click.echo(gettext("cli.patterns_none", lang))
    for number, pattern in enumerate(found, start=1):
        click.echo(f"{number}. {pattern.text[lang]}")
