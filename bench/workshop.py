"""The pattern workshop at 100 000 stories: server time and bytes sent per page.

Builds (once, then reuses) a database with N synthetic stories of the shipped survey
`trygg-omsorg` (2 triads, 2 dyads, stones, 5 choices) through the normal storage path,
with one clustering run, then asks the app (Flask's test client, so only server time is
measured, no network) for each page as a signed-in facilitator:

    .venv/bin/python bench/workshop.py [--n 100000] [--repeat 7] [--db bench/out/workshop.db]

The first request of a page after the server starts also loads the survey's numbers into
memory ("first"); later requests ("median", "max") reuse them while no story is added or
withdrawn. The first overview also starts working out the survey's strongest patterns in
a background thread; the benchmark waits for it before the next request, and prints how
long it took. Bytes are the response body as sent, and gzip-compressed for reference.
Goals: overview, one triad picture and the side-by-side page each ≤ 1 s server time and
≤ 1 MB.
"""

import argparse
import gzip
import json
import os
import platform
import re
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SURVEY = "trygg-omsorg"
BATCH = 50_000
PASSWORD = "ett-långt-lösenord-för-mätningen"
EMAIL = "facilitator@bench.se"
PAGES = {
    "overview": f"/workshop/{SURVEY}",
    "triad picture": f"/workshop/{SURVEY}/pictures/trygghet",
    "side by side": f"/workshop/{SURVEY}/compare",
    # Not goals, measured for the record:
    "triad, filtered": f"/workshop/{SURVEY}/pictures/trygghet?c.roll=personal&q=natten",
    "stories behind a bin": f"/workshop/{SURVEY}/stories.json?pick=trygghet&sel=cell:12:100",
    "all pictures": f"/workshop/{SURVEY}/pictures",
    "clusters": f"/workshop/{SURVEY}/clusters",
    "report (download)": f"/workshop/{SURVEY}/report.html",
}
GOALS = ("overview", "triad picture", "side by side")


def build(path: Path, n: int) -> None:
    from sensemaker import db, findings
    from sensemaker import survey as surveys
    from sensemaker.auth import hash_password
    from sensemaker.generate import store_generated

    survey = surveys.load(ROOT / "surveys" / f"{SURVEY}.yaml")
    database = db.connect(str(path))
    db.save_survey(database, survey)
    started = time.perf_counter()
    store_generated(database, survey, n, seed=1, batch=BATCH)
    user = db.add_user(database, EMAIL, "facilitator", hash_password(PASSWORD))
    db.assign(database, user["id"], SURVEY)
    findings.run_clustering(database, SURVEY, actor="bench")
    print(f"built {path} with {n} stories in {time.perf_counter() - started:.0f} s")
    database.close()


def signed_in(app):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": EMAIL, "password": PASSWORD,
                                           "csrf_token": token})  # fmt: skip
    assert response.status_code == 302, response.status_code
    return client


def background() -> float:
    """Wait for work the first page started in the background (the overview's patterns)."""
    started = time.perf_counter()
    for thread in threading.enumerate():
        if thread.name.startswith("patterns-"):
            thread.join()
    return time.perf_counter() - started


def measure(client, url: str, repeat: int) -> dict:
    times, body, waited = [], b"", 0.0
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
        body = response.data
        waited += background()
    return {"first": times[0], "median": statistics.median(times[1:]), "max": max(times[1:]),
            "bytes": len(body), "gzip": len(gzip.compress(body)), "background": waited}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--db", default=str(ROOT / "bench" / "out" / "workshop.db"))
    args = parser.parse_args()
    path = Path(args.db)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        build(path, args.n)
    from sensemaker import create_app, db
    from sensemaker.workshop.assets import vega_bundle

    database = db.connect(str(path))
    stored = db.count_fragments(database, SURVEY)
    database.close()
    vega_bundle()  # written once per installation, not per request
    app = create_app({"DATABASE": str(path), "TESTING": True})
    client = signed_in(app)
    results = {name: measure(client, url, args.repeat) for name, url in PAGES.items()}
    load = os.getloadavg()[0]
    print(f"\n{stored} stories; {platform.python_version()}, {os.cpu_count()} cores, "
          f"load average {load:.1f}\n")  # fmt: skip
    print("| page | first s | median s | max s | KB sent | KB gzip | goal |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, r in results.items():
        goal = ""
        if name in GOALS:
            met = r["median"] <= 1.0 and r["bytes"] <= 1_000_000
            goal = "met" if met else "NOT met"
        print(f"| {name} | {r['first']:.2f} | {r['median']:.2f} | {r['max']:.2f} | "
              f"{r['bytes'] / 1000:.0f} | {r['gzip'] / 1000:.0f} | {goal} |")  # fmt: skip
    print(
        f"\nThe first overview started the strongest patterns in the background; they took "
        f"{results['overview']['background']:.1f} s more (not server time of any page)."
    )
    print("\n" + json.dumps({"stories": stored, "load": load, "pages": results}))


if __name__ == "__main__":
    main()
