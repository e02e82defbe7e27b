"""Benchmark: clustering with automatic k against a scikit-learn k sweep, 10k to 1M stories.

    .venv/bin/python bench/analysis.py                  # 10k, 100k and 1M
    .venv/bin/python bench/analysis.py --sizes 10000 100000

Every size runs in fresh subprocesses, one for our clustering and one for scikit-learn,
so that each peak memory is measured on its own. Both get the same synthetic feature
matrix (4 triads and 3 dyads → 11 columns, 5 planted groups; `synthetic.generate`) and
the same k range, restarts, iteration limit and silhouette sample size. scikit-learn fits
every k on all rows, scores it with `silhouette_score(sample_size=...)` and keeps the k
with the best silhouette. scikit-learn is imported only here, never by the package.

Loading the matrix from SQLite is measured by `bench/load.py`.
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sensemaker.analysis import adjusted_rand_index, build_features, synthetic  # noqa: E402
from sensemaker.analysis import clustering as clusters  # noqa: E402

SIZES = (10_000, 100_000, 1_000_000)
SEED = 0


def peak_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def current_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def planted_matrix(n: int):
    planted = synthetic.generate(n, seed=SEED)
    started = time.perf_counter()
    features = build_features(planted.significations)
    built = time.perf_counter() - started
    truth = planted.groups[features.rows]
    del planted
    return features.matrix, truth, built


def run_ours(n: int) -> dict:
    matrix, truth, built = planted_matrix(n)
    before = current_mb()
    started = time.perf_counter()
    result = clusters.fit(matrix, seed=SEED)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "features_seconds": built,
        "k": result.k,
        "ari": adjusted_rand_index(truth, result.fit.labels),
        "rows": len(matrix),
        "rss_before_mb": before,
        "peak_mb": peak_mb(),
    }


def run_sklearn(n: int) -> dict:
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    matrix, truth, _ = planted_matrix(n)
    before = current_mb()
    low, high = clusters.K_RANGE
    started = time.perf_counter()
    best = None
    for k in range(low, high + 1):
        fit = KMeans(
            n_clusters=k, n_init=clusters.N_INIT, max_iter=clusters.MAX_ITER, random_state=SEED
        ).fit(matrix)
        width = silhouette_score(
            matrix, fit.labels_, sample_size=min(clusters.SILHOUETTE_SAMPLE, n), random_state=SEED
        )
        if best is None or width > best[0]:
            best = (width, k, fit.labels_)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "k": best[1],
        "ari": adjusted_rand_index(truth, best[2]),
        "rows": len(matrix),
        "rss_before_mb": before,
        "peak_mb": peak_mb(),
    }


def worker(kind: str, n: int) -> dict:
    """Run one side of one size in a fresh interpreter and return its JSON report."""
    command = [sys.executable, __file__, "--worker", kind, "--sizes", str(n)]
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(output.stdout.strip().splitlines()[-1])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--worker", choices=["ours", "sklearn"], help=argparse.SUPPRESS)
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per side and size; the median time is shown"
    )
    args = parser.parse_args(argv)

    if args.worker:
        run = run_ours if args.worker == "ours" else run_sklearn
        print(json.dumps(run(args.sizes[0])))
        return

    import numpy
    import scipy
    import sklearn

    print(
        f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores; python "
        f"{platform.python_version()}, numpy {numpy.__version__}, scipy {scipy.__version__}, "
        f"scikit-learn {sklearn.__version__}; "
        f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '')}"
    )
    print(
        f"# k {clusters.K_RANGE[0]}..{clusters.K_RANGE[1]}, n_init {clusters.N_INIT}, "
        f"max_iter {clusters.MAX_ITER}, silhouette sample {clusters.SILHOUETTE_SAMPLE}, "
        f"our sweep sample {clusters.SWEEP_SAMPLE}"
    )
    header = (
        f"{'stories':>9} {'rows':>8} | {'ours s':>7} {'k':>2} {'ARI':>6} {'peak MB':>8} | "
        f"{'sklearn s':>9} {'k':>2} {'ARI':>6} {'peak MB':>8} | {'ratio':>5}"
    )
    print(header)
    print("-" * len(header))
    for n in args.sizes:
        # Alternate the two sides so that a change in machine load hits both alike.
        runs = [(worker("ours", n), worker("sklearn", n)) for _ in range(args.repeat)]
        ours, theirs = _median(r[0] for r in runs), _median(r[1] for r in runs)
        ratio = ours["seconds"] / theirs["seconds"]
        print(
            f"{n:>9,} {ours['rows']:>8,} | {ours['seconds']:>7.2f} {ours['k']:>2} "
            f"{ours['ari']:>6.3f} {ours['peak_mb']:>8.0f} | {theirs['seconds']:>9.2f} "
            f"{theirs['k']:>2} {theirs['ari']:>6.3f} {theirs['peak_mb']:>8.0f} | {ratio:>5.2f}",
            flush=True,
        )
        print(
            f"{'':>9} all times (s): ours {_times(r[0] for r in runs)}, "
            f"sklearn {_times(r[1] for r in runs)}; features built in "
            f"{ours['features_seconds']:.2f} s; memory before clustering "
            f"{ours['rss_before_mb']:.0f} MB (ours), {theirs['rss_before_mb']:.0f} MB (sklearn)",
            flush=True,
        )


def _median(reports) -> dict:
    """The report with the median time, with the highest peak memory of all runs."""
    reports = sorted(reports, key=lambda report: report["seconds"])
    middle = dict(reports[len(reports) // 2])
    middle["peak_mb"] = max(report["peak_mb"] for report in reports)
    return middle


def _times(reports) -> str:
    return " ".join(f"{report['seconds']:.2f}" for report in reports)


if __name__ == "__main__":
    main()
