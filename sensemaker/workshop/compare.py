"""Side by side: two groups of stories (patients and staff, before and after a day), each
question's two pictures next to each other with the comparison in one sentence."""

from datetime import date, timedelta
from urllib.parse import urlencode

import numpy as np
from flask import redirect, request

from .. import analysis, charts
from ..aggregate import Filter, FilterProblem
from ..aggregate import compare as comparing
from ..aggregate.pictures import picture
from ..auth import roles_required
from ..i18n import gettext, localize
from . import bp
from .data import open_workshop
from .render import chart_block, page, url_with

WIDTH = 440
GROUPS = ("a", "b")


def group_filters(w) -> tuple[list, list[Filter]]:
    """The two groups' filters from the URL (`a.…`, `b.…`), or a first split to start from."""
    args = {key: request.args.getlist(key) for key in request.args}
    problems, groups = [], []
    for name in GROUPS:
        chosen, found = Filter.parse(args, w.survey, prefix=f"{name}.")
        problems += found
        groups.append(chosen)
    if all(group.empty for group in groups):
        groups = default_split(w)
    return problems, groups


def default_split(w) -> list[Filter]:
    """The first demographic question's first two options, else before and after the
    middle day of the stories."""
    for question in w.survey.questions.values():
        if question.kind == "choice" and question.raw.get("demographic"):
            first, second = question.option_ids[:2]
            return [Filter(choices=((question.id, (first,)),)),
                    Filter(choices=((question.id, (second,)),))]  # fmt: skip
    days = w.frame.days[w.mask & ~np.isnat(w.frame.days)]
    middle = date.fromisoformat(str(np.sort(days)[len(days) // 2])) if len(days) else date.today()
    return split_at(middle)


def split_at(day: date) -> list[Filter]:
    return [Filter(until=day - timedelta(days=1)), Filter(since=day)]


def group_name(w, chosen: Filter, lang: str, fallback: str) -> str:
    """A group's name in words, from its filter (e.g. "Personal", "från 2026-09-01")."""
    parts = []
    for question_id, options in chosen.choices:
        question = w.survey.questions[question_id]
        names = {o["id"]: localize(o["text"], lang) for o in question.raw["options"]}
        parts.append(" / ".join(names.get(o) or gettext("workshop.other_option", lang)
                                for o in options))  # fmt: skip
    if chosen.since:
        parts.append(gettext("workshop.filter_from", lang, day=chosen.since.isoformat()))
    if chosen.until:
        parts.append(gettext("workshop.filter_to", lang, day=chosen.until.isoformat()))
    if chosen.words:
        parts.append(gettext("workshop.filter_words", lang, words=chosen.words))
    if chosen.prompts or chosen.languages or chosen.run is not None:
        parts.append(fallback)
    return ", ".join(parts) or fallback


def split_choices(w) -> list[dict]:
    """Every choice question's options, as values for the split form ("role:staff")."""
    found = []
    for question in w.survey.questions.values():
        if question.kind == "choice":
            names = {o["id"]: localize(o["text"], w.lang) for o in question.raw["options"]}
            for option in question.option_ids:
                label = names.get(option) or gettext("workshop.other_option", w.lang)
                found.append({"value": f"{question.id}:{option}",
                              "text": f"{localize(question.text, w.lang)}: {label}"})  # fmt: skip
    return found


def _canonical(w):
    """A split chosen in the form, as the page's own URL (`a.…` and `b.…`)."""
    base = w.filter.query()
    if request.args.get("split_date"):
        try:
            groups = split_at(date.fromisoformat(request.args["split_date"]))
        except ValueError:
            return None
    else:
        groups = []
        for name in GROUPS:
            question_id, _, option = request.args.get(f"split_{name}", "").partition(":")
            question = w.survey.questions.get(question_id)
            if question is None or question.kind != "choice" or option not in question.option_ids:
                return None
            groups.append(Filter(choices=((question_id, (option,)),)))
    pairs = base + groups[0].query("a.") + groups[1].query("b.")
    return url_with("workshop.compare", pairs, survey_id=w.survey.id)


@bp.get("/<survey_id>/compare")
@roles_required("admin", "facilitator")
def compare(survey_id: str):
    w = open_workshop(survey_id)
    if any(k in request.args for k in ("split_a", "split_b", "split_date")):
        target = _canonical(w)
        if target is not None:
            return redirect(target)
        w.problems.append(FilterProblem("workshop.compare_bad_split"))
    problems, groups = group_filters(w)
    w.problems += problems
    masks = [w.mask & w.rows(group, w.problems) for group in groups]
    mask_a, mask_b, overlap = comparing.split_groups(*masks)
    names = {lang: [group_name(w, g, lang, gettext(f"workshop.group_{n}", lang))
                    for g, n in zip(groups, GROUPS, strict=True)]
             for lang in ("sv", "en")}  # fmt: skip
    significations = w.frame.significations
    comparisons = analysis.compare_groups(significations, mask_a, mask_b)
    results = comparing.by_question(comparisons, w.survey, comparing.vocabularies(w.survey, names),
                                    w.lang)  # fmt: skip
    group_query = w.filter.query() + groups[0].query("a.") + groups[1].query("b.")
    pairs = []
    for question in w.survey.questions.values():
        if question.id not in results:
            continue
        blocks = []
        for name, mask in zip(GROUPS, (mask_a, mask_b), strict=True):
            data = picture(w.frame, question.id, mask, w.lang)
            block = chart_block(
                charts.picture(data, w.lang, width=WIDTH),
                f"{name}-{question.id}",
                question=question.id,
                picture=data,
            )
            block["query"] = urlencode([*group_query, ("group", name)])
            block["caption"] = names[w.lang][GROUPS.index(name)]
            blocks.append(block)
        pairs.append({"id": question.id, "text": localize(question.text, w.lang),
                      "blocks": blocks, **results[question.id]})  # fmt: skip
    return page("workshop/compare.html", w, pairs=pairs, names=names[w.lang],
                sizes=(int(mask_a.sum()), int(mask_b.sum())), overlap=overlap,
                choices=split_choices(w), keep=w.filter.query())  # fmt: skip
