"""Features, k-means, the choice of k, scores, cluster descriptions and stored runs."""

import json

import numpy as np
import pytest

from sensemaker.analysis import (
    ChoiceAnswers,
    ClusterRun,
    DyadAnswers,
    FeatureSpec,
    Significations,
    TriadAnswers,
    adjusted_rand_index,
    build_features,
    calinski_harabasz,
    cluster_fragments,
    compositions,
    describe_clusters,
    kmeans,
    silhouette,
    synthetic,
)
from sensemaker.analysis import clustering as clusters


def blobs(n_per=200, centres=((0, 0), (6, 0), (0, 6)), seed=0):
    rng = np.random.default_rng(seed)
    points = np.vstack([rng.normal(c, 1.0, size=(n_per, 2)) for c in centres])
    return points, np.repeat(np.arange(len(centres)), n_per)


# -- scores: hand examples, and scikit-learn where it is installed ------------------------


def test_adjusted_rand_index_by_hand():
    assert adjusted_rand_index([0, 0, 1, 1], [0, 0, 1, 2]) == pytest.approx(4 / 7)
    assert adjusted_rand_index([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]) == pytest.approx(0.8 / 3.3)
    assert adjusted_rand_index([0, 0, 1, 1, 2], [5, 5, 3, 3, 9]) == 1.0  # names do not matter
    assert adjusted_rand_index([0, 0, 0], [1, 1, 1]) == 1.0


def test_silhouette_by_hand():
    points = np.array([[0.0], [1.0], [10.0], [11.0]])
    expected = np.mean([9.5 / 10.5, 8.5 / 9.5, 8.5 / 9.5, 9.5 / 10.5])
    assert silhouette(points, np.array([0, 0, 1, 1])) == pytest.approx(expected)
    # 11 alone scores 0; 0 and 1 score 0.5; 10 sits nearer to 11 than to its own cluster.
    lonely = np.array([0, 0, 0, 1])
    expected = np.mean([0.5, 0.5, (1 - 9.5) / 9.5, 0.0])
    assert silhouette(points, lonely) == pytest.approx(expected)
    assert _silhouette_naive(points, lonely) == pytest.approx(expected)


def _silhouette_naive(points, labels):
    widths = []
    for i, point in enumerate(points):
        distances = np.linalg.norm(points - point, axis=1)
        own = labels == labels[i]
        if own.sum() == 1:
            widths.append(0.0)
            continue
        a = distances[own].sum() / (own.sum() - 1)
        b = min(distances[labels == c].mean() for c in set(labels) if c != labels[i])
        widths.append((b - a) / max(a, b))
    return float(np.mean(widths))


def test_calinski_harabasz_by_hand():
    points = np.array([[0.0], [1.0], [10.0], [11.0]])
    # between = 2·5² + 2·5² = 100 on 1 df; within = 4·0.25 = 1 on 2 df
    assert calinski_harabasz(points, np.array([0, 0, 1, 1])) == pytest.approx(200.0)


def test_scores_match_scikit_learn():
    metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(3)
    points = rng.normal(size=(300, 4))
    labels = rng.integers(4, size=300)
    other = rng.integers(3, size=300)
    assert silhouette(points, labels) == pytest.approx(metrics.silhouette_score(points, labels))
    assert calinski_harabasz(points, labels) == pytest.approx(
        metrics.calinski_harabasz_score(points, labels)
    )
    assert adjusted_rand_index(labels, other) == pytest.approx(
        metrics.adjusted_rand_score(labels, other)
    )


# -- k-means ------------------------------------------------------------------------------


def test_nearest_is_the_same_in_chunks():
    rng = np.random.default_rng(0)
    points, centres = rng.normal(size=(1000, 5)), rng.normal(size=(4, 5))
    whole = kmeans.nearest(points, centres, second=True)
    chunked = kmeans.nearest(points, centres, chunk_rows=77, second=True)
    for a, b in zip(whole, chunked, strict=True):
        np.testing.assert_allclose(a, b)
    brute = ((points[:, None] - centres[None]) ** 2).sum(axis=2)
    np.testing.assert_array_equal(whole[0], brute.argmin(axis=1))
    np.testing.assert_allclose(whole[1], brute.min(axis=1), atol=1e-10)
    np.testing.assert_allclose(whole[2], np.sort(brute, axis=1)[:, 1], atol=1e-10)


def test_kmeans_finds_blobs_and_is_deterministic_for_a_seed():
    points, truth = blobs()
    first = kmeans.kmeans(points, 3, rng=7)
    second = kmeans.kmeans(points, 3, rng=7)
    np.testing.assert_array_equal(first.labels, second.labels)
    assert first.converged
    assert adjusted_rand_index(truth, first.labels) > 0.97


def test_kmeans_reaches_the_inertia_of_scikit_learn():
    cluster = pytest.importorskip("sklearn.cluster")
    points, _ = blobs(centres=((0, 0), (3, 0), (0, 3), (3, 3), (1.5, 1.5)), seed=2)
    ours = kmeans.kmeans(points, 5, n_init=4, rng=0).inertia
    theirs = cluster.KMeans(5, n_init=4, random_state=0).fit(points).inertia_
    assert ours <= theirs * 1.01


def test_an_emptied_cluster_is_moved_not_lost():
    points = np.array([[0.0, 0], [0.1, 0], [5, 5], [5.1, 5]])
    start = np.array([[0.05, 0], [5.05, 5], [100.0, 100]])  # the third centre wins nothing
    fit = kmeans.lloyd(points, start)
    assert sorted(np.bincount(fit.labels, minlength=3)) == [1, 1, 2]


def test_choose_k_prefers_silhouette_and_breaks_near_ties_by_calinski_harabasz():
    scores = [
        clusters.KScore(2, 0.50, 100.0, 0.0),
        clusters.KScore(3, 0.49, 300.0, 0.0),
        clusters.KScore(4, 0.40, 900.0, 0.0),
    ]
    assert clusters.choose_k(scores) == 3
    assert clusters.choose_k(scores, tolerance=0.0) == 2


def test_fit_chooses_k_on_a_sample_and_refits_on_all_rows():
    points, truth = blobs(n_per=600, centres=((0, 0), (7, 0), (0, 7), (7, 7)))
    result = clusters.fit(points, sweep_sample=500, silhouette_sample=300, seed=1)
    assert result.k == 4
    assert [s.k for s in result.scores] == list(range(2, 9))
    assert len(result.fit.labels) == len(points)
    assert adjusted_rand_index(truth, result.fit.labels) > 0.97
    fixed = clusters.fit(points, k=2, seed=1)
    assert fixed.k == 2 and fixed.chosen_by == "fixed"
    assert [s.k for s in fixed.scores] == [2] and fixed.scores[0].silhouette > 0


# -- features -------------------------------------------------------------------------------


def small_set():
    shares = np.array([[0.2, 0.3, 0.5], [0.6, 0.2, 0.2], [np.nan] * 3, [0.1, 0.1, 0.8]] * 5)
    na = np.array([False, False, True, False] * 5)
    values = np.array([0.1, np.nan, 0.5, 0.9] * 5)
    return Significations(
        {
            "safety": TriadAnswers(shares, na),
            "pace": DyadAnswers(values),
            "role": ChoiceAnswers.from_stored(["a", "b", "a", "b"] * 5, ["a", "b"]),
        }
    )


def test_features_exclude_na_and_missing_and_count_them():
    features = build_features(small_set())
    assert features.spec.questions == ("safety", "pace")
    assert features.columns == ["safety.ilr1", "safety.ilr2", "pace.x"]
    np.testing.assert_array_equal(features.rows, np.flatnonzero(np.isin(np.arange(20) % 4, [0, 3])))
    assert features.unclustered == {
        "total": 10,
        "questions": {"safety": {"na": 5, "missing": 0}, "pace": {"na": 0, "missing": 5}},
    }
    # Each question weighs the same: every block has total variance 1.
    for columns in features.blocks.values():
        assert features.matrix[:, columns].var(axis=0).sum() == pytest.approx(1.0)


def test_features_can_keep_na_as_an_indicator():
    features = build_features(small_set(), FeatureSpec(("safety",), na="indicator"))
    assert features.columns == ["safety.ilr1", "safety.ilr2", "safety.na"]
    assert len(features.rows) == 20
    na_rows = np.arange(20) % 4 == 2
    np.testing.assert_allclose(features.matrix[na_rows], [[0.0, 0.0, np.sqrt(2.0)]] * 5)
    assert (features.matrix[~na_rows, 2] == 0).all()


def test_choices_cannot_be_clustered_on():
    with pytest.raises(ValueError, match="cannot be clustered"):
        build_features(small_set(), FeatureSpec(("role",)))


# -- whole runs ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def planted():
    return synthetic.generate(3000, seed=0)


@pytest.fixture(scope="module")
def run(planted):
    return cluster_fragments(planted.significations, seed=0)


def test_known_groups_are_recovered_with_k_chosen_automatically(planted, run):
    assert run.k == 5
    clustered = run.labels >= 0
    assert adjusted_rand_index(planted.groups[clustered], run.labels[clustered]) >= 0.9
    assert run.sizes == sorted(run.sizes, reverse=True)
    assert run.unclustered["total"] == int((~clustered).sum())


def test_known_groups_no_worse_than_scikit_learn_on_raw_shares(planted, run):
    cluster = pytest.importorskip("sklearn.cluster")
    significations = planted.significations
    clustered = run.labels >= 0
    raw = np.hstack(
        [significations[f"triad{t}"].shares for t in range(1, 5)]
        + [significations[f"dyad{d}"].values[:, None] for d in range(1, 4)]
    )[clustered]
    theirs = cluster.KMeans(5, n_init=4, max_iter=100, random_state=0).fit(raw).labels_
    truth = planted.groups[clustered]
    ours = adjusted_rand_index(truth, run.labels[clustered])
    assert ours >= adjusted_rand_index(truth, theirs)


def test_na_as_indicator_keeps_those_stories_in_their_groups(planted):
    run = cluster_fragments(
        planted.significations,
        FeatureSpec(tuple(f"triad{t}" for t in range(1, 5)), na="indicator"),
        seed=0,
    )
    clustered = run.labels >= 0
    assert run.unclustered["total"] < 0.05 * len(run.labels)  # only the missing ones
    assert adjusted_rand_index(planted.groups[clustered], run.labels[clustered]) >= 0.9


def test_the_same_seed_gives_the_same_run(planted, run):
    again = cluster_fragments(planted.significations, seed=0)
    np.testing.assert_array_equal(again.labels, run.labels)
    assert again.scores == run.scores


def test_a_run_survives_json(run):
    stored = json.loads(json.dumps(run.to_json()))
    assert stored["spec"] == {"questions": list(run.spec.questions), "na": "exclude"}
    back = ClusterRun.from_json(stored)
    np.testing.assert_array_equal(back.labels, run.labels)
    np.testing.assert_allclose(back.centres, run.centres)
    assert back.spec == run.spec and back.k == run.k and back.scores == run.scores
    assert set(stored) >= {"k", "seed", "parameters", "scores", "labels", "spec", "format"}


def test_a_planted_cluster_is_found_and_described_by_its_defining_questions():
    rng = np.random.default_rng(5)
    n, planted_n = 2000, 300
    in_planted = np.zeros(n, dtype=bool)
    in_planted[:planted_n] = True
    where = compositions.ilr_inverse(rng.normal(0.0, 0.9, size=(n, 2)))
    where[in_planted] = compositions.ilr_inverse(rng.normal([1.8, 0.0], 0.25, (planted_n, 2)))
    who = compositions.ilr_inverse(rng.normal(0.0, 0.9, size=(n, 2)))
    pace = rng.uniform(0.0, 0.7, size=n)
    pace[in_planted] = np.clip(rng.normal(0.9, 0.04, planted_n), 0, 1)
    mood = rng.uniform(0.0, 1.0, size=n)
    topic = rng.integers(3, size=n)
    topic[in_planted] = np.where(rng.random(planted_n) < 0.8, 3, rng.integers(3, size=planted_n))
    significations = Significations(
        {
            "where": TriadAnswers(where),
            "who": TriadAnswers(who),
            "pace": DyadAnswers(pace),
            "mood": DyadAnswers(mood),
            "topic": ChoiceAnswers(np.eye(4, dtype=bool)[topic], ("food", "walks", "tv", "sleep")),
        }
    )
    run = cluster_fragments(significations, seed=0)
    found = max(range(run.k), key=lambda c: (run.labels[in_planted] == c).sum())
    members = run.labels == found
    # All planted stories land together; background stories nearby may join them.
    assert (members & in_planted).sum() / planted_n >= 0.95
    assert (members & in_planted).sum() / members.sum() >= 0.7

    described = describe_clusters(run, significations)[found]
    named = {(f["kind"], f["question"], f["subject"]) for f in described.features[:4]}
    assert ("triad", "where", 0) in named  # the top corner of "where" weighs more
    assert ("dyad", "pace", 1) in named  # nearer the second pole of "pace"
    assert ("choice", "topic", "sleep") in named
    assert all(run.labels[i] == found for i in described.typical + described.edge)
    assert len(described.typical) == 5 and len(described.edge) == 5
    json.dumps(described.as_dict())
