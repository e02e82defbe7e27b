"""What the analysis finds in a stored survey: clustering runs, and patterns in words.

Glue between storage and the pure analysis: it loads the numbers, calls
`sensemaker.analysis`, stores each clustering run and reads it back by id.
"""

from dataclasses import dataclass, replace
from itertools import combinations

import numpy as np

from . import analysis, db, signification
from .survey import Survey

MIN_GROUP = 10  # smaller groups are described in words, never with a p-value


@dataclass(frozen=True)
class StoredRun:
    id: int
    run: analysis.ClusterRun
    seqs: np.ndarray  # fragment seq of each label


def run_clustering(database, survey_id: str, *, questions=None, k=None, seed=0,
                   actor="cli", na="exclude") -> tuple[StoredRun, list] | None:  # fmt: skip
    """Cluster a survey's fragments, store the run, and describe its clusters."""
    loaded = signification.load(database, survey_id)
    if loaded is None:
        return None
    chosen = questions or default_questions(loaded.survey)
    significations = loaded.significations(chosen)
    spec = analysis.FeatureSpec(tuple(chosen), na=na)
    features = analysis.build_features(significations, spec)
    run = analysis.cluster_fragments(significations, spec, k=k, seed=seed, features=features)
    descriptions = analysis.describe_clusters(run, loaded.significations(), features)
    stored = run.to_json()
    labels = np.asarray(stored.pop("labels"), dtype=np.int16)
    run_id = db.save_cluster_run(
        database, survey_id, actor, stored, loaded.seqs.astype("<i8").tobytes(),
        labels.astype("<i2").tobytes(),
    )  # fmt: skip
    db.audit(database, actor, "cluster.run", survey_id=survey_id, target=str(run_id), k=run.k)
    return StoredRun(run_id, run, loaded.seqs), descriptions


def default_questions(survey: Survey) -> list[str]:
    return [q.id for q in survey.questions.values() if q.kind in ("triad", "dyad")]


def load_run(database, run_id: int) -> StoredRun | None:
    record = db.get_cluster_run(database, run_id)
    if record is None:
        return None
    data = dict(record["run"])
    data["labels"] = np.frombuffer(record["labels"], dtype="<i2").astype(np.int64)
    seqs = np.frombuffer(record["fragment_seqs"], dtype="<i8")
    return StoredRun(record["id"], analysis.ClusterRun.from_json(data), seqs)


def aligned(stored: StoredRun, loaded) -> tuple[analysis.ClusterRun, np.ndarray]:
    """The run restricted to fragments still stored, and their rows in `loaded`.

    Stories told after the run have no label and are left out; stories withdrawn since
    are gone from both.
    """
    rows = np.searchsorted(loaded.seqs, stored.seqs)
    rows = np.minimum(rows, max(len(loaded.seqs) - 1, 0))
    present = loaded.seqs[rows] == stored.seqs if len(loaded.seqs) else rows < 0
    run = replace(stored.run, labels=stored.run.labels[present])
    return run, rows[present]


def vocabularies(survey: Survey, groups: dict[str, list[str]] | None = None) -> dict:
    """Per language, the survey's labels; `groups` gives the two group names per language."""
    questions = survey.definition["questions"]
    return {
        lang: analysis.vocabulary(questions, lang, (groups or {}).get(lang))
        for lang in ("sv", "en")
    }


def choice_groups(survey: Survey, question_id: str, significations) -> list[tuple]:
    """(option id, mask) for each option of a choice question, in the survey's order."""
    answers = significations[question_id]
    return [(option, answers.selected[:, j]) for j, option in enumerate(answers.options)]


def survey_patterns(database, survey_id: str, *, by=None, limit=20) -> list | None:
    """Ranked patterns: differences between the groups of choice questions (`by`, or every
    demographic choice), then the strongest features of the latest clustering run."""
    loaded = signification.load(database, survey_id)
    if loaded is None:
        return None
    survey = loaded.survey
    significations = loaded.significations()
    group_questions = (
        [by]
        if by
        else [q.id for q in survey.questions.values() if q.kind == "choice" and q.demographic]
    )
    demographic = {
        q.id for q in survey.questions.values() if q.kind == "choice" and q.demographic
    } | set(group_questions)
    found = []
    for question_id in group_questions:
        options = survey.questions[question_id].raw["options"]
        names = {o["id"]: o["text"] for o in options}
        groups = [(option, mask) for option, mask in choice_groups(survey, question_id,
                  significations) if mask.sum() >= MIN_GROUP and option in names]  # fmt: skip
        for (first, mask_a), (second, mask_b) in combinations(groups, 2):
            both = mask_a & mask_b  # a multiple choice may put a teller in both groups
            compared = analysis.compare_groups(
                significations, mask_a & ~both, mask_b & ~both, min_size=MIN_GROUP
            )
            # Demographics against demographics says who answered, not what they told.
            compared = [c for c in compared if c.question not in demographic]
            found += analysis.group_patterns(
                compared, vocabularies(survey, _group_names(names, first, second))
            )
    runs = db.list_cluster_runs(database, survey_id)
    if runs:
        run, rows = aligned(load_run(database, runs[0]["id"]), loaded)
        descriptions = analysis.describe_clusters(run, significations.take(rows))
        found += analysis.cluster_patterns(descriptions, vocabularies(survey))
    found.sort(key=lambda p: (-p.strength, p.q if p.q is not None else 1.0))
    return found[:limit]


def _group_names(names: dict, first: str, second: str) -> dict:
    from .i18n import localize

    return {lang: [localize(names[first], lang), localize(names[second], lang)]
            for lang in ("sv", "en")}  # fmt: skip
