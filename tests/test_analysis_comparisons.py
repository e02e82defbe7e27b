"""Group comparisons: every test against scipy's own, effect sizes, q-values, small groups."""

import json

import numpy as np
import pytest
from scipy import stats

from sensemaker.analysis import (
    ChoiceAnswers,
    DyadAnswers,
    Significations,
    StarAnswers,
    StonesAnswers,
    TriadAnswers,
    compare_groups,
    compositions,
    significance,
)

# -- the wrappers return what scipy returns ----------------------------------------------


def test_large_tables_use_pearson_chi_square():
    table = np.array([[30, 45, 25], [20, 60, 40]])
    result = significance.contingency(table)
    reference = stats.chi2_contingency(table, correction=False)
    assert result.test == "chi-square"
    assert result.statistic == pytest.approx(reference.statistic)
    assert result.p == pytest.approx(reference.pvalue)
    assert result.effect == "cramers-v"
    assert result.effect_size == pytest.approx(stats.contingency.association(table))


def test_small_two_by_two_tables_use_fishers_exact_test():
    table = np.array([[8, 2], [1, 5]])
    result = significance.contingency(table)
    reference = stats.fisher_exact(table)
    assert result.test == "fisher-exact"
    assert (result.statistic, result.p) == pytest.approx((reference.statistic, reference.pvalue))
    assert result.effect == "odds-ratio"
    assert result.effect_size == pytest.approx(8 * 5 / (2 * 1))


def test_a_zero_cell_gets_half_added_for_the_odds_ratio():
    assert significance.odds_ratio([[5, 0], [2, 3]]) == pytest.approx(5.5 * 3.5 / (0.5 * 2.5))


def test_small_larger_tables_use_a_seeded_monte_carlo_fisher_freeman_halton_test():
    table = np.array([[3, 1, 4], [0, 5, 2]])
    result = significance.contingency(table, seed=11)
    method = stats.MonteCarloMethod(n_resamples=9_999, rng=np.random.default_rng(11))
    reference = stats.fisher_exact(table, method=method)
    assert result.test == "fisher-freeman-halton"
    assert (result.statistic, result.p) == pytest.approx((reference.statistic, reference.pvalue))
    assert significance.contingency(table, seed=11).p == result.p  # seeded


def test_unused_options_are_dropped_before_testing():
    with_unused = significance.contingency([[30, 0, 25], [20, 0, 40]])
    assert with_unused.p == pytest.approx(significance.contingency([[30, 25], [20, 40]]).p)


def test_mann_whitney_and_rank_biserial():
    rng = np.random.default_rng(2)
    a, b = rng.uniform(size=40), rng.uniform(0.2, 1.0, size=35)
    result = significance.ranks(a, b)
    reference = stats.mannwhitneyu(a, b, alternative="two-sided")
    assert (result.statistic, result.p) == pytest.approx((reference.statistic, reference.pvalue))
    # Cliff's delta, counted by hand: P(a > b) - P(a < b)
    delta = (np.sign(a[:, None] - b[None, :])).mean()
    assert result.effect_size == pytest.approx(delta)
    assert significance.ranks([1, 2], [2, 3]).effect_size == pytest.approx(-0.75)


def test_kolmogorov_smirnov():
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=50), rng.normal(0.5, size=60)
    result = significance.distributions(a, b)
    reference = stats.ks_2samp(a, b)
    assert (result.statistic, result.p) == pytest.approx((reference.statistic, reference.pvalue))


def test_hotelling_t2_by_hand():
    rng = np.random.default_rng(4)
    za, zb = rng.normal(size=(25, 2)), rng.normal(0.4, size=(30, 2))
    pooled = (24 * np.cov(za, rowvar=False) + 29 * np.cov(zb, rowvar=False)) / 53
    diff = za.mean(axis=0) - zb.mean(axis=0)
    t2 = 25 * 30 / 55 * diff @ np.linalg.inv(pooled) @ diff
    f = (55 - 2 - 1) / (2 * 53) * t2
    assert significance.hotelling_t2(za, zb) == pytest.approx((t2, stats.f.sf(f, 2, 52)))


def test_the_permutation_test_is_scipys_with_the_hotelling_statistic():
    rng = np.random.default_rng(5)
    za, zb = rng.normal(size=(20, 2)), rng.normal(0.3, size=(25, 2))
    result = significance.compositions(za, zb, n_permutations=499, seed=9)
    both = np.vstack([za, zb])

    def t2(index_a, index_b):
        return significance.hotelling_t2(both[index_a], both[index_b])[0]

    reference = stats.permutation_test(
        (np.arange(20), np.arange(20, 45)),
        t2,
        vectorized=False,
        n_resamples=499,
        alternative="greater",
        rng=np.random.default_rng(9),
    )
    assert result.test == "permutation-hotelling-t2"
    assert result.statistic == pytest.approx(reference.statistic)
    assert result.p == pytest.approx(reference.pvalue)


def test_the_permutation_test_recovers_a_planted_difference():
    rng = np.random.default_rng(6)
    za = rng.normal([0.0, 0.0], 0.5, size=(60, 2))
    zb = rng.normal([0.35, 0.0], 0.5, size=(60, 2))
    result = significance.compositions(za, zb, seed=1)
    assert result.p <= 0.01
    assert result.details["aitchison_distance"] == pytest.approx(
        np.linalg.norm(za.mean(axis=0) - zb.mean(axis=0))
    )


def test_the_permutation_test_finds_nothing_between_two_halves_of_one_distribution():
    rng = np.random.default_rng(7)
    shares = compositions.ilr_inverse(rng.normal([0.5, -0.2], 0.6, size=(120, 2)))
    coords = compositions.ilr(shares)
    assert significance.compositions(coords[:60], coords[60:], seed=1).p > 0.05
    # And over many random splits it rejects about as often as it should.
    rejected = 0
    for _ in range(40):
        order = rng.permutation(120)
        split = significance.compositions(
            coords[order[:60]], coords[order[60:]], n_permutations=199, seed=2
        )
        rejected += split.p <= 0.05
    assert rejected <= 6


def test_large_groups_use_the_f_distribution(monkeypatch):
    monkeypatch.setattr(significance, "PERMUTATION_LIMIT", 50)
    rng = np.random.default_rng(8)
    za, zb = rng.normal(size=(40, 2)), rng.normal(size=(40, 2))
    result = significance.compositions(za, zb)
    assert result.test == "hotelling-t2"
    assert (result.statistic, result.p) == pytest.approx(significance.hotelling_t2(za, zb))


def test_q_values_are_benjamini_hochberg_and_skip_untested():
    p = [0.01, None, 0.04, 0.03, 0.5]
    q = significance.q_values(p)
    expected = stats.false_discovery_control([0.01, 0.04, 0.03, 0.5], method="bh")
    assert q[1] is None
    np.testing.assert_allclose([q[0], q[2], q[3], q[4]], expected)


@pytest.mark.parametrize(
    ("effect", "value", "expected"),
    [
        ("cramers-v", 0.05, 0),
        ("cramers-v", 0.35, 2),
        ("odds-ratio", 1 / 4.0, 2),
        ("odds-ratio", 8.0, 3),
        ("rank-biserial", -0.2, 1),
        ("mahalanobis-d", 0.9, 3),
        ("ks-d", 0.9, 0),
    ],
)
def test_strength_classes(effect, value, expected):
    assert significance.strength(effect, value) == expected


# -- whole comparisons --------------------------------------------------------------------


def every_kind(n=120, seed=0):
    """One question of every kind; group a (first half) differs on pace, role and health."""
    rng = np.random.default_rng(seed)
    half = n // 2
    shares = compositions.ilr_inverse(rng.normal(0.0, 0.5, size=(n, 2)))
    triad_na = rng.random(n) < 0.1
    pace = np.r_[rng.uniform(0.5, 1.0, half), rng.uniform(0.0, 0.6, n - half)]
    positions = rng.uniform(size=(n, 2, 2))
    positions[rng.random(n) < 0.2, 1] = np.nan  # the second stone left off sometimes
    role = np.r_[rng.choice(3, half, p=[0.7, 0.2, 0.1]), rng.choice(3, n - half, p=[0.2, 0.4, 0.4])]
    topics = rng.random((n, 3)) < 0.4
    ratings = rng.integers(1, 11, size=(n, 2)).astype(float)
    ratings[:half, 0] = rng.integers(7, 11, size=half)
    return Significations(
        {
            "safety": TriadAnswers(shares, triad_na),
            "pace": DyadAnswers(pace),
            "people": StonesAnswers(positions, ("nurse", "doctor")),
            "role": ChoiceAnswers(np.eye(3, dtype=bool)[role], ("patient", "relative", "staff")),
            "topics": ChoiceAnswers(topics, ("food", "sleep", "company"), multiple=True),
            "life": StarAnswers(ratings, ("health", "home")),
        }
    )


@pytest.fixture(scope="module")
def compared():
    group_a = np.arange(120) < 60
    return compare_groups(every_kind(), group_a, ~group_a, seed=0)


def test_every_question_gets_a_fitting_test(compared):
    tests = {(c.question, c.subject): c.test for c in compared if c.kind != "na"}
    assert tests[("safety", None)] == "permutation-hotelling-t2"
    assert tests[("pace", None)] == "mann-whitney-u"
    assert tests[("people", "nurse.x")] == tests[("people", "doctor.y")] == "mann-whitney-u"
    assert tests[("role", None)] == "chi-square"
    assert {tests[("topics", o)] for o in ("food", "sleep", "company")} <= {
        "chi-square",
        "fisher-exact",
    }
    assert tests[("life", "health")] == tests[("life", "home")] == "mann-whitney-u"
    na = [c for c in compared if c.kind == "na"]
    assert [c.question for c in na] == ["safety"]
    pace = next(c for c in compared if c.question == "pace")
    assert pace.secondary["test"] == "kolmogorov-smirnov" and pace.secondary["q"] is not None


def test_every_tested_comparison_has_q_and_an_effect_size(compared):
    tested = [c for c in compared if c.tested]
    assert all(c.q is not None and c.q >= c.p for c in tested)
    assert all(c.effect is not None and c.effect_size is not None for c in tested)
    json.dumps([c.as_dict() for c in compared])


def test_the_planted_differences_stand_out(compared):
    by_subject = {(c.question, c.subject): c for c in compared if c.kind != "na"}
    for key in (("pace", None), ("role", None), ("life", "health")):
        assert by_subject[key].q < 0.001 and by_subject[key].strength >= 2
    assert by_subject[("pace", None)].effect_size > 0  # group a answered higher
    assert by_subject[("life", "home")].q > 0.05


def test_small_groups_say_so_instead_of_a_p_value():
    group_a = np.zeros(120, dtype=bool)
    group_a[:6] = True
    results = compare_groups(every_kind(), group_a, ~group_a, min_size=10)
    small = [c for c in results if c.kind != "na"]
    assert all(c.p is None and c.q is None for c in small)
    assert all("10" in c.note["en"] and "10" in c.note["sv"] for c in small)
    assert small[0].note["en"].startswith("Too few answers")
    assert small[0].note["sv"].startswith("För få svar")


def test_groups_must_not_overlap():
    group = np.ones(120, dtype=bool)
    with pytest.raises(ValueError, match="share fragments"):
        compare_groups(every_kind(), group, group)


def test_no_variation_is_said_not_tested():
    same = Significations({"pace": DyadAnswers(np.full(40, 0.5))})
    result = compare_groups(same, np.arange(40) < 20, np.arange(40) >= 20)[0]
    assert result.p is None and result.note["en"].startswith("Everyone answered the same")
