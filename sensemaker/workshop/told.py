"""A story's own signification in words: how the teller placed it on every question."""

from ..i18n import gettext, localize
from ..questions import NA


def _percent(share: float) -> str:
    return f"{round(share * 100)} %"


def _names(items, lang) -> dict:
    return {item["id"]: localize(item["text"], lang) for item in items}


def answer_text(question, answer, lang: str) -> str | None:
    """One answer as a short phrase, or None when the question was not answered."""
    if answer is None or answer == {} or answer == []:
        return None
    if answer == NA:
        return gettext("workshop.told_na", lang)
    raw = question.raw
    if question.kind == "triad":
        labels = [localize(label["text"], lang) for label in raw["labels"]]
        return " · ".join(f"{label} {_percent(share)}" for label, share in
                          zip(labels, answer, strict=True))  # fmt: skip
    if question.kind == "dyad":
        left, right = (localize(label["text"], lang) for label in raw["labels"])
        return gettext("workshop.told_dyad", lang, left=left, right=right,
                       share=_percent(answer))  # fmt: skip
    if question.kind == "stones":
        names = _names(raw["stones"], lang)
        axes = raw["axes"]
        parts = []
        for stone, (x, y) in answer.items():
            parts.append(gettext("workshop.told_stone", lang, stone=names.get(stone, stone),
                                 x=_percent(x), y=_percent(y),
                                 x_axis=localize(axes["x"]["high"], lang),
                                 y_axis=localize(axes["y"]["high"], lang)))  # fmt: skip
        return "; ".join(parts) or None
    if question.kind == "choice":
        names = _names(raw["options"], lang)
        other = None
        if isinstance(answer, dict):
            answer, other = answer["selected"], answer.get("other")
        chosen = [answer] if isinstance(answer, str) else answer
        words = [names.get(o) or gettext("workshop.other_option", lang) for o in chosen]
        if other:
            words.append(f"“{other}”")
        return ", ".join(words)
    if question.kind == "star":
        names = _names(raw["areas"], lang)
        return " · ".join(
            f"{names.get(area, area)} "
            f"{gettext('workshop.told_na', lang) if rating == NA else rating}"
            for area, rating in answer.items()
        )
    return str(answer)  # a short text answer


def signification(survey, answers: dict, lang: str) -> list[dict]:
    """Every answered question of one fragment: its text and the answer in words."""
    told = []
    for question in survey.questions.values():
        text = answer_text(question, answers.get(question.id), lang)
        if text:
            told.append({"question": localize(question.text, lang), "answer": text})
    return told
