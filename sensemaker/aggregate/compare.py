"""Two groups side by side: each question's comparison in one sentence, the tests on demand.

Pure: takes `analysis.Comparison` results and vocabularies, gives per question the sentence
to show (the strongest notable difference, else why there is none) and the rows of the
tests behind it.
"""

import numpy as np

from ..analysis import group_patterns, vocabulary
from ..i18n import gettext, localize


def split_groups(group_a: np.ndarray, group_b: np.ndarray) -> tuple:
    """The two masks without the stories that are in both (a multiple choice, overlapping
    dates), and how many those were: a test needs two separate groups."""
    both = group_a & group_b
    return group_a & ~both, group_b & ~both, int(both.sum())


def vocabularies(survey, names: dict) -> dict:
    """Per language, the survey's labels and the two group names (`{lang: [a, b]}`)."""
    questions = survey.definition["questions"]
    return {lang: vocabulary(questions, lang, names.get(lang)) for lang in ("sv", "en")}


def _number(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) >= 0.001 or value == 0 else f"{value:.1e}"
    return str(value)


def _row(comparison, survey, lang) -> dict:
    question = survey.questions[comparison.question]
    subject = comparison.subject
    if comparison.kind == "na":
        subject = gettext("workshop.compare_na_rate", lang)
    elif subject is not None and question.kind == "choice":
        names = {o["id"]: localize(o["text"], lang) for o in question.raw["options"]}
        subject = names.get(subject) or gettext("workshop.other_option", lang)
    elif subject is not None and question.kind == "star":
        names = {a["id"]: localize(a["text"], lang) for a in question.raw["areas"]}
        subject = names.get(subject, subject)
    elif subject is not None and question.kind == "stones":
        stone, axis = subject.rsplit(".", 1)
        names = {s["id"]: localize(s["text"], lang) for s in question.raw["stones"]}
        subject = f"{names.get(stone, stone)} ({axis})"
    note = comparison.note.get(lang) if comparison.note else None
    return {
        "subject": subject or "",
        "test": comparison.test or "–",
        "statistic": _number(comparison.statistic),
        "p": _number(comparison.p),
        "q": _number(comparison.q),
        "effect": f"{comparison.effect} {_number(comparison.effect_size)}"
        if comparison.effect
        else "–",
        "n_a": comparison.n_a,
        "n_b": comparison.n_b,
        "note": note,
    }


def by_question(comparisons: list, survey, vocabularies: dict, lang: str) -> dict:
    """For each compared question: `sentence`, `notable` and the test `rows`."""
    found = {}
    for question_id in dict.fromkeys(c.question for c in comparisons):
        own = [c for c in comparisons if c.question == question_id]
        told = group_patterns(own, vocabularies)
        rows = [_row(c, survey, lang) for c in own]
        if told:
            sentence, notable = told[0].text[lang], True
        elif all(not c.tested for c in own) and own[0].note:
            sentence, notable = own[0].note[lang], False
        else:
            names = vocabularies[lang]["groups"]
            text = localize(survey.questions[question_id].text, lang)
            sentence = gettext("workshop.compare_no_difference", lang, a=names[0], b=names[1],
                               question=text)  # fmt: skip
            notable = False
        found[question_id] = {"sentence": sentence, "notable": notable, "rows": rows}
    return found
