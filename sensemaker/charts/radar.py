"""The star picture: a radar of the group's median rating per area, with its middle half.

Vega-Lite has no polar line, so the polygon is laid out here: area k of m sits at angle
2πk/m from the top, a rating r at distance r / 10 from the middle.
"""

import math

import altair as alt

from ..i18n import gettext
from . import theme

HIGH = 10
RINGS = (2, 4, 6, 8, 10)


def _at(k: int, m: int, rating: float) -> tuple[float, float]:
    angle = 2 * math.pi * k / m
    return rating / HIGH * math.sin(angle), rating / HIGH * math.cos(angle)


def polygon(values: list[float | None], ring: str) -> list[dict]:
    """A closed polygon through the areas' values (areas without a value are skipped)."""
    m = len(values)
    rows = []
    for k, value in enumerate([*values, values[0]]):
        if value is not None:
            x, y = _at(k % m, m, value)
            rows.append({"x": round(x, 5), "y": round(y, 5), "order": k, "ring": ring})
    return rows


def star(data: dict, lang: str, *, width: int = 520) -> alt.LayerChart:
    """Median and middle half of every area (`aggregate.pictures.star`)."""
    theme.enable()
    areas = data["areas"]
    m = len(areas)
    scale = alt.Scale(domain=[-1.35, 1.35], nice=False)
    x, y = alt.X("x:Q", scale=scale, axis=None), alt.Y("y:Q", scale=scale, axis=None)
    grid = [row for r in RINGS for row in polygon([r] * m, f"ring{r}")]
    spokes = [{"x": 0, "y": 0, "x2": _at(k, m, HIGH)[0], "y2": _at(k, m, HIGH)[1]}
              for k in range(m)]  # fmt: skip
    labels = [{"x": _at(k, m, 12.2)[0], "y": _at(k, m, 12.2)[1], "text": area["label"]}
              for k, area in enumerate(areas)]  # fmt: skip
    medians = [a["median"] for a in areas]
    points = [{"x": _at(k, m, a["median"])[0], "y": _at(k, m, a["median"])[1], "area": a["id"],
               "label": a["label"], "median": a["median"], "q1": a["q1"], "q3": a["q3"],
               "part": "area"} for k, a in enumerate(areas) if a["median"] is not None]  # fmt: skip
    layers = [
        alt.Chart(alt.Data(values=grid)).mark_line(color="#d0d0d0", strokeWidth=1)
        .encode(x, y, order=alt.Order("order:Q"), detail=alt.Detail("ring:N")),
        alt.Chart(alt.Data(values=spokes)).mark_rule(color="#d0d0d0")
        .encode(x, y, x2=alt.X2("x2:Q"), y2=alt.Y2("y2:Q")),
        alt.Chart(alt.Data(values=labels)).mark_text(fontWeight="bold", fontSize=17)
        .encode(x, y, text=alt.Text("text:N")),
    ]  # fmt: skip
    middle = polygon([a["q1"] for a in areas], "q1") + polygon([a["q3"] for a in areas], "q3")
    if middle:
        layers.append(
            alt.Chart(alt.Data(values=middle))
            .mark_line(color=theme.PALETTE[4], strokeWidth=2, strokeDash=[6, 4])
            .encode(x, y, order=alt.Order("order:Q"), detail=alt.Detail("ring:N"))
        )
    if points:
        layers.append(
            alt.Chart(alt.Data(values=polygon(medians, "median")))
            .mark_line(color=theme.PALETTE[0], strokeWidth=4)
            .encode(x, y, order=alt.Order("order:Q"))
        )
        layers.append(
            alt.Chart(alt.Data(values=points))
            .mark_point(filled=True, size=220, color=theme.PALETTE[0], cursor="pointer")
            .encode(x, y, tooltip=[alt.Tooltip("label:N", title=gettext("workshop.area", lang)),
                                   alt.Tooltip("median:Q", title=gettext("workshop.median", lang))])
        )  # fmt: skip
    subtitle = gettext("workshop.star_subtitle", lang, answered=data["answered"], na=data["na"])
    return alt.layer(*layers).properties(
        width=width, height=width, title=alt.TitleParams(data["title"], subtitle=subtitle)
    )
