"""The codebook that goes with every export: what each column holds, and how it was made.

Built from the survey and the export's settings as a plain dict (the JSON codebook) and
rendered as Markdown in the reader's language. Question texts are given in every language
of the survey.
"""

import json

from .. import analysis
from ..i18n import gettext, localize
from .columns import WideLayout

SPREADSHEET_PREFIX = "'"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def build(layout: WideLayout, lang: str, *, fmt: str, layout_name: str, masked: bool,
          filters: list[str], run=None, exported_at: str) -> dict:  # fmt: skip
    """The codebook as a dict, ready for `json.dumps`."""
    survey = layout.survey
    columns = []
    for column in layout.columns:
        question = survey.questions.get(column.question) if column.question else None
        columns.append({
            "name": column.name,
            "type": column.type,
            "question": column.question,
            "part": column.part,
            "question_text": {lg: localize(question.text, lg) for lg in survey.languages}
            if question else {},
            "label": column.label,
            "range": column.range,
            "meaning": gettext(column.meaning, lang),
            "empty": gettext(_empty_key(column), lang),
            "teller_text": column.teller_text,
        })  # fmt: skip
    return {
        "survey": {
            "id": survey.id,
            "version": survey.version,
            "title": {lg: survey.title(lg) for lg in survey.languages},
        },  # fmt: skip
        "exported_at": exported_at,
        "format": fmt,
        "layout": layout_name,
        "filters": list(filters),
        "personal_data_masked": masked,
        "cluster_run": _run(run),
        "methods": {
            "zero_delta": analysis.DELTA,
            "notes": [gettext(key, lang, delta=analysis.DELTA) for key in METHOD_NOTES],
        },
        "spreadsheet_safety": {
            "prefix": SPREADSHEET_PREFIX,
            "starts": list(FORMULA_STARTS),
            "formats": ["csv", "csv-excel-sv", "xlsx", "zip"],
        },
        "long_layout": gettext("export.note.long", lang),
        "columns": columns,
    }


METHOD_NOTES = (
    "export.note.rows",
    "export.note.names",
    "export.note.empty",
    "export.note.triad",
    "export.note.delta",
    "export.note.versions",
    "export.note.masking",
    "export.note.spreadsheet",
    "export.note.excel_sv",
)


def _empty_key(column) -> str:
    if column.teller_text or column.type in ("text", "category") and column.question:
        return "export.empty.unanswered"
    if column.question is None:
        return "export.empty.cluster" if column.name == "cluster" else "export.empty.none"
    return "export.empty.na" if column.part == "na" else "export.empty.numbers"


def _run(run) -> dict | None:
    if run is None:
        return None
    cluster_run = run.run
    return {
        "id": run.id,
        "k": cluster_run.k,
        "chosen_by": cluster_run.chosen_by,
        "seed": cluster_run.seed,
        "questions": list(cluster_run.spec.questions),
        "na": cluster_run.spec.na,
        "parameters": cluster_run.parameters,
        "scores": cluster_run.scores,
        "sizes": cluster_run.sizes,
        "unclustered": cluster_run.unclustered,
    }


def to_json(codebook: dict) -> bytes:
    return json.dumps(codebook, ensure_ascii=False, indent=2).encode("utf-8")


def _cell(text) -> str:
    # Markdown table cells: a "|" or a line break would end the cell early.
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def to_markdown(codebook: dict, lang: str) -> bytes:
    """The codebook as a Markdown document in `lang`."""
    t = lambda key, **params: gettext(key, lang, **params)  # noqa: E731
    survey = codebook["survey"]
    title = survey["title"].get(lang) or next(iter(survey["title"].values()))
    lines = [
        f"# {t('export.codebook.title')}: {title}",
        "",
        f"- {t('export.codebook.survey')}: `{survey['id']}`, version {survey['version']}",
        f"- {t('export.codebook.exported_at')}: {codebook['exported_at']}",
        f"- {t('export.codebook.format')}: {codebook['format']} ({codebook['layout']})",
        f"- {t('export.codebook.filters')}: "
        + (", ".join(f"`{f}`" for f in codebook["filters"]) or "–"),
        f"- {t('export.codebook.masked_on' if codebook['personal_data_masked'] else 'export.codebook.masked_off')}",  # noqa: E501
    ]
    if "rows" in codebook:
        lines.append(f"- {t('export.codebook.rows')}: {codebook['rows']}")
    run = codebook["cluster_run"]
    if run:
        lines += ["", f"## {t('export.codebook.run')} {run['id']}", "",
                  t("export.codebook.run_text", k=run["k"], chosen_by=run["chosen_by"],
                    seed=run["seed"], questions=", ".join(run["questions"]), na=run["na"]),
                  "", f"`{json.dumps(run['parameters'], ensure_ascii=False)}`"]  # fmt: skip
    lines += ["", f"## {t('export.codebook.methods')}", ""]
    lines += [f"- {note}" for note in codebook["methods"]["notes"]]
    lines += ["", f"## {t('export.codebook.columns')}", ""]
    header = ("name", "type", "question_text", "label", "range", "meaning", "empty")
    lines.append("| " + " | ".join(t(f"export.codebook.{key}") for key in header) + " |")
    lines.append("|" + " --- |" * len(header))
    for column in codebook["columns"]:
        question = " / ".join(f"{lg}: {text}" for lg, text in column["question_text"].items())
        label = " / ".join(f"{lg}: {text}" for lg, text in column["label"].items())
        cells = (f"`{column['name']}`", column["type"], question, label, column["range"],
                 column["meaning"], column["empty"])  # fmt: skip
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    lines += ["", f"## {t('export.codebook.long')}", "", codebook["long_layout"], ""]
    return "\n".join(lines).encode("utf-8")
