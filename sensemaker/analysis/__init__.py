"""Pattern analysis over significations: pure functions on numpy arrays and plain dicts.

No Flask and no database in here; the caller loads answers into the `*Answers` classes
(see `answers`) and stores what comes back (every result has `as_dict()` or `to_json()`).
Which method each number comes from is in docs/analysis.md.

    significations = Significations({"safety": TriadAnswers(shares, na), ...})
    run = cluster_fragments(significations)                 # k chosen from 2..8
    descriptions = describe_clusters(run, significations)
    comparisons = compare_groups(significations, relatives, staff)
    told = group_patterns(comparisons, {"sv": vocab_sv, "en": vocab_en})
"""

from .answers import (
    ChoiceAnswers,
    DyadAnswers,
    Significations,
    StarAnswers,
    StonesAnswers,
    TriadAnswers,
)
from .clustering import ClusterRun, cluster_fragments
from .comparisons import Comparison, compare_groups
from .compositions import (
    DELTA,
    aitchison_distance,
    boundary_counts,
    clr,
    clr_inverse,
    geometric_mean,
    ilr,
    ilr_inverse,
    points_to_shares,
    replace_zeros,
    shares_to_points,
    triad_centre,
)
from .describe import ClusterDescription, describe_clusters
from .features import Features, FeatureSpec, build_features, default_spec
from .patterns import Pattern, cluster_patterns, group_patterns, vocabulary
from .scores import adjusted_rand_index, calinski_harabasz, silhouette

__all__ = [
    "DELTA",
    "ChoiceAnswers",
    "ClusterDescription",
    "ClusterRun",
    "Comparison",
    "DyadAnswers",
    "FeatureSpec",
    "Features",
    "Pattern",
    "Significations",
    "StarAnswers",
    "StonesAnswers",
    "TriadAnswers",
    "adjusted_rand_index",
    "aitchison_distance",
    "boundary_counts",
    "build_features",
    "calinski_harabasz",
    "cluster_fragments",
    "cluster_patterns",
    "clr",
    "clr_inverse",
    "compare_groups",
    "default_spec",
    "describe_clusters",
    "geometric_mean",
    "group_patterns",
    "ilr",
    "ilr_inverse",
    "points_to_shares",
    "replace_zeros",
    "shares_to_points",
    "silhouette",
    "triad_centre",
    "vocabulary",
]
