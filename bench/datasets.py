"""Exporting analyst datasets of 1M fragments: CSV, Swedish Excel CSV and Parquet.

Reuses the database of `bench/load.py` (`bench/out/load-1000000.db`, built through the
normal storage path from `bench/data/bench.yaml` if it is not there yet), then exports it
in a fresh process per format, writing to a file in `bench/out/`, and prints the time and
the peak memory of that process (resource.getrusage).

    .venv/bin/python bench/datasets.py [--n 1000000] [--formats csv,csv-excel-sv,parquet]

Goals on a 2-core machine: CSV of 1M fragments in ≤ 10 s with peak memory ≤ 300 MB;
Parquet faster than CSV.
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
sys.path.insert(0, str(ROOT / "bench"))

FORMATS = ("csv", "csv-excel-sv", "parquet")


def measure(path: str, fmt: str, out: str) -> dict:
    from sensemaker import db
    from sensemaker.export import export

    database = db.connect(path)
    before = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = before.ru_utime + before.ru_stime
    started = time.perf_counter()
    result = export(database, "bench", fmt, actor="bench", lang="en")
    with open(out, "wb") as file:
        for chunk in result.chunks:
            file.write(chunk)
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "cpu": usage.ru_utime + usage.ru_stime - cpu_before,
        "format": fmt,
        "rows": result.codebook["rows"],
        "seconds": seconds,
        "mb": Path(out).stat().st_size / 1e6,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "masked": result.codebook["personal_data_masked"],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--db", default=None)
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--measure", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return
    path = Path(args.db or ROOT / "bench" / "out" / f"load-{args.n}.db")
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        from load import build  # bench/load.py: the same database the analysis bench uses

        seconds = build(path, args.n)
        print(f"built {args.n:,} fragments through the storage path in {seconds:.0f} s")
    results = {}
    for fmt in args.formats.split(","):
        out = path.parent / f"export-{args.n}.{fmt}"
        output = subprocess.run(
            [sys.executable, __file__, "--measure", str(path), fmt, str(out)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        results[fmt] = json.loads(output.stdout.strip().splitlines()[-1])
        out.unlink()
    print(f"fragments: {next(iter(results.values()))['rows']:,} "
          f"(personal data masked: {next(iter(results.values()))['masked']})")  # fmt: skip
    for fmt, result in results.items():
        print(f"{fmt:<13} {result['seconds']:6.2f} s  (CPU {result['cpu']:5.2f} s)  "
              f"{result['peak_mb']:5.0f} MB peak  {result['mb']:7.1f} MB file")  # fmt: skip
    if "csv" in results:
        print("goal: csv ≤ 10 s and ≤ 300 MB peak; parquet faster than csv")


if __name__ == "__main__":
    main()
