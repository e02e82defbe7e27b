"""The stones picture: the canvas with every stone's spread (middle half) and median."""

import altair as alt

from ..i18n import gettext
from . import theme
from .tables import Tables


def stones(data: dict, lang: str, *, width: int = 520, brush: bool = True) -> alt.LayerChart:
    """Each stone's middle half on both axes as a box, its median as a labelled point,
    and every placed stone as a dot when there are few (`aggregate.pictures.stones`)."""
    theme.enable()
    tables = Tables()
    axes = data["axes"]
    unit = alt.Scale(domain=[0, 1], nice=False)
    x_axis = alt.Axis(values=[0, 1], labelExpr=_ends(axes["x"]), labelFlush=True)
    y_axis = alt.Axis(values=[0, 1], labelExpr=_ends(axes["y"]), labelFlush=True)
    x = alt.X("x:Q", scale=unit, axis=x_axis, title=axes["x"].get("text") or None)
    y = alt.Y("y:Q", scale=unit, axis=y_axis, title=axes["y"].get("text") or None)
    stone = alt.Color("label:N", title=gettext("workshop.stone", lang),
                      sort=[s["label"] for s in data["stones"]])  # fmt: skip
    spread = [{**s, "part": "stone"} for s in data["stones"] if s["x"] is not None]
    layers = []
    frame = (
        alt.Chart(alt.Data(values=[{"x": 0, "y": 0}, {"x": 1, "y": 1}]))
        .mark_point(opacity=0)
        .encode(x, y)
    )
    if brush:
        frame = frame.add_params(
            alt.selection_interval(name="brush", encodings=["x", "y"], clear="dblclick")
        )
    if data.get("dots"):
        layers.append(
            alt.Chart(tables("dots", data["dots"]))
            .mark_circle(size=40, opacity=0.45, cursor="pointer")
            .encode(x, y, color=alt.Color("stone:N", legend=None,
                                          sort=[s["label"] for s in data["stones"]]))
        )  # fmt: skip
    base = alt.Chart(alt.Data(values=spread))
    layers += [
        base.mark_rect(opacity=0.18, stroke="black", strokeOpacity=0.4).encode(
            x=alt.X("x1:Q", scale=unit),
            x2=alt.X2("x3:Q"),
            y=alt.Y("y1:Q", scale=unit),
            y2=alt.Y2("y3:Q"),
            color=stone,
        ),
        base.mark_point(filled=True, size=320, cursor="pointer", stroke="white").encode(
            x, y, color=stone, shape=alt.Shape("label:N", legend=None)
        ),
        # The brush's layer comes after the marks one may click: Vega lets the brush catch
        # the pointer over every layer drawn after it.
        frame,
        base.mark_text(dy=-20, fontWeight="bold").encode(x, y, text=alt.Text("label:N")),
    ]
    subtitle = gettext("workshop.stones_subtitle", lang, answered=data["answered"], na=data["na"])
    chart = alt.layer(*layers).properties(
        width=width, height=width, title=alt.TitleParams(data["title"], subtitle=subtitle)
    )
    return tables.attach(chart)


def _ends(axis: dict) -> str:
    import json

    low, high = (json.dumps(axis.get(k) or "", ensure_ascii=False) for k in ("low", "high"))
    return f"datum.value == 0 ? {low} : {high}"
