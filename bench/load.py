"""Loading a survey's answers from SQLite for the analysis, at 1M fragments.

Builds (once, then reuses) a database with N synthetic fragments of the benchmark survey
(`bench/data/bench.yaml`: 4 triads, 3 dyads) through the normal storage path, then, in a
fresh process, times `signification.load` (SQLite → float64 matrix), building the
clustering features, and clustering with automatic k, and prints peak memory.

    .venv/bin/python bench/load.py [--n 1000000] [--db bench/out/load-1M.db]

Goals on a 2-core machine: loading the 1M matrix ≤ 5 s; clustering 1M ≤ 20 s, < 2 GB.
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SURVEY = ROOT / "bench" / "data" / "bench.yaml"
BATCH = 50_000


def build(path: Path, n: int) -> float:
    from sensemaker import db
    from sensemaker import survey as surveys
    from sensemaker.generate import store_generated

    survey = surveys.load(SURVEY)
    database = db.connect(str(path))
    db.save_survey(database, survey)
    started = time.perf_counter()
    store_generated(database, survey, n, seed=1, batch=BATCH)
    database.close()
    return time.perf_counter() - started


def measure(path: str) -> dict:
    from sensemaker import analysis, db, findings, signification

    database = db.connect(path)
    started = time.perf_counter()
    loaded = signification.load(database, "bench")
    loading = time.perf_counter() - started
    started = time.perf_counter()
    significations = loaded.significations()
    spec = analysis.FeatureSpec(tuple(findings.default_questions(loaded.survey)))
    features = analysis.build_features(significations, spec)
    building = time.perf_counter() - started
    started = time.perf_counter()
    run = analysis.cluster_fragments(significations, spec, features=features)
    clustering = time.perf_counter() - started
    return {
        "n": int(len(loaded.seqs)),
        "load_s": loading,
        "features_s": building,
        "cluster_s": clustering,
        "k": run.k,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--db", default=None)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    path = Path(args.db or ROOT / "bench" / "out" / f"load-{args.n}.db")
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        seconds = build(path, args.n)
        print(
            f"built {args.n:,} fragments through the storage path in {seconds:.0f} s "
            f"({args.n / seconds:,.0f} fragments/s, one transaction per {BATCH:,})"
        )
    output = subprocess.run(
        [sys.executable, __file__, "--measure", str(path)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    result = json.loads(output.stdout.strip().splitlines()[-1])
    print(f"fragments: {result['n']:,}")
    print(f"load matrix from SQLite: {result['load_s']:.2f} s (goal ≤ 5 s)")
    print(f"build features:          {result['features_s']:.2f} s")
    print(f"cluster, automatic k:    {result['cluster_s']:.2f} s (k = {result['k']})")
    total = result["load_s"] + result["features_s"] + result["cluster_s"]
    print(f"all of it:               {total:.2f} s (clustering goal ≤ 20 s)")
    print(f"peak memory:             {result['peak_mb']:.0f} MB (goal < 2048 MB)")


if __name__ == "__main__":
    main()
