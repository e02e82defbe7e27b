"""Clusters: run or pick a clustering run, see its clusters on two triads, and read each
cluster's profile with its typical and edge stories."""

import threading
from urllib.parse import urlencode

import numpy as np
from flask import current_app, flash, g, redirect, request, url_for

from .. import analysis, charts, db, findings
from ..aggregate import clusters as clustered
from ..aggregate.compare import vocabularies
from ..auth import roles_required
from ..i18n import gettext, localize
from ..web import get_db
from . import bp
from .data import open_workshop
from .reading import readable
from .render import chart_block, page, url_with

MIN_STORIES = 20
K_RANGE = (2, 12)
WIDTH = 520
_described: dict = {}
_lock = threading.Lock()


def runs(database, survey_id: str, lang: str) -> list[dict]:
    return [{**run, "text": gettext("workshop.clusters_run", lang, id=run["id"], k=run["k"],
                                    when=run["created_at"][:16].replace("T", " "),
                                    who=run["created_by"])}
            for run in db.list_cluster_runs(database, survey_id)]  # fmt: skip


def described(database, w, run_id: int):
    """The run aligned to the stories still stored, and its cluster descriptions (kept while
    the stories stay the same: describing 100 000 stories takes a moment)."""
    key = (current_app.config["DATABASE"], run_id)
    state = db.survey_state(database, w.survey.id)
    with _lock:
        cached = _described.get(key)
    if cached is None or cached[0] != state:
        run, rows = findings.aligned(findings.load_run(database, run_id), w.frame)
        descriptions = analysis.describe_clusters(run, w.frame.significations.take(rows))
        cached = (state, run, rows, descriptions)
        with _lock:
            _described[key] = cached
    return cached[1:]


def profile(w, description, rows, names) -> dict:
    """One cluster as the page shows it: sentences, over-chosen options, stories."""
    told = analysis.cluster_patterns([description], names, per_cluster=4)
    database = get_db()

    def stories(indices):
        seqs = w.frame.seqs[rows[np.asarray(indices, dtype=np.int64)]].tolist()
        return readable(w, db.stories_for_reading(database, w.survey.id, seqs))

    return {
        "n": description.cluster,
        "size": description.size,
        "share": f"{round(description.share * 100)} %",
        "sentences": [pattern.text[w.lang] for pattern in told],
        "choices": clustered.over_chosen(description, w.survey, w.lang)[:5],
        "typical": stories(description.typical[:3]),
        "edge": stories(description.edge[:2]),
    }


def triad_axes(w) -> list[str]:
    """The two triads to map: from the URL when they are triads, else the first two."""
    triads = [q.id for q in w.survey.questions.values() if q.kind == "triad"]
    chosen = [t for t in request.args.getlist("triad") if t in triads][:2]
    return (chosen + [t for t in triads if t not in chosen])[:2]


@bp.get("/<survey_id>/clusters")
@roles_required("admin", "facilitator")
def clusters(survey_id: str):
    w = open_workshop(survey_id)
    database = get_db()
    known = runs(database, survey_id, w.lang)
    shown = request.args.get("show", "")
    run_id = int(shown) if shown.isdigit() and any(r["id"] == int(shown) for r in known) else None
    if run_id is None and known:
        run_id = known[0]["id"]
    context = {"runs": known, "run_id": run_id, "blocks": [], "profiles": [],
               "axes": triad_axes(w), "min_stories": MIN_STORIES, "k_range": K_RANGE,
               "triads": [{"id": q.id, "text": localize(q.text, w.lang)}
                          for q in w.survey.questions.values() if q.kind == "triad"]}  # fmt: skip
    if run_id is not None:
        run, rows, descriptions = described(database, w, run_id)
        labels = clustered.labels_by_row(w.frame.n, rows, run.labels)
        names = vocabularies(w.survey, {})
        title = gettext("workshop.cluster", w.lang)
        base = w.filter.without("cluster").query() + [("run", str(run_id))]
        for triad in context["axes"]:
            data = clustered.cluster_map(w.frame, triad, labels, w.mask, w.lang)
            data["subtitle"] = [gettext("workshop.clusters_sample", w.lang, shown=data["shown"],
                                        of=data["of"])]  # fmt: skip
            chart = charts.triad(
                data, w.lang, width=WIDTH, colour="cluster", colour_title=title, brush=False
            )
            block = chart_block(chart, f"map-{triad}", question=triad, picture=data)
            block["cluster_query"] = urlencode(base)
            context["blocks"].append(block)
        for description in descriptions:
            item = profile(w, description, rows, names)
            item["filter"] = url_with("workshop.pictures", base + [("cluster", str(item["n"]))],
                                      survey_id=survey_id)  # fmt: skip
            context["profiles"].append(item)
    return page("workshop/clusters.html", w, **context)


@bp.post("/<survey_id>/clusters")
@roles_required("admin", "facilitator")
def run_clustering(survey_id: str):
    w = open_workshop(survey_id)
    target = url_for("workshop.clusters", survey_id=survey_id)
    k = request.form.get("k", "").strip()
    if k and not (k.isdigit() and K_RANGE[0] <= int(k) <= K_RANGE[1]):
        flash(("workshop.clusters_bad_k", {}), "error")
        return redirect(target)
    if w.frame.n < MIN_STORIES:
        flash(("workshop.clusters_too_few", {"n": MIN_STORIES}), "error")
        return redirect(target)
    try:
        stored, _ = findings.run_clustering(get_db(), survey_id, k=int(k) if k else None,
                                            actor=g.user["email"])  # fmt: skip
    except ValueError:
        flash(("workshop.clusters_failed", {}), "error")
        return redirect(target)
    flash(("workshop.clusters_done", {"id": stored.id, "k": stored.run.k}), "ok")
    return redirect(url_for("workshop.clusters", survey_id=survey_id, show=stored.id))
