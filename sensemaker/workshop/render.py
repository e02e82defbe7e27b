"""What every workshop page shares: chart blocks, the filter form and its chips."""

from urllib.parse import urlencode

import numpy as np
from flask import render_template, request, url_for

from ..aggregate.filters import CHOICE
from ..i18n import gettext, localize, messages
from .assets import vega_bundle

# Query names the page filter owns; everything else in the URL belongs to the screen.
FILTER_NAMES = ("from", "to", "prompt", "language", "run", "cluster", "q")


def chart_block(chart, name: str, *, question: str | None = None, picture: dict | None = None,
                label: str = "", caption: str = "") -> dict:  # fmt: skip
    """A chart as the template draws it: a container and the spec in a JSON data block.

    Validation is left to the chart tests: Altair's schema check costs more than the
    whole picture on large data.
    """
    block = {"id": name, "spec": plain_spec(chart), "question": question,
             "caption": caption, "resolution": None,
             "label": label or (picture or {}).get("title", "")}  # fmt: skip
    if picture is not None and picture.get("mode") == "bins":
        block["resolution"] = picture["resolution"]
    return block


def plain_spec(chart) -> dict:
    """The chart's Vega-Lite spec without its `$schema` link: the page names no other host
    (the browser is told the mode instead, and the report needs no schema)."""
    tables = chart.datasets if isinstance(chart.datasets, dict) else None
    if tables:  # the big tables go in as they are, not deep-copied by Altair
        chart = chart.copy(deep=False)
        chart.datasets = {}
    spec = chart.to_dict(validate=False)
    spec.pop("$schema", None)
    if tables:
        spec["datasets"] = {**spec.get("datasets", {}), **tables}
    return spec


def owned_by_filter(name: str, prefix: str = "") -> bool:
    plain = name[len(prefix) :] if name.startswith(prefix) else None
    return plain is not None and (plain.startswith(CHOICE) or plain in FILTER_NAMES)


def screen_arguments() -> list[tuple[str, str]]:
    """The URL's arguments that are not the page filter (kept when the filter changes)."""
    return [(k, v) for k, values in request.args.lists() for v in values
            if not owned_by_filter(k)]  # fmt: skip


def url_with(endpoint: str, pairs, **values) -> str:
    query = urlencode(list(pairs))
    return url_for(endpoint, **values) + (f"?{query}" if query else "")


def filter_form(w) -> dict:
    """The filter panel: every choice question's options, prompts, languages, and chips."""
    chosen = dict(w.filter.choices)
    questions = []
    ordered = sorted(w.survey.questions.values(), key=lambda q: not q.raw.get("demographic"))
    for question in ordered:
        if question.kind != "choice":
            continue
        names = {o["id"]: localize(o["text"], w.lang) for o in question.raw["options"]}
        options = [
            {
                "id": o,
                "text": names.get(o) or gettext("workshop.other_option", w.lang),
                "checked": o in chosen.get(question.id, ()),
            }
            for o in question.option_ids
        ]
        questions.append({"id": question.id, "name": CHOICE + question.id,
                          "text": localize(question.text, w.lang), "options": options,
                          "open": question.id in chosen})  # fmt: skip
    prompts = [{"id": p["id"], "text": localize(p["text"], w.lang),
                "checked": p["id"] in w.filter.prompts}
               for p in w.survey.definition.get("prompts", [])]  # fmt: skip
    languages = [{"id": code, "checked": code in w.filter.languages}
                 for code in np.unique(w.frame.languages).tolist()]  # fmt: skip
    return {"questions": questions, "prompts": prompts, "languages": languages,
            "chips": chips(w), "keep": screen_arguments()}  # fmt: skip


def chips(w) -> list[dict]:
    """The current filter in words, each part with the URL that takes it away."""
    endpoint, values = request.endpoint, dict(request.view_args or {})
    keep = screen_arguments()
    return [{"text": text, "remove": url_with(endpoint, smaller.query() + keep, **values)}
            for text, smaller in filter_parts(w, w.filter)]  # fmt: skip


def filter_parts(w, f) -> list[tuple[str, object]]:
    """A filter in words, part by part, each with the filter that remains without it."""
    found = []
    lang = w.lang
    for question_id, options in f.choices:
        question = w.survey.questions[question_id]
        names = {o["id"]: localize(o["text"], lang) for o in question.raw["options"]}
        for option in options:
            label = names.get(option) or gettext("workshop.other_option", lang)
            found.append((f"{localize(question.text, lang)}: {label}",
                          f.without("choice", f"{question_id}:{option}")))  # fmt: skip
    if f.since:
        found.append((gettext("workshop.filter_from", lang, day=f.since.isoformat()),
                      f.without("since")))  # fmt: skip
    if f.until:
        found.append((gettext("workshop.filter_to", lang, day=f.until.isoformat()),
                      f.without("until")))  # fmt: skip
    prompts = {p["id"]: localize(p["text"], lang) for p in w.survey.definition.get("prompts", [])}
    if f.prompts:
        found.append((", ".join(prompts[p] for p in f.prompts), f.without("prompts")))
    if f.languages:
        found.append((gettext("workshop.filter_languages", lang, codes=", ".join(f.languages)),
                      f.without("languages")))  # fmt: skip
    if f.run is not None:
        found.append((gettext("workshop.filter_cluster", lang, run=f.run, cluster=f.cluster),
                      f.without("cluster")))  # fmt: skip
    if f.words:
        found.append((gettext("workshop.filter_words", lang, words=f.words), f.without("words")))
    return found


def script_messages(lang: str) -> dict:
    """The texts the workshop's scripts show: the catalogue's `workshop.js_*` keys."""
    found = messages(lang, "workshop.")
    return {key: text for key, text in found.items() if key.partition(".")[2].startswith("js_")}


def page(template: str, w, **context):
    """Render a workshop screen with its frame: filter, chips, scripts and messages."""
    return render_template(
        template,
        lang=w.lang,
        w=w,
        form=filter_form(w),
        shown=int(w.mask.sum()),
        total=w.frame.n,
        problems=[gettext(p.key, w.lang, **p.params) for p in w.problems],
        vega=vega_bundle(),
        js_messages=script_messages(w.lang),
        query=urlencode(w.query),
        **context,
    )
