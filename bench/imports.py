"""Importing a 100,000-row SenseMaker® export with `sensemaker import-sensemaker`.

Writes a made-up project in the SenseMaker export layout (`sensemaker.importers.sample`:
a triad, a dyad, three stones, two lists, two free texts; N/A answers, unplaced stones,
multi-line stories) to bench/out, then times the real command on a fresh database: the
dry run (`--check`), the import, and the same import again (which adds nothing). Each is
a fresh process, as an operator would run it; the time includes starting Python. The CPU
time of the command and its worker processes is printed too: on a busy machine it shows
what the work costs apart from waiting for a core.

    .venv/bin/python bench/imports.py [--rows 100000] [--workers N]

Goal on a 2-core machine: 100,000 rows imported in ≤ 10 s.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"


def write_files(rows: int) -> tuple[Path, Path]:
    from sensemaker.importers.sample import sample_project

    OUT.mkdir(parents=True, exist_ok=True)
    project, data = sample_project(rows, seed=1)
    definition, csv_path = OUT / "sensemaker-project.json", OUT / f"sensemaker-{rows}.csv"
    definition.write_text(json.dumps(project, ensure_ascii=False), encoding="utf-8")
    csv_path.write_bytes(data)
    return definition, csv_path


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(args: list[str]) -> tuple[float, float, str]:
    """Wall time, CPU time of the command and its workers, and its summary line."""
    started, cpu = time.perf_counter(), cpu_of_children()
    result = subprocess.run(args, capture_output=True, text=True, env={**os.environ,
                            "SENSEMAKER_LANG": "en"})  # fmt: skip
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):
        raise RuntimeError(result.stderr)
    return elapsed, cpu_of_children() - cpu, result.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=None, help="Default: one per core.")
    options = parser.parse_args()
    definition, csv_path = write_files(options.rows)
    database = OUT / f"imports-{options.rows}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    size = csv_path.stat().st_size / 1e6
    print(f"{options.rows:,} rows, {size:.1f} MB CSV; load average {os.getloadavg()[0]:.2f}")
    base = [sys.executable, "-m", "sensemaker", "--db", str(database)]
    subprocess.run([*base, "init"], check=True, capture_output=True)
    command = [*base, "import-sensemaker", str(definition), str(csv_path), "--survey-id", "bench"]
    if options.workers:
        command += ["--workers", str(options.workers)]
    for name, args in (("dry run (--check)", [*command, "--check"]), ("import", command),
                       ("same file again", command)):  # fmt: skip
        elapsed, cpu, summary = timed(args)
        rate = options.rows / elapsed
        print(f"{name:<18} {elapsed:6.2f} s  (CPU {cpu:5.1f} s)  {rate:7,.0f} rows/s  {summary}")
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
