"""Bar pictures: a dyad's histogram, a choice's shares, and the overview's counts."""

import altair as alt

from ..i18n import gettext
from . import theme

PERCENT = ".0%"


def dyad(data: dict, lang: str, *, width: int = 620, height: int = 300,
         brush: bool = True) -> alt.LayerChart:  # fmt: skip
    """A dyad's histogram (data from `aggregate.pictures.dyad`), poles at either end."""
    theme.enable()
    left, right = data["labels"]
    count = gettext("workshop.chart_count", lang)
    x = alt.X("start:Q", scale=alt.Scale(domain=[0, 1], nice=False),
              axis=alt.Axis(values=[0, 0.5, 1], labelExpr=_poles(left, right), labelFontSize=17,
                            labelFontWeight="bold", labelFlush=True, title=None))  # fmt: skip
    bars = (
        alt.Chart(alt.Data(values=[{**b, "part": "bin"} for b in data["bins"]]))
        .mark_rect(cursor="pointer", stroke="white", strokeWidth=1, color=theme.PALETTE[0])
        .encode(x, x2=alt.X2("end:Q"), y=alt.Y("count:Q", title=count), y2=alt.Y2Datum(0),
                tooltip=[alt.Tooltip("count:Q", title=count)])
    )  # fmt: skip
    if brush:
        bars = bars.add_params(alt.selection_interval(name="brush", encodings=["x"],
                                                      clear="dblclick"))  # fmt: skip
    layers = [bars]
    if data.get("median") is not None:
        layers.append(
            alt.Chart(alt.Data(values=[{"median": data["median"]}]))
            .mark_rule(color=theme.ACCENT, strokeWidth=3, strokeDash=[6, 4])
            .encode(x=alt.X("median:Q"))
        )
    subtitle = gettext("workshop.dyad_subtitle", lang, answered=data["answered"], na=data["na"])
    return alt.layer(*layers).properties(
        width=width, height=height, title=alt.TitleParams(data["title"], subtitle=subtitle)
    )


def _poles(left: str, right: str) -> str:
    """A Vega expression naming the poles at 0 and 1 (and nothing in between)."""
    return f"datum.value == 0 ? {_quoted(left)} : datum.value == 1 ? {_quoted(right)} : ''"


def _quoted(text: str) -> str:
    # A Vega expression string literal: JSON's escaping is valid there.
    import json

    return json.dumps(text, ensure_ascii=False)


def choice(data: dict, lang: str, *, width: int = 520) -> alt.LayerChart:
    """A choice's options as horizontal bars with their shares (`aggregate.pictures.choice`)."""
    theme.enable()
    rows = [{**o, "part": "option", "order": k, "text": f"{o['count']} · {o['share']:.0%}"}
            for k, o in enumerate(data["options"])]  # fmt: skip
    order = [row["label"] for row in rows]
    share = gettext("workshop.chart_share", lang)
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=360))
    base = alt.Chart(alt.Data(values=rows))
    bars = base.mark_bar(cursor="pointer").encode(
        y, x=alt.X("share:Q", title=share, axis=alt.Axis(format=PERCENT),
                   scale=alt.Scale(domain=[0, 1])),
        tooltip=[alt.Tooltip("count:Q", title=gettext("workshop.chart_count", lang)),
                 alt.Tooltip("share:Q", title=share, format=PERCENT)],
    )  # fmt: skip
    labels = base.mark_text(align="left", dx=6).encode(
        y, x=alt.X("share:Q"), text=alt.Text("text:N")
    )
    key = "workshop.choice_subtitle_multiple" if data["multiple"] else "workshop.choice_subtitle"
    subtitle = gettext(key, lang, answered=data["answered"], missing=data["missing"])
    return alt.layer(bars, labels).properties(
        width=width,
        height=max(60, 44 * len(rows)),
        title=alt.TitleParams(data["title"], subtitle=subtitle),
    )


def timeline(data: dict, lang: str, *, width: int = 620, height: int = 220) -> alt.Chart:
    """Stories per week or month (`aggregate.overview.timeline`)."""
    theme.enable()
    count = gettext("workshop.chart_count", lang)
    period = gettext(f"workshop.per_{data['unit']}", lang)
    # Periods are named by their ISO start (2026-05-25, or 2026-05 for a month): readable
    # in both languages, and no date locale is needed in the browser or the report.
    size = 10 if data["unit"] == "week" else 7
    rows = [{"period": p["start"][:size], "count": p["count"]} for p in data["periods"]]
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(x=alt.X("period:O", title=period,
                        axis=alt.Axis(labelAngle=-45, labelOverlap=True)),
                y=alt.Y("count:Q", title=count),
                tooltip=[alt.Tooltip("period:O", title=period),
                         alt.Tooltip("count:Q", title=count)])
        .properties(width=width, height=height,
                    title=gettext("workshop.over_time", lang))
    )  # fmt: skip


def tally(rows: list[dict], title: str, lang: str, *, width: int = 420,
          share_only: bool = False) -> alt.LayerChart:  # fmt: skip
    """Counted values as horizontal bars with count and share (`aggregate.overview.tally`)."""
    theme.enable()
    shown = [{**row, "text": f"{row['share']:.0%}" if share_only else
              f"{row['count']} · {row['share']:.0%}"} for row in rows]  # fmt: skip
    base = alt.Chart(alt.Data(values=shown))
    y = alt.Y("label:N", sort=[row["label"] for row in shown], title=None)
    x = alt.X("share:Q", title=gettext("workshop.chart_share", lang),
              axis=alt.Axis(format=PERCENT), scale=alt.Scale(domain=[0, 1]))  # fmt: skip
    return alt.layer(
        base.mark_bar().encode(y, x),
        base.mark_text(align="left", dx=6).encode(y, x, text=alt.Text("text:N")),
    ).properties(width=width, height=max(60, 40 * len(shown)), title=title)


def na_rates(rows: list[dict], lang: str, *, width: int = 420) -> alt.LayerChart:
    """How often each geometric question was answered "does not apply"."""
    shown = [{**row, "count": row["na"]} for row in rows]
    return tally(shown, gettext("workshop.na_rates", lang), lang, width=width)
