"""Chart functions through `to_dict()`: the triangle, dots where the shares put them, bins
that add up, and the one theme on every chart."""

import math

import numpy as np
import pytest

from sensemaker import charts
from sensemaker.aggregate import bins
from sensemaker.aggregate.pictures import triad as triad_picture
from sensemaker.analysis import TriadAnswers, compositions

SQRT3_2 = math.sqrt(3) / 2


class Question:
    """The little of a survey question a picture needs."""

    def __init__(self, **raw):
        self.raw = raw
        self.id = raw["id"]
        self.text = raw["text"]


TRIAD = Question(id="safety", text={"sv": "Trygghet", "en": "Safety"},
                 labels=[{"id": c, "text": {"sv": f"{c}-sv", "en": f"{c}-en"}}
                         for c in ("staff", "family", "self")])  # fmt: skip


def triad_data(shares, **options):
    answers = TriadAnswers(np.array(shares, dtype=float))
    return triad_picture(TRIAD, answers, np.arange(len(answers.shares)) + 100, "sv", **options)


def layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def values_where(spec, key: str) -> list[dict]:
    """The data rows (of the chart or any layer) that have `key`."""
    sources = [spec, *spec.get("layer", [])]
    rows = [row for part in sources for row in part.get("data", {}).get("values", [])]
    rows += [row for values in spec.get("datasets", {}).values() for row in values]
    return [row for row in rows if key in row]


def test_the_triangle_has_its_three_corners_and_equal_units():
    spec = charts.triad(triad_data([[1 / 3, 1 / 3, 1 / 3]] * 5), "sv").to_dict()
    outline = [(row["x"], row["y"]) for row in values_where(spec, "order")
               if row.get("part") == "outline"]  # fmt: skip
    assert outline[:3] == [(0.5, pytest.approx(SQRT3_2)), (0.0, 0.0), (1.0, 0.0)]
    assert outline[3] == outline[0]
    x_domain = layers(spec)[0]["encoding"]["x"]["scale"]["domain"]
    y_domain = layers(spec)[0]["encoding"]["y"]["scale"]["domain"]
    # One unit on x is as many pixels as one unit on y: the triangle is not squashed.
    x_px = spec["width"] / (x_domain[1] - x_domain[0])
    y_px = spec["height"] / (y_domain[1] - y_domain[0])
    assert x_px == pytest.approx(y_px, rel=0.01)


@pytest.mark.parametrize(
    "shares, point",
    [([1, 0, 0], (0.5, SQRT3_2)), ([0, 1, 0], (0, 0)), ([0, 0, 1], (1, 0)),
     ([0.2, 0.3, 0.5], (0.6, 0.2 * SQRT3_2)), ([0.5, 0.5, 0], (0.25, SQRT3_2 / 2))],
)  # fmt: skip
def test_a_dot_sits_where_its_shares_put_it(shares, point):
    spec = charts.triad(triad_data([shares]), "sv").to_dict()
    dots = values_where(spec, "seq")
    assert len(dots) == 1 and dots[0]["seq"] == 100
    assert (dots[0]["x"], dots[0]["y"]) == (pytest.approx(point[0], abs=1e-5),
                                            pytest.approx(point[1], abs=1e-5))  # fmt: skip


def test_many_answers_become_bins_whose_counts_sum_to_n():
    shares = np.random.default_rng(1).dirichlet([2, 3, 4], 3000)
    data = triad_data(shares, dot_limit=2500)
    spec = charts.triad(data, "sv").to_dict()
    assert values_where(spec, "seq") == []
    rows = values_where(spec, "cell")
    per_cell = {row["cell"]: row["count"] for row in rows}
    assert sum(per_cell.values()) == 3000 and len(rows) == 3 * len(per_cell)
    # Each bin is drawn as an area from its lower to its upper edge, inside the triangle.
    for row in rows:
        assert -1e-9 <= row["y"] <= row["y2"] <= SQRT3_2 + 1e-9
    area = next(layer for layer in layers(spec) if layer["mark"]["type"] == "area")
    assert area["encoding"]["detail"]["field"] == "cell"
    assert "small triangle" not in str(spec) and "liten triangel" in str(spec["title"])


def test_the_centre_and_its_region_are_drawn():
    shares = np.random.default_rng(2).dirichlet([5, 2, 2], 200)
    data = triad_data(shares)
    spec = charts.triad(data, "sv").to_dict()
    centre = [row for row in values_where(spec, "part") if row["part"] == "centre"]
    expected = compositions.shares_to_points(compositions.geometric_mean(shares))
    assert (centre[0]["x"], centre[0]["y"]) == (pytest.approx(expected[0]),
                                                pytest.approx(expected[1]))  # fmt: skip
    region = [layer for layer in layers(spec) if layer["mark"].get("color") == charts.theme.ACCENT
              and layer["mark"]["type"] == "line"]  # fmt: skip
    assert len(region[0]["data"]["values"]) == 73  # a closed polygon


def test_corner_and_edge_counts_are_shown_in_the_users_language():
    data = triad_data([[1, 0, 0], [1, 0, 0], [0, 0.5, 0.5], [0.4, 0.3, 0.3]])
    assert data["corners"] == [2, 0, 0] and data["edges"] == [1, 0, 0]
    text = str(charts.triad(data, "sv").to_dict())
    assert "2 i hörnet" in text and "1 på kanten" in text and "staff-sv" in text
    english = str(charts.triad(triad_picture(TRIAD, TriadAnswers(np.eye(3)), np.arange(3), "en"),
                               "en").to_dict())  # fmt: skip
    assert "1 at the corner" in english and "staff-en" in english


def test_the_theme_is_registered_and_carried_by_every_chart():
    spec = charts.triad(triad_data([[0.2, 0.3, 0.5]]), "sv").to_dict()
    config = spec["config"]
    assert config["range"]["category"] == charts.theme.PALETTE
    assert config["axis"]["labelFontSize"] >= 16 and config["title"]["fontSize"] >= 20


def test_dyad_histogram_names_its_poles_and_na():
    data = {
        "kind": "dyad",
        "title": "Tempo",
        "labels": ["Stressat", "Lugnt"],
        "answered": 3,
        "na": 2,
        "missing": 0,
        "median": 0.5,
        "bins": bins.histogram([0.1, 0.5, 1.0], 4),
    }
    spec = charts.dyad(data, "sv").to_dict()
    rows = values_where(spec, "count")
    assert [r["count"] for r in rows] == [1, 0, 1, 1] and rows[0]["part"] == "bin"
    text = str(spec)
    assert "Stressat" in text and "Lugnt" in text and "2 ej tillämpligt" in text
    params = spec.get("params") or spec["layer"][0]["params"]
    assert params[0]["name"] == "brush" and params[0]["select"]["encodings"] == ["x"]


def test_choice_bars_carry_shares_and_counts():
    data = {
        "kind": "choice",
        "title": "Roll",
        "answered": 4,
        "missing": 1,
        "multiple": False,
        "options": [
            {"id": "a", "label": "Patient", "count": 3, "share": 0.75},
            {"id": "b", "label": "Personal", "count": 1, "share": 0.25},
        ],
    }
    spec = charts.choice(data, "en").to_dict()
    rows = values_where(spec, "share")
    assert [(r["id"], r["text"]) for r in rows] == [("a", "3 · 75%"), ("b", "1 · 25%")]
    assert "4 answered" in str(spec["title"])


def test_stones_star_and_overview_charts_are_valid_vega_lite():
    stones = {"kind": "stones", "title": "Var", "answered": 2, "na": 0,
              "axes": {"x": {"text": "", "low": "Långt", "high": "Nära"},
                       "y": {"text": "Makt", "low": "Lite", "high": "Mycket"}},
              "stones": [{"id": "n", "label": "Sjuksköterska", "placed": 2, "x": 0.5, "y": 0.4,
                          "x1": 0.3, "x3": 0.7, "y1": 0.2, "y3": 0.6}],
              "dots": [{"x": 0.3, "y": 0.2, "stone": "Sjuksköterska", "seq": 1}]}  # fmt: skip
    assert "Sjuksköterska" in str(charts.stones(stones, "sv").to_dict())
    star = {"kind": "star", "title": "Livet", "answered": 3, "na": 1,
            "areas": [{"id": a, "label": a, "median": m, "q1": m - 1, "q3": m + 1,
                       "answered": 3, "na": 0}
                      for a, m in (("hälsa", 5), ("hem", 8), ("vänner", 3))],
            "stages": []}  # fmt: skip
    spec = charts.star(star, "sv").to_dict()
    points = [row for row in values_where(spec, "area")]
    assert points[0]["x"] == pytest.approx(0) and points[0]["y"] == pytest.approx(0.5)
    timeline = {"unit": "week", "periods": [{"start": "2026-08-31", "count": 4},
                                            {"start": "2026-09-07", "count": 0}]}  # fmt: skip
    rows = values_where(charts.timeline(timeline, "sv").to_dict(), "period")
    assert [r["period"] for r in rows] == ["2026-08-31", "2026-09-07"]
    tally = charts.tally([{"id": "sv", "label": "sv", "count": 3, "share": 0.75}], "Språk", "sv")
    assert "Språk" in str(tally.to_dict())
