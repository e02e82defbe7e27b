"""A clustering run as the workshop shows it: clusters on a triad, and each one's profile."""

import numpy as np

from ..analysis import compositions
from ..i18n import localize
from . import pictures

SAMPLE_SEED = 0


def labels_by_row(n: int, rows: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Each frame row's cluster (from 1), 0 where the run has none (left out, or told later)."""
    found = np.zeros(n, dtype=np.int64)
    found[rows] = labels + 1
    return found


def cluster_map(frame, triad_id: str, clusters: np.ndarray, mask: np.ndarray, lang: str,
                *, limit: int = pictures.DOT_LIMIT) -> dict:  # fmt: skip
    """A triad's picture of the clustered stories in `mask`: dots coloured by cluster (a
    seeded sample of at most `limit`) and every cluster's geometric mean.

    `clusters` is each frame row's cluster from 1 (0: none), from `labels_by_row`.
    """
    members = mask & (clusters > 0)
    question = frame.survey.questions[triad_id]
    answers = frame.significations[triad_id]
    # Counts and the centre come from every member; the dots from a sample of them.
    data = pictures.triad(question, answers.take(members), frame.seqs[members], lang,
                          dot_limit=0)  # fmt: skip
    chosen = np.flatnonzero(members & answers.answered)
    data["shown"], data["of"] = min(len(chosen), limit), len(chosen)
    if len(chosen) > limit:
        rng = np.random.default_rng(SAMPLE_SEED)
        chosen = np.sort(rng.choice(chosen, size=limit, replace=False))
    points = compositions.shares_to_points(answers.shares[chosen])
    data["mode"] = "dots"
    data["cells"] = []
    data["dots"] = [
        {"x": round(float(x), 5), "y": round(float(y), 5), "seq": int(seq), "cluster": str(c)}
        for (x, y), seq, c in zip(points, frame.seqs[chosen], clusters[chosen], strict=True)
    ]
    data["clusters"] = []
    for cluster in range(1, int(clusters.max(initial=0)) + 1):
        own = members & (clusters == cluster)
        mean = compositions.geometric_mean(answers.shares[own])
        if not np.isnan(mean).any():
            x, y = compositions.shares_to_points(mean)
            data["clusters"].append({"x": float(x), "y": float(y), "cluster": str(cluster),
                                     "n": int(own.sum()), "part": "cluster"})  # fmt: skip
    data["domain"] = [str(c) for c in range(1, int(clusters.max(initial=0)) + 1)]
    return data


def over_chosen(description, survey, lang: str, alpha: float = 0.05) -> list[dict]:
    """The options chosen clearly more often in a cluster than in all clustered stories."""
    found = []
    for entry in description.choices:
        if entry["q"] is None or entry["q"] > alpha or not entry["lift"] or entry["lift"] <= 1:
            continue
        question = survey.questions[entry["question"]]
        names = {o["id"]: localize(o["text"], lang) for o in question.raw["options"]}
        found.append({
            "question": localize(question.text, lang),
            "option": names.get(entry["option"], entry["option"]),
            "share": entry["share"],
            "overall": entry["share_overall"],
            "lift": entry["lift"],
        })  # fmt: skip
    found.sort(key=lambda item: -item["lift"])
    return found
