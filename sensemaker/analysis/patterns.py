"""Notable differences and strong cluster features, each told in one Swedish and one
English sentence.

The caller passes one vocabulary per language with every name already localised:

    {"groups": ["anhöriga", "personalen"],   # as they read inside a sentence
     "questions": {
        "safety": {"text": "Vad gav trygghet?", "labels": ["Personalen", "Familjen", "Jag"]},
        "pace": {"text": "Hur var tempot?", "labels": ["Stressat", "Lugnt"]},
        "role": {"text": "Jag är", "options": {"patient": "patient", ...}},
        "life": {"text": "…", "areas": {"health": "hälsa", ...}},
        "people": {"text": "…", "stones": {"nurse": "sjuksköterskan"},
                   "axes": {"x": ["långt borta", "nära"], "y": ["lite", "mycket"]}}}}

`vocabulary()` builds the "questions" part from survey question definitions. Anything
missing falls back to its id. The sentence templates live in `wording.SENTENCES`.
"""

from dataclasses import asdict, dataclass

import numpy as np

from . import compositions, wording
from .comparisons import Comparison
from .describe import ClusterDescription
from .jsonable import plain

ALPHA = 0.05
STRONG = 2  # clustered-on questions must separate at least this much (medium) to be told


@dataclass
class Pattern:
    source: str  # "comparison" or "cluster"
    kind: str
    question: str
    subject: str | int | None
    strength: int
    q: float | None
    text: dict  # {"sv": ..., "en": ...}
    cluster: int | None = None

    def as_dict(self) -> dict:
        return plain(asdict(self))


def vocabulary(questions, lang: str, groups=None) -> dict:
    """A vocabulary in `lang` from survey question definitions (dicts as in the YAML)."""
    from ..i18n import localize

    def names(items):
        return {item["id"]: localize(item["text"], lang) for item in items}

    entries = {}
    for question in questions:
        entry = {"text": localize(question.get("text"), lang)}
        if question["kind"] in ("triad", "dyad"):
            entry["labels"] = [localize(label["text"], lang) for label in question["labels"]]
        elif question["kind"] == "choice":
            entry["options"] = names(question["options"])
        elif question["kind"] == "star":
            entry["areas"] = names(question["areas"])
        elif question["kind"] == "stones":
            entry["stones"] = names(question["stones"])
            entry["axes"] = {
                axis: [localize(spec["low"], lang), localize(spec["high"], lang)]
                for axis, spec in question["axes"].items()
            }
        entries[question["id"]] = entry
    return {"groups": list(groups) if groups else ["A", "B"], "questions": entries}


def _names(vocabularies, lang, question):
    return vocabularies.get(lang, {}).get("questions", {}).get(question, {})


def _label(vocabularies, lang, question, part, key):
    """A localised name: labels by position, options/areas/stones by id; the id if absent."""
    found = _names(vocabularies, lang, question).get(part)
    if isinstance(found, list):
        return found[key] if isinstance(key, int) and key < len(found) else str(key)
    return (found or {}).get(key, str(key))


def _groups(vocabularies, lang):
    groups = vocabularies.get(lang, {}).get("groups") or ["A", "B"]
    return {"a": groups[0], "b": groups[1]}


def group_patterns(
    comparisons: list[Comparison], vocabularies: dict, *, alpha: float = ALPHA, limit=None
) -> list[Pattern]:
    """Differences with q ≤ `alpha` and at least a small effect, strongest first."""
    notable = [c for c in comparisons if c.q is not None and c.q <= alpha and c.strength > 0]
    notable.sort(key=lambda c: (-c.strength, c.q, -_magnitude(c)))
    patterns = []
    for comparison in notable:
        key, params = _comparison_sentence(comparison, vocabularies)
        text = {lang: wording.sentence(key, lang, **params[lang]) for lang in wording.LANGUAGES}
        patterns.append(
            Pattern(
                "comparison",
                comparison.kind,
                comparison.question,
                comparison.subject,
                comparison.strength,
                comparison.q,
                text,
            )
        )
    return patterns[:limit]


def _magnitude(c: Comparison) -> float:
    if c.effect_size is None:
        return 0.0
    if c.effect == "odds-ratio":
        return abs(float(np.log(c.effect_size)))
    return abs(c.effect_size)


def _comparison_sentence(c: Comparison, vocabularies):
    a, b = c.groups["a"], c.groups["b"]
    params = {}
    for lang in wording.LANGUAGES:
        params[lang] = {
            **_groups(vocabularies, lang),
            "degree": wording.degree(c.strength, lang),
            "q": wording.q_value(c.q, lang),
            "question": _names(vocabularies, lang, c.question).get("text", c.question),
        }
    if c.kind == "triad":
        shares_a, shares_b = np.array(a["geometric_mean"]), np.array(b["geometric_mean"])
        difference = compositions.clr(shares_a) - compositions.clr(shares_b)
        corner = int(np.abs(difference).argmax())
        key = "triad.higher" if difference[corner] > 0 else "triad.lower"
        for lang, p in params.items():
            p.update(
                label=_label(vocabularies, lang, c.question, "labels", corner),
                measure=wording.text("geometric_mean", lang),
                va=wording.number(shares_a[corner], lang),
                vb=wording.number(shares_b[corner], lang),
            )
        return key, params
    if c.kind in ("dyad", "stones", "star"):
        return _bounded_sentence(c, params, vocabularies)
    if c.kind == "choice":
        if c.subject is None:  # single choice: tell the option that moved most
            shares = {o: (a["shares"][o] or 0.0) - (b["shares"][o] or 0.0) for o in a["shares"]}
            option = max(shares, key=lambda o: abs(shares[o]))
            va, vb = a["shares"][option], b["shares"][option]
        else:
            option, va, vb = c.subject, a["share"], b["share"]
        key = "choice.more" if va > vb else "choice.less"
        for lang, p in params.items():
            p.update(
                option=_label(vocabularies, lang, c.question, "options", option),
                va=wording.percent(va, lang),
                vb=wording.percent(vb, lang),
            )
        return key, params
    # N/A rate
    key = "na.more" if a["share"] > b["share"] else "na.less"
    for lang, p in params.items():
        p.update(va=wording.percent(a["share"], lang), vb=wording.percent(b["share"], lang))
    return key, params


def _bounded_sentence(c: Comparison, params, vocabularies):
    a, b = c.groups["a"], c.groups["b"]
    higher = c.effect_size > 0  # rank-biserial: group a tends to answer higher
    for lang, p in params.items():
        write = wording.rating if c.kind == "star" else wording.number
        p.update(
            measure=wording.text("median", lang),
            va=write(a["median"], lang),
            vb=write(b["median"], lang),
        )
        if c.kind == "dyad":
            p["pole"] = _label(vocabularies, lang, c.question, "labels", int(higher))
        elif c.kind == "stones":
            stone, axis = c.subject.rsplit(".", 1)
            poles = _names(vocabularies, lang, c.question).get("axes", {}).get(axis)
            p["pole"] = poles[int(higher)] if poles else f"{axis} {'+' if higher else '-'}"
            p["stone"] = _label(vocabularies, lang, c.question, "stones", stone)
        else:
            p["area"] = _label(vocabularies, lang, c.question, "areas", c.subject)
    if c.kind == "star":
        return ("star.higher" if higher else "star.lower"), params
    return c.kind, params


def cluster_patterns(
    descriptions: list[ClusterDescription],
    vocabularies: dict,
    *,
    per_cluster: int = 3,
    strong: int = STRONG,
) -> list[Pattern]:
    """The strongest features of each cluster, cluster by cluster, largest cluster first.

    Triads and dyads need a separation of at least `strong` (2 = medium); options are
    already limited to q ≤ alpha by `describe_clusters`.
    """
    patterns = []
    for description in descriptions:
        told = 0
        for feature in description.features:
            if told == per_cluster:
                break
            if feature["kind"] != "choice" and feature["strength"] < strong:
                continue
            key, params = _cluster_sentence(description, feature, vocabularies)
            text = {lang: wording.sentence(key, lang, **params[lang]) for lang in params}
            patterns.append(
                Pattern(
                    "cluster",
                    feature["kind"],
                    feature["question"],
                    feature["subject"],
                    feature["strength"],
                    feature["q"],
                    text,
                    description.cluster,
                )
            )
            told += 1
    return patterns


def _cluster_sentence(description, feature, vocabularies):
    question, subject = feature["question"], feature["subject"]
    params = {
        lang: {
            "cluster": description.cluster,
            "stories": wording.stories(description.size, lang),
            "degree": wording.degree(feature["strength"], lang),
            "q": wording.q_value(feature["q"], lang),
            "question": _names(vocabularies, lang, question).get("text", question),
        }
        for lang in wording.LANGUAGES
    }
    if feature["kind"] == "triad":
        entry = description.triads[question]
        key = "cluster.triad.higher" if feature["direction"] > 0 else "cluster.triad.lower"
        for lang, p in params.items():
            p.update(
                label=_label(vocabularies, lang, question, "labels", subject),
                measure=wording.text("geometric_mean", lang),
                va=wording.number(entry["centre"][subject], lang),
                vb=wording.number(entry["overall"][subject], lang),
            )
        return key, params
    if feature["kind"] == "dyad":
        entry = description.dyads[question]
        for lang, p in params.items():
            p.update(
                pole=_label(vocabularies, lang, question, "labels", subject),
                measure=wording.text("median", lang),
                va=wording.number(entry["median"], lang),
                vb=wording.number(entry["overall_median"], lang),
            )
        return "cluster.dyad", params
    entry = next(
        e for e in description.choices if e["question"] == question and e["option"] == subject
    )
    key = "cluster.choice.more" if feature["direction"] > 0 else "cluster.choice.less"
    for lang, p in params.items():
        p.update(
            option=_label(vocabularies, lang, question, "options", subject),
            va=wording.percent(entry["share"], lang),
            vb=wording.percent(entry["share_overall"], lang),
        )
    return key, params
