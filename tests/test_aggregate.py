"""What the workshop draws, computed before any chart: bins, filters, selections, search."""

from datetime import date

import numpy as np
import pytest

from sensemaker import signification
from sensemaker.aggregate import Filter, Frame, Selection, SelectionError, bins, overview
from sensemaker.aggregate.pictures import picture
from sensemaker.aggregate.search import search_words, stem
from sensemaker.analysis.compositions import shares_to_points


def random_shares(n, seed=0):
    rng = np.random.default_rng(seed)
    shares = rng.dirichlet([1.0, 1.0, 1.0], n)
    # The border cases the bins must place: corners, edges, lattice points.
    border = [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
        [0.5, 0.5, 0],
        [0, 0.5, 0.5],
        [0.5, 0, 0.5],
        [0.25, 0.75, 0],
        [0.75, 0, 0.25],
        [1 / 3, 1 / 3, 1 / 3],
        [0.5, 0.25, 0.25],
    ]
    return np.vstack([shares, border])  # fmt: skip


@pytest.mark.parametrize("resolution", [1, 2, 5, 12])
def test_every_answer_falls_in_one_cell_that_contains_it(resolution):
    shares = random_shares(2000)
    index = bins.triangle_cells(shares, resolution)
    assert (index >= 0).all() and all(bins.valid_cell(int(i), resolution) for i in set(index))
    for row, cell in zip(shares, index, strict=True):
        corners = bins.cell_shares(int(cell), resolution)
        # Barycentric coordinates of the answer within its cell: all ≥ 0 means inside.
        weights = np.linalg.solve(np.vstack([corners[:, :2].T, np.ones(3)]),
                                  np.array([row[0], row[1], 1.0]))  # fmt: skip
        assert (weights > -1e-9).all(), (row, cell)


def test_bin_counts_sum_to_the_answers_and_skip_blanks():
    shares = np.vstack([random_shares(500, seed=3), np.full((7, 3), np.nan)])
    cells = bins.triangle_bins(shares, 6)
    assert sum(cell["count"] for cell in cells) == 510
    assert (bins.triangle_cells(shares, 6) == -1).sum() == 7
    assert len({cell["cell"] for cell in cells}) == len(cells) <= 36


def triangle_area(points) -> float:
    (ax, ay), (bx, by), (cx, cy) = points
    return abs((bx - ax) * (cy - ay) - (cx - ax) * (by - ay)) / 2


def test_cells_tile_the_triangle():
    resolution = 4
    cells = [i for i in range(2 * resolution**2) if bins.valid_cell(i, resolution)]
    assert len(cells) == resolution**2
    areas = [triangle_area(shares_to_points(bins.cell_shares(c, resolution))) for c in cells]
    assert sum(areas) == pytest.approx(np.sqrt(3) / 4)
    assert min(areas) == pytest.approx(max(areas))


def test_histogram_counts_every_value_once_and_one_goes_in_the_last_bin():
    values = np.array([0.0, 0.05, 0.1, 0.5, 0.99, 1.0, np.nan])
    histogram = bins.histogram(values, 10)
    assert [row["count"] for row in histogram] == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]
    assert bins.unit_bin(values, 0.9, 1.0).sum() == 2


# -- a frame with known answers -----------------------------------------------------------


@pytest.fixture
def frame(all_kinds):
    rows = [
        ({"safety": [0.2, 0.3, 0.5], "pace": 0.1, "role": "patient", "topics": ["food"],
          "life": {"health": 3, "home": 8}}, "sv", "good-day", "2026-09-01"),
        ({"safety": [1.0, 0.0, 0.0], "pace": 1.0, "role": "staff", "topics": ["food", "sleep"],
          "people": {"nurse": [0.1, 0.9]}}, "en", "hard-day", "2026-09-10"),
        ({"safety": "na", "pace": "na", "role": "relative", "life": "na"}, "sv", "good-day",
         "2026-10-02"),
        ({"role": "staff", "people": {"nurse": [0.8, 0.2], "doctor": [0.5, 0.5]}}, "sv",
         "hard-day", "2026-10-20"),
    ]  # fmt: skip
    matrix = np.vstack([np.frombuffer(signification.encode(all_kinds, a)) for a, *_ in rows])
    facts = {
        "seq": [10, 11, 12, 13],
        "language": [r[1] for r in rows],
        "prompt": [r[2] for r in rows],
        "collected_at": [r[3] + "T10:00:00Z" for r in rows],
    }
    significations = signification.decode(all_kinds, matrix)
    return Frame.build(all_kinds, [10, 11, 12, 13], significations, facts)  # fmt: skip


def parse(frame, **args):
    found, problems = Filter.parse({k.replace("_", "."): v for k, v in args.items()},
                                   frame.survey)  # fmt: skip
    return found, problems


def test_filter_by_choice_date_prompt_and_language(frame):
    chosen, problems = parse(frame, c_role=["staff"])
    assert problems == [] and chosen.mask(frame).tolist() == [False, True, False, True]
    chosen, _ = parse(frame, c_role=["staff", "patient"], c_topics=["food"])
    assert chosen.mask(frame).tolist() == [True, True, False, False]
    chosen, _ = Filter.parse({"from": ["2026-09-05"], "to": ["2026-10-02"]}, frame.survey)
    assert chosen.mask(frame).tolist() == [False, True, True, False]
    chosen, _ = Filter.parse({"prompt": ["hard-day"], "language": ["sv"]}, frame.survey)
    assert chosen.mask(frame).tolist() == [False, False, False, True]


def test_filter_leaves_out_what_it_cannot_use_and_says_so(frame):
    chosen, problems = Filter.parse(
        {
            "c.role": ["alien"],
            "c.nothing": ["x"],
            "c.safety": ["staff"],
            "from": ["igår"],
            "prompt": ["<script>"],
            "run": ["1"],
        },
        frame.survey,
    )
    assert chosen.empty
    keys = sorted(p.key for p in problems)
    assert keys.count("workshop.filter_unknown") == 4 and "workshop.filter_bad_date" in keys


def test_filter_travels_through_the_url_unchanged(frame):
    args = {"c.role": ["staff", "patient"], "from": ["2026-09-01"], "to": ["2026-10-31"],
            "prompt": ["good-day"], "language": ["en"], "run": ["3"], "cluster": ["2"],
            "q": ["natten"]}  # fmt: skip
    chosen, problems = Filter.parse(args, frame.survey)
    assert problems == [] and chosen.since == date(2026, 9, 1)
    again = {}
    for name, value in chosen.query(prefix="a."):
        again.setdefault(name, []).append(value)
    assert Filter.parse(again, frame.survey, prefix="a.")[0] == chosen
    assert chosen.without("choice", "role:staff").choices == (("role", ("patient",)),)
    assert chosen.without("cluster").run is None and chosen.without("words").words == ""


def test_search_and_cluster_rows_come_from_outside(frame):
    chosen, _ = Filter.parse({"q": ["kaffe"]}, frame.survey)
    with pytest.raises(ValueError):
        chosen.mask(frame)
    matched = frame.mask_of([11, 12, 99])
    assert chosen.mask(frame, matched=matched).tolist() == [False, True, True, False]


def test_selections_pick_the_stories_behind_a_mark(frame):
    survey = frame.survey
    cell = int(bins.triangle_cells(np.array([[0.2, 0.3, 0.5]]), 12)[0])
    cases = {
        ("safety", f"cell:12:{cell}"): [True, False, False, False],
        ("safety", "na"): [False, False, True, False],
        ("safety", "box:0.4:0.7:0:0.3"): [True, False, False, False],  # point (0.6, 0.17)
        ("pace", "range:0.95:1"): [False, True, False, False],
        ("people", "box:0:0.3:0.8:1"): [False, True, False, False],
        ("people", "box:0.4:1:0:0.6:doctor"): [False, False, False, True],
        ("role", "option:staff"): [False, True, False, True],
        ("life", "area:home:7:10"): [True, False, False, False],
        (None, "seq:12"): [False, False, True, False],
        (None, ""): [True, True, True, True],
    }
    for (pick, sel), expected in cases.items():
        selection = Selection.parse(pick, sel, survey)
        assert selection.mask(frame).tolist() == expected, (pick, sel)
        assert Selection.parse(pick, selection.sel, survey) == selection


@pytest.mark.parametrize(
    "pick, sel",
    [("safety", "option:staff"), ("role", "option:alien"), ("safety", "cell:12:9999"),
     ("pace", "range:a:b"), ("pace", "range:0:inf"), ("nothing", "na"), ("wish", "na"),
     ("people", "box:0:1:0:1:alien"), ("life", "area:sleep:1:2"), (None, "seq:-1"),
     ("safety", "box:0:1"), ("role", "<img src=x>")],
)  # fmt: skip
def test_selections_that_do_not_fit_are_refused(all_kinds, pick, sel):
    with pytest.raises(SelectionError):
        Selection.parse(pick, sel, all_kinds)


def test_pictures_count_answered_na_and_the_border(frame):
    every = np.ones(frame.n, dtype=bool)
    triad = picture(frame, "safety", every, "en")
    assert (triad["answered"], triad["na"], triad["missing"]) == (2, 1, 1)
    assert triad["mode"] == "dots" and triad["corners"] == [1, 0, 0]
    assert triad["dots"][0] == {"x": 0.6, "y": round(0.2 * np.sqrt(3) / 2, 5), "seq": 10}
    assert triad["labels"] == ["The staff", "Family", "Myself"]
    binned = picture(frame, "safety", every, "sv", dot_limit=1)
    assert binned["mode"] == "bins" and sum(c["count"] for c in binned["cells"]) == 2
    choice = picture(frame, "topics", every, "sv")
    assert [(o["id"], o["count"]) for o in choice["options"]][:2] == [("food", 2), ("sleep", 1)]
    assert choice["options"][-1]["label"] == "Annat" and choice["multiple"]
    stones = picture(frame, "people", every, "en")
    assert stones["stones"][0]["placed"] == 2 and len(stones["dots"]) == 3
    star = picture(frame, "life", every, "en")
    assert star["areas"][1]["median"] == 8 and star["na"] == 1
    dyad = picture(frame, "pace", every, "en")
    assert sum(b["count"] for b in dyad["bins"]) == 2 and dyad["labels"] == ["Rushed", "Calm"]


def test_overview_counts_time_languages_and_na(frame):
    summary = overview.summary(frame, np.ones(frame.n, dtype=bool), "en")
    assert summary["timeline"]["unit"] == "week"
    assert sum(p["count"] for p in summary["timeline"]["periods"]) == 4
    assert summary["timeline"]["periods"][0]["start"] == "2026-08-31"  # a Monday
    assert [(r["id"], r["count"]) for r in summary["languages"]] == [("sv", 3), ("en", 1)]
    rates = {r["id"]: (r["na"], r["of"]) for r in summary["na_rates"]}
    assert rates["safety"] == (1, 3) and rates["life"] == (3, 5)
    days = np.array(["2026-01-15", "2026-08-30"], dtype="datetime64[D]")
    months = overview.timeline(days)
    assert months["unit"] == "month" and len(months["periods"]) == 8


def test_search_words_keep_swedish_letters_and_drop_endings():
    assert stem("sjuksköterskan") == stem("sjuksköterskor") == "sjukskötersk"
    assert stem("personalen") == "personal" and stem("får") == "får" and stem("far") == "far"
    assert search_words("Nätterna, kaffet!") == ["nätt", "kaff"]
    assert search_words("") == []
