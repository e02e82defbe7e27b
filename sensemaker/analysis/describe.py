"""What sets each cluster apart: its centres, its over- and under-chosen options, its stories.

For every triad and dyad (clustered on or not) a cluster gets its centre (closed geometric
mean; median) next to the centre of all fragments, and a standardised separation:
- triad: ‖mean ilr in cluster − mean ilr overall‖ / √(total ilr variance overall),
- dyad: |median in cluster − median overall| / (IQR overall / 1.349).
Questions the clusters were built on get no p-value: the clusters were made to differ on
them, so a test would only confirm its own construction. Choices were not clustered on;
each option is tested cluster against the rest (chi-square or Fisher, `significance`),
with Benjamini–Hochberg q-values over all clusters and options together.
"""

from dataclasses import asdict, dataclass, field

import numpy as np

from . import compositions, kmeans, significance
from .answers import Significations
from .clustering import ClusterRun
from .features import Features, build_features
from .jsonable import plain

N_TYPICAL = 5
N_EDGE = 5
ALPHA = 0.05
ROBUST_SD = 1.349  # IQR of a normal distribution in standard deviations


@dataclass
class ClusterDescription:
    cluster: int  # numbered from 1, largest first
    size: int
    share: float  # of the clustered fragments
    triads: dict = field(default_factory=dict)
    dyads: dict = field(default_factory=dict)
    choices: list = field(default_factory=list)
    features: list = field(default_factory=list)  # defining features, strongest first
    typical: list = field(default_factory=list)  # fragment indices nearest the centre
    edge: list = field(default_factory=list)  # far from the centre, still nearest to it

    def as_dict(self) -> dict:
        return plain(asdict(self))


def describe_clusters(
    run: ClusterRun,
    significations: Significations,
    features: Features | None = None,
    *,
    n_typical: int = N_TYPICAL,
    n_edge: int = N_EDGE,
    alpha: float = ALPHA,
    seed: int = 0,
) -> list[ClusterDescription]:
    """Describe every cluster of `run` over the fragments it was made from."""
    if significations.n != run.n_fragments:
        raise ValueError("the cluster run was made from a different set of fragments")
    features = features or build_features(significations, run.spec)
    labels = run.labels
    clustered = labels >= 0
    descriptions = [
        ClusterDescription(c + 1, size, size / max(int(clustered.sum()), 1))
        for c, size in enumerate(run.sizes)
    ]
    for question in significations.of_kind("triad"):
        _triads(question, significations[question], labels, descriptions)
    for question in significations.of_kind("dyad"):
        _dyads(question, significations[question], labels, descriptions)
    for question in significations.of_kind("choice"):
        _choices(question, significations[question], labels, descriptions, seed)
    _choice_q_values(descriptions)
    _stories(run, features, descriptions, n_typical, n_edge)
    for description in descriptions:
        description.features = _ranked(description, alpha)
    return descriptions


def _triads(question, answers, labels, descriptions) -> None:
    coords = compositions.ilr(answers.shares)
    answered = answers.answered
    overall = coords[answered].mean(axis=0) if answered.any() else np.full(2, np.nan)
    spread = np.sqrt(coords[answered].var(axis=0).sum()) if answered.sum() > 1 else 0.0
    overall_shares = compositions.ilr_inverse(overall)
    for description in descriptions:
        members = (labels == description.cluster - 1) & answered
        na = int(((labels == description.cluster - 1) & answers.na).sum())
        entry = {"n": int(members.sum()), "na": na, "overall": overall_shares.tolist()}
        if members.any():
            mean = coords[members].mean(axis=0)
            centre = compositions.ilr_inverse(mean)
            difference = compositions.clr(centre) - compositions.clr(overall_shares)
            corner = int(np.abs(difference).argmax())
            separation = float(np.linalg.norm(mean - overall) / spread) if spread > 0 else 0.0
            entry.update(
                centre=centre.tolist(),
                point=compositions.shares_to_points(centre).tolist(),
                separation=separation,
                corner=corner,
                direction=int(np.sign(difference[corner])),
            )
        description.triads[question] = entry


def _dyads(question, answers, labels, descriptions) -> None:
    values = answers.values
    given = values[answers.answered]
    median = float(np.median(given)) if given.size else None
    q1, q3 = np.quantile(given, [0.25, 0.75]) if given.size else (0.0, 0.0)
    scale = (q3 - q1) / ROBUST_SD
    for description in descriptions:
        in_cluster = labels == description.cluster - 1
        cluster_values = values[in_cluster & answers.answered]
        entry = {
            "n": int(cluster_values.size),
            "na": int((in_cluster & answers.na).sum()),
            "overall_median": median,
        }
        if cluster_values.size:
            c1, c_median, c3 = np.quantile(cluster_values, [0.25, 0.5, 0.75])
            difference = float(c_median) - median
            entry.update(
                median=float(c_median),
                q1=float(c1),
                q3=float(c3),
                separation=abs(difference) / scale if scale > 0 else 0.0,
                direction=int(np.sign(difference)),
            )
        description.dyads[question] = entry


def _choices(question, answers, labels, descriptions, seed) -> None:
    answered = answers.answered
    n_all = int(answered.sum())
    chosen_all = answers.selected[answered].sum(axis=0)
    for description in descriptions:
        members = (labels == description.cluster - 1) & answered
        n_in = int(members.sum())
        chosen_in = answers.selected[members].sum(axis=0)
        for j, option in enumerate(answers.options):
            a, total = int(chosen_in[j]), int(chosen_all[j])
            entry = {
                "question": question,
                "option": option,
                "count": a,
                "answered": n_in,
                "share": a / n_in if n_in else None,
                "share_overall": total / n_all if n_all else None,
                "lift": (a / n_in) / (total / n_all) if n_in and total else None,
                "p": None,
                "q": None,
            }
            table = [[a, n_in - a], [total - a, (n_all - n_in) - (total - a)]]
            if 0 < n_in < n_all and 0 < total < n_all:
                result = significance.contingency(table, seed)
                entry.update(
                    test=result.test,
                    p=result.p,
                    odds_ratio=result.details["odds_ratio"],
                    strength=significance.strength("odds-ratio", result.details["odds_ratio"]),
                )
            description.choices.append(entry)


def _choice_q_values(descriptions) -> None:
    entries = [entry for description in descriptions for entry in description.choices]
    for entry, q in zip(entries, significance.q_values(e["p"] for e in entries), strict=True):
        entry["q"] = q


def _stories(run, features, descriptions, n_typical, n_edge) -> None:
    matrix = features.matrix
    member_labels = run.labels[features.rows]
    for c, description in enumerate(descriptions):
        members = np.flatnonzero(member_labels == c)
        if members.size == 0:
            continue
        points = matrix[members]
        distances = kmeans.distances_to(points, kmeans.row_norms(points), run.centres)
        own = distances[:, c].copy()
        distances[:, c] = np.inf
        other = distances.min(axis=1)
        typical = members[np.argsort(own, kind="stable")[:n_typical]]
        inside = np.flatnonzero(own < other)
        edge = members[inside[np.argsort(-own[inside], kind="stable")[:n_edge]]]
        description.typical = features.rows[typical].tolist()
        description.edge = features.rows[edge].tolist()


def _ranked(description, alpha) -> list[dict]:
    """Defining features: triads and dyads by separation, options by q, strongest first."""
    found = []
    for question, entry in description.triads.items():
        if entry.get("separation") is not None:
            found.append(_feature("triad", question, entry, entry["corner"]))
    for question, entry in description.dyads.items():
        if entry.get("separation") is not None and entry["direction"] != 0:
            found.append(_feature("dyad", question, entry, 1 if entry["direction"] > 0 else 0))
    for entry in description.choices:
        if entry["q"] is not None and entry["q"] <= alpha and entry.get("strength", 0) > 0:
            found.append(
                {
                    "kind": "choice",
                    "question": entry["question"],
                    "subject": entry["option"],
                    "direction": 1 if entry["lift"] and entry["lift"] > 1 else -1,
                    "strength": entry["strength"],
                    "effect": "odds-ratio",
                    "effect_size": entry["odds_ratio"],
                    "q": entry["q"],
                    "rank": abs(np.log(entry["odds_ratio"])),
                }
            )
    found = [item for item in found if item["strength"] > 0]
    found.sort(key=lambda item: (-item["strength"], -item["rank"]))
    return found


def _feature(kind, question, entry, subject) -> dict:
    separation = entry["separation"]
    return {
        "kind": kind,
        "question": question,
        "subject": subject,  # triad: corner 0–2; dyad: the pole it leans to, 0 or 1
        "direction": entry["direction"],
        "strength": significance.strength("standardised-difference", separation),
        "effect": "standardised-difference",
        "effect_size": separation,
        "q": None,
        "rank": separation,
    }
