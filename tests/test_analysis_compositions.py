"""Triads as compositions: conversions, zero replacement, log-ratios and centres."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sensemaker.analysis import compositions as comp

SQ = np.sqrt(3.0) / 2.0


# -- known answers ----------------------------------------------------------------------


def test_corners_and_centre_map_to_the_triangle():
    shares = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1 / 3, 1 / 3, 1 / 3]], dtype=float)
    points = comp.shares_to_points(shares)
    expected = [[0.5, SQ], [0.0, 0.0], [1.0, 0.0], [0.5, SQ / 3]]
    np.testing.assert_allclose(points, expected, atol=1e-12)
    np.testing.assert_allclose(comp.points_to_shares(points), shares, atol=1e-12)


def test_points_a_hair_outside_are_pulled_onto_the_triangle():
    shares = comp.points_to_shares(np.array([[-1e-9, 0.0], [0.5, SQ + 1e-9]]))
    np.testing.assert_allclose(shares, [[0, 1, 0], [1, 0, 0]], atol=1e-8)
    assert (shares >= 0).all()


def test_multiplicative_replacement_by_hand():
    replaced = comp.replace_zeros(np.array([[0.5, 0.5, 0.0], [1.0, 0.0, 0.0], [0.3, 0.3, 0.4]]))
    np.testing.assert_allclose(
        replaced, [[0.4975, 0.4975, 0.005], [0.99, 0.005, 0.005], [0.3, 0.3, 0.4]]
    )


def test_shares_below_the_widget_resolution_count_as_zero():
    replaced = comp.replace_zeros(np.array([0.003, 0.497, 0.5]))
    expected = [0.005, 0.497 * 0.995 / 0.997, 0.5 * 0.995 / 0.997]
    np.testing.assert_allclose(replaced, expected)
    # The non-zero parts keep their ratio, which is what log-ratios see.
    assert replaced[2] / replaced[1] == pytest.approx(0.5 / 0.497)


def test_pivot_basis_is_orthonormal_and_a_contrast():
    for parts in (3, 4, 5):
        basis = comp.pivot_basis(parts)
        np.testing.assert_allclose(basis.T @ basis, np.eye(parts - 1), atol=1e-12)
        np.testing.assert_allclose(basis.sum(axis=0), 0.0, atol=1e-12)


def test_ilr_by_hand():
    z = comp.ilr(np.array([[0.5, 0.25, 0.25], [0.2, 0.2, 0.6]]))
    expected = [
        [np.sqrt(2 / 3) * np.log(2.0), 0.0],
        [np.sqrt(2 / 3) * np.log(0.2 / np.sqrt(0.2 * 0.6)), np.sqrt(0.5) * np.log(0.2 / 0.6)],
    ]
    np.testing.assert_allclose(z, expected, atol=1e-12)
    np.testing.assert_allclose(comp.ilr_inverse(z), [[0.5, 0.25, 0.25], [0.2, 0.2, 0.6]])


def test_clr_sums_to_zero_and_inverts():
    shares = np.array([[0.1, 0.3, 0.6], [0.7, 0.2, 0.1]])
    coords = comp.clr(shares)
    np.testing.assert_allclose(coords.sum(axis=1), 0.0, atol=1e-12)
    np.testing.assert_allclose(comp.clr_inverse(coords), shares)


def test_geometric_mean_by_hand_ignores_blank_rows():
    shares = np.array([[0.5, 0.25, 0.25], [np.nan] * 3, [0.125, 0.5, 0.375]])
    parts = np.array([np.sqrt(0.5 * 0.125), np.sqrt(0.25 * 0.5), np.sqrt(0.25 * 0.375)])
    np.testing.assert_allclose(comp.geometric_mean(shares), parts / parts.sum())


def test_geometric_mean_of_nothing_is_nan():
    assert np.isnan(comp.geometric_mean(np.full((2, 3), np.nan))).all()


def test_aitchison_distance_by_hand():
    distance = comp.aitchison_distance(np.array([0.5, 0.25, 0.25]), np.full(3, 1 / 3))
    assert distance == pytest.approx(np.sqrt(2 / 3) * np.log(2.0))
    # Scale invariance: the distance ignores closure.
    assert comp.aitchison_distance(np.array([2, 1, 1.0]), np.array([0.5, 0.25, 0.25])) < 1e-12


def test_corners_and_edges_are_counted_apart():
    shares = np.array(
        [
            [1.0, 0.0, 0.0],
            [0.996, 0.004, 0.0],  # both small shares are below the resolution: a corner
            [0.5, 0.5, 0.0],
            [0.0, 0.3, 0.7],
            [0.2, 0.3, 0.5],
            [np.nan, np.nan, np.nan],
        ]
    )
    counted = comp.boundary_counts(shares)
    assert (counted.corners, counted.edges) == (2, 2)


def test_centre_and_region_on_known_answers():
    rng = np.random.default_rng(0)
    shares = comp.ilr_inverse(rng.normal([0.4, -0.2], 0.3, size=(50, 2)))
    centre = comp.triad_centre(shares)
    assert centre.n == 50
    np.testing.assert_allclose(centre.shares, comp.geometric_mean(shares))
    polygon = np.array(centre.region_shares)
    np.testing.assert_allclose(polygon.sum(axis=1), 1.0)
    np.testing.assert_allclose(polygon[0], polygon[-1])
    assert _inside(centre.point, np.array(centre.region_points))


def test_region_needs_three_answers_and_some_spread():
    two = comp.triad_centre(np.array([[0.2, 0.3, 0.5], [0.3, 0.3, 0.4]]))
    assert two.shares is not None and two.region_points is None
    same = comp.triad_centre(np.tile([0.2, 0.3, 0.5], (10, 1)))
    assert same.region_points is None
    nothing = comp.triad_centre(np.full((3, 3), np.nan))
    assert nothing.n == 0 and nothing.shares is None


def test_region_covers_the_true_centre_about_95_percent_of_the_time():
    rng = np.random.default_rng(1)
    truth_ilr = np.array([0.6, -0.4])
    truth = comp.shares_to_points(comp.ilr_inverse(truth_ilr))
    covered = 0
    trials = 300
    for _ in range(trials):
        sample = comp.ilr_inverse(rng.normal(truth_ilr, [0.5, 0.3], size=(30, 2)))
        covered += _inside(truth, np.array(comp.triad_centre(sample).region_points))
    assert 0.91 <= covered / trials <= 0.985


def _inside(point, polygon) -> bool:
    """Ray casting: is `point` inside the closed `polygon`?"""
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(polygon[:-1], polygon[1:], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


# -- properties -------------------------------------------------------------------------

part = st.one_of(
    st.just(0.0),
    st.just(1.0),
    st.floats(min_value=0.0, max_value=1.0, allow_nan=False, allow_subnormal=False),
)


@st.composite
def shares(draw):
    values = np.array([draw(part) for _ in range(3)])
    if values.sum() == 0:
        values[draw(st.integers(0, 2))] = 1.0
    return values / values.sum()


@given(shares())
def test_point_round_trip_keeps_the_shares(answer):
    back = comp.points_to_shares(comp.shares_to_points(answer))
    assert np.isfinite(back).all()
    assert back.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(back, answer, atol=1e-9)


@given(shares())
def test_ilr_round_trip_returns_the_replaced_shares(answer):
    replaced = comp.replace_zeros(answer)
    coords = comp.ilr(answer)
    back = comp.ilr_inverse(coords)
    assert np.isfinite(coords).all() and np.isfinite(back).all()
    assert back.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(back, replaced, rtol=1e-9, atol=1e-12)


@given(shares())
def test_replacement_closes_and_is_idempotent(answer):
    replaced = comp.replace_zeros(answer)
    assert replaced.sum() == pytest.approx(1.0)
    assert replaced.min() >= comp.DELTA * (1 - 1e-12)
    np.testing.assert_allclose(comp.replace_zeros(replaced), replaced, rtol=1e-12)


@given(st.integers(0, 2), st.integers(0, 2), st.floats(0.0, 1.0))
def test_edges_and_corners_stay_finite(first, second, share):
    answer = np.zeros(3)
    answer[first] = share
    answer[second] = 1.0 - share if second != first else 1.0
    answer = answer / answer.sum()
    for values in (comp.shares_to_points(answer), comp.ilr(answer), comp.clr(answer)):
        assert np.isfinite(values).all()
    assert np.isfinite(comp.geometric_mean(np.vstack([answer, answer]))).all()


def test_blank_rows_pass_through_every_conversion_without_warnings():
    blank = np.array([[np.nan] * 3, [0.2, 0.3, 0.5]])
    for convert in (comp.shares_to_points, comp.ilr, comp.clr, comp.replace_zeros):
        converted = convert(blank)
        assert np.isnan(converted[0]).all() and np.isfinite(converted[1]).all()
    assert np.isnan(comp.ilr_inverse(np.array([[np.nan, np.nan]]))).all()
