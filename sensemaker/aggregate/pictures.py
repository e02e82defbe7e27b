"""Picture data for one question over the filtered stories: what the chart will draw.

Every function takes the question's answers for the chosen rows and returns a plain dict;
nothing here knows about charts. Large sets are summarised here so that no picture ever
carries more than `DOT_LIMIT` single points.
"""

import numpy as np

from ..analysis import compositions, summaries
from ..i18n import localize
from . import bins

DOT_LIMIT = 2500  # above this many answers a triad is drawn as triangular bins
HISTOGRAM_BINS = 20


def _texts(items, lang) -> list[dict]:
    return [{"id": item["id"], "text": localize(item["text"], lang)} for item in items]


def _counts(answered, na) -> dict:
    found = summaries.counts(answered, na)
    return {"n": found["n"], "answered": found["answered"], "na": found["na"],
            "missing": found["missing"]}  # fmt: skip


def triad(question, answers, seqs, lang, *, dot_limit=DOT_LIMIT,
          resolution=bins.RESOLUTION) -> dict:  # fmt: skip
    shares = answers.shares
    answered = answers.answered
    zero = compositions.zeros(shares)
    n_zero = zero.sum(axis=1)
    corners = [int(((n_zero >= 2) & ~zero[:, k] & answered).sum()) for k in range(3)]
    edges = [int(((n_zero == 1) & zero[:, k]).sum()) for k in range(3)]  # opposite corner k
    data = {
        "kind": "triad",
        "question": question.id,
        "title": localize(question.text, lang),
        "labels": [label["text"] for label in _texts(question.raw["labels"], lang)],
        **_counts(answered, answers.na),
        "corners": corners,
        "edges": edges,
        "centre": compositions.triad_centre(shares).as_dict(),
        "resolution": resolution,
    }
    if data["answered"] <= dot_limit:
        points = compositions.shares_to_points(shares[answered])
        data["mode"] = "dots"
        data["dots"] = [
            {"x": round(float(x), 5), "y": round(float(y), 5), "seq": int(seq)}
            for (x, y), seq in zip(points, seqs[answered], strict=True)
        ]
    else:
        data["mode"] = "bins"
        data["cells"] = bins.triangle_bins(shares[answered], resolution)
    return data


def dyad(question, answers, seqs, lang, *, bins_count=HISTOGRAM_BINS) -> dict:
    return {
        "kind": "dyad",
        "question": question.id,
        "title": localize(question.text, lang),
        "labels": [label["text"] for label in _texts(question.raw["labels"], lang)],
        **_counts(answers.answered, answers.na),
        **summaries.bounded(answers.values),
        "bins": bins.histogram(answers.values, bins_count),
    }


def stones(question, answers, seqs, lang, *, dot_limit=DOT_LIMIT) -> dict:
    names = _texts(question.raw["stones"], lang)
    placed = answers.placed
    spread = []
    for j, stone in enumerate(names):
        x = summaries.bounded(answers.positions[:, j, 0])
        y = summaries.bounded(answers.positions[:, j, 1])
        spread.append({"id": stone["id"], "label": stone["text"], "placed": int(placed[:, j].sum()),
                       "x": x["median"], "y": y["median"], "x1": x["q1"], "x3": x["q3"],
                       "y1": y["q1"], "y3": y["q3"]})  # fmt: skip
    axes = {axis: {part: localize(spec.get(part), lang) for part in ("text", "low", "high")}
            for axis, spec in question.raw["axes"].items()}  # fmt: skip
    data = {
        "kind": "stones",
        "question": question.id,
        "title": localize(question.text, lang),
        **_counts(answers.responded & ~answers.na, answers.na),
        "axes": axes,
        "stones": spread,
    }
    if int(placed.sum()) <= dot_limit:
        rows, columns = np.nonzero(placed)
        data["dots"] = [
            {"x": round(float(answers.positions[r, c, 0]), 4),
             "y": round(float(answers.positions[r, c, 1]), 4),
             "stone": names[c]["text"], "seq": int(seqs[r])}
            for r, c in zip(rows, columns, strict=True)
        ]  # fmt: skip
    return data


def choice(question, answers, seqs, lang) -> dict:
    names = {item["id"]: item["text"] for item in _texts(question.raw["options"], lang)}
    answered = answers.answered
    n = int(answered.sum())
    chosen = answers.selected[answered].sum(axis=0)
    options = [
        {"id": option, "label": names.get(option) or _other(lang), "count": int(chosen[j]),
         "share": float(chosen[j] / n) if n else 0.0}
        for j, option in enumerate(answers.options)
    ]  # fmt: skip
    return {
        "kind": "choice",
        "question": question.id,
        "title": localize(question.text, lang),
        "n": answers.n,
        "answered": n,
        "na": 0,
        "missing": answers.n - n,
        "multiple": answers.multiple,
        "demographic": bool(question.raw.get("demographic")),
        "options": options,
    }


def star(question, answers, seqs, lang) -> dict:
    names = _texts(question.raw["areas"], lang)
    areas = []
    for j, area in enumerate(names):
        spread = summaries.bounded(answers.ratings[:, j])
        areas.append({"id": area["id"], "label": area["text"],
                      "answered": int(answers.answered[:, j].sum()),
                      "na": int(answers.na[:, j].sum()), "median": spread["median"],
                      "q1": spread["q1"], "q3": spread["q3"]})  # fmt: skip
    responded = answers.answered.any(axis=1)
    na = answers.na.any(axis=1) & ~responded
    return {
        "kind": "star",
        "question": question.id,
        "title": localize(question.text, lang),
        **_counts(responded, na),
        "areas": areas,
        "stages": [
            {"from": s["from"], "to": s["to"], "text": localize(s["text"], lang)}
            for s in question.raw["stages"]
        ],  # fmt: skip
    }


def _other(lang) -> str:
    from ..i18n import gettext

    return gettext("workshop.other_option", lang)


MAKERS = {"triad": triad, "dyad": dyad, "stones": stones, "choice": choice, "star": star}


def picture(frame, question_id: str, mask, lang: str, **options) -> dict:
    """The picture data of one question over the rows of `frame` where `mask` is True."""
    question = frame.survey.questions[question_id]
    answers = frame.significations[question_id].take(mask)
    return MAKERS[question.kind](question, answers, frame.seqs[mask], lang, **options)
