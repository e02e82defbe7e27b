"""The triad picture: a ternary plot with its corner labels, dots or triangular bins, the
geometric mean with its confidence region, and counts on the corners and edges.

Vega-Lite has no ternary mark, so the triangle lives on two plain linear scales of equal
units: corners at (0, 0), (1, 0) and (0.5, √3/2), as `analysis.shares_to_points` puts
them. Bins come computed from `aggregate.bins`; each is drawn as an area between its
lower and upper edge (three rows: left corner, middle, right corner).
"""

import textwrap

import altair as alt

from ..analysis.compositions import SQRT3_2
from ..i18n import gettext
from . import theme
from .tables import Tables

X_DOMAIN = (-0.16, 1.16)
LINE_PX = 21  # one line of label text, in pixels
WRAP = 20  # characters per line of a corner label
OUTLINE = [(0.5, SQRT3_2), (0.0, 0.0), (1.0, 0.0), (0.5, SQRT3_2)]
# The bottom-left and bottom-right corner texts hang below their corner, the top one
# stands above the apex; the count of answers at a corner comes right after its label.
BOTTOM = -0.05
TOP = SQRT3_2 + 0.01
# Just outside each edge's middle; the edge opposite corner k is listed k-th.
EDGE_TEXT = [(0.5, -0.035, "center"), (0.79, SQRT3_2 / 2 + 0.04, "left"),
             (0.21, SQRT3_2 / 2 + 0.04, "right")]  # fmt: skip


def wrapped(label: str) -> list[str]:
    return textwrap.wrap(label, WRAP, break_long_words=False)[:3] or [""]


def line(width: int) -> float:
    """The height of one line of text in triangle units, for a chart `width` pixels wide."""
    return LINE_PX * (X_DOMAIN[1] - X_DOMAIN[0]) / width


def y_domain(labels: list[str], width: int) -> tuple[float, float]:
    """Room for the wrapped corner labels and their counts above and below the triangle."""
    below = max(len(wrapped(label)) for label in labels[1:]) + 1
    above = len(wrapped(labels[0])) + 1
    return (BOTTOM - below * line(width) - 0.02, TOP + above * line(width) + 0.01)


def _scales(labels, width):
    x = alt.X("x:Q", scale=alt.Scale(domain=list(X_DOMAIN), nice=False, zero=False), axis=None)
    y = alt.Y("y:Q", scale=alt.Scale(domain=list(y_domain(labels, width)), nice=False, zero=False),
              axis=None)  # fmt: skip
    return x, y


def outline_rows() -> list[dict]:
    return [{"x": x, "y": y, "order": k, "part": "outline"} for k, (x, y) in enumerate(OUTLINE)]


def cell_rows(cells: list[dict]) -> list[dict]:
    """Three rows per bin for an area mark: the left corner, the middle, the right corner."""
    rows = []
    for cell in cells:
        (xa, ya), (xb, yb), (xc, yc) = sorted(cell["polygon"])
        flat = ya if abs(ya - yc) < 1e-9 else yb  # the y shared by two corners
        for x, y in ((xa, ya), (xb, yb), (xc, yc)):
            low, high = (flat, flat) if abs(y - flat) < 1e-9 else sorted((y, flat))
            rows.append({"x": x, "y": low, "y2": high, "cell": cell["cell"],
                         "count": cell["count"], "part": "cell"})  # fmt: skip
    return rows


def triad(data: dict, lang: str, *, width: int = 560, colour: str | None = None,
          colour_title: str = "", brush: bool = True) -> alt.LayerChart:  # fmt: skip
    """The picture of one triad (data from `aggregate.pictures.triad`).

    `colour` names a field of the dots to colour them by (the cluster map).
    """
    theme.enable()
    tables = Tables()
    x, y = _scales(data["labels"], width)
    low, high = y_domain(data["labels"], width)
    height = round(width * (high - low) / (X_DOMAIN[1] - X_DOMAIN[0]))
    outline = (
        alt.Chart(alt.Data(values=outline_rows()))
        .mark_line(color=theme.INK, strokeWidth=2)
        .encode(x, y, order=alt.Order("order:Q"))
    )
    if brush:
        outline = outline.add_params(
            alt.selection_interval(name="brush", encodings=["x", "y"], clear="dblclick")
        )
    layers = []
    if data.get("mode") == "bins":
        layers.append(
            alt.Chart(tables("cells", cell_rows(data["cells"])))
            .mark_area(stroke="white", strokeWidth=0.5, cursor="pointer", interpolate="linear")
            .encode(
                x,
                y,
                alt.Y2("y2:Q"),
                detail=alt.Detail("cell:N"),
                color=alt.Color(
                    "count:Q",
                    scale=alt.Scale(scheme=theme.DENSITY, zero=True),
                    legend=alt.Legend(title=gettext("workshop.chart_count", lang)),
                ),
                tooltip=[alt.Tooltip("count:Q", title=gettext("workshop.chart_count", lang))],
            )  # fmt: skip
        )
    else:
        dots = alt.Chart(tables("dots", data.get("dots", []))).mark_circle(
            size=70, opacity=0.65, cursor="pointer"
        )
        if colour:
            scale = alt.Scale(domain=data["domain"]) if data.get("domain") else alt.Undefined
            layers.append(
                dots.encode(x, y, color=alt.Color(f"{colour}:N", title=colour_title, scale=scale))
            )
        else:
            layers.append(dots.encode(x, y))
    # The outline carries the brush, which catches the pointer over every layer drawn after
    # it: the dots and bins one clicks come before it.
    layers.append(outline)
    if data.get("clusters"):
        layers += _clusters(data, x, y, colour_title)
    else:
        layers += _centre(data, x, y)
    layers += _texts(data, lang, x, y, line(width))
    subtitle = data.get("subtitle") or [
        gettext("workshop.triad_subtitle", lang, answered=data["answered"], na=data["na"])
    ]
    if data.get("mode") == "bins":
        subtitle.append(gettext("workshop.triad_bins", lang))
    chart = alt.layer(*layers).properties(
        width=width,
        height=height,
        title=alt.TitleParams(data["title"], subtitle=subtitle),
    )
    return tables.attach(chart)


def _centre(data, x, y) -> list:
    centre = data.get("centre") or {}
    if not centre.get("point"):
        return []
    layers = []
    if centre.get("region_points"):
        region = [{"x": px, "y": py, "order": k} for k, (px, py) in
                  enumerate(centre["region_points"])]  # fmt: skip
        layers.append(
            alt.Chart(alt.Data(values=region))
            .mark_line(color=theme.ACCENT, strokeWidth=3)
            .encode(x, y, order=alt.Order("order:Q"))
        )
    px, py = centre["point"]
    layers.append(
        alt.Chart(alt.Data(values=[{"x": px, "y": py, "part": "centre"}]))
        .mark_point(shape="diamond", size=260, filled=True, color=theme.ACCENT,
                    stroke="white", strokeWidth=1.5)
        .encode(x, y)
    )  # fmt: skip
    return layers


def _clusters(data, x, y, title) -> list:
    """Each cluster's geometric mean: a large point in its colour, numbered."""
    base = alt.Chart(alt.Data(values=data["clusters"]))
    colour = alt.Color("cluster:N", title=title, scale=alt.Scale(domain=data["domain"]))
    return [
        base.mark_point(filled=True, size=900, stroke="white", strokeWidth=3, opacity=1,
                        cursor="pointer").encode(x, y, color=colour),
        base.mark_text(fontWeight="bold", fontSize=18, color="white").encode(
            x, y, text=alt.Text("cluster", type="nominal")
        ),
    ]  # fmt: skip


def _texts(data, lang, x, y, step) -> list:
    rows = []
    places = [(0.5, "center"), (-0.02, "left"), (1.02, "right")]
    for k, (px, align) in enumerate(places):
        lines = wrapped(data["labels"][k])
        count = gettext("workshop.at_corner", lang, n=data["corners"][k])
        if k == 0:  # above the apex: the count just over it, the label over the count
            label_y, count_y = TOP + step * (len(lines) + 1), TOP + step
        else:
            label_y, count_y = BOTTOM, BOTTOM - step * len(lines)
        rows.append({"x": px, "y": label_y, "text": lines, "align": align, "weight": "bold"})
        rows.append({"x": px, "y": count_y, "text": count, "align": align, "weight": "normal"})
    for k, (px, py, align) in enumerate(EDGE_TEXT):
        if data["edges"][k]:
            text = gettext("workshop.on_edge", lang, n=data["edges"][k])
            rows.append({"x": px, "y": py, "text": text, "align": align, "weight": "normal"})
    layers = []
    for align in ("left", "center", "right"):
        for weight in ("bold", "normal"):
            part = [row for row in rows if row["align"] == align and row["weight"] == weight]
            if part:
                layers.append(
                    alt.Chart(alt.Data(values=part))
                    .mark_text(align=align, baseline="top", fontWeight=weight, lineHeight=LINE_PX,
                               fontSize=theme.SIZES["label"],
                               color=theme.INK if weight == "bold" else theme.MUTED)
                    .encode(x, y, text=alt.Text("text", type="nominal"))
                )  # fmt: skip
    return layers
