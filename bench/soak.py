"""Soak: 50 fragments/s for 60 s while a facilitator works and an export runs.

Starts `sensemaker serve` (production settings) on a fresh database holding a survey with
stories already in it, then at the same time:

- sends fragments at a fixed rate (open loop: a slow answer does not slow the sending, and
  latency is counted from the moment a story was due to be sent), each retried once on a
  connection error, as the tablets do;
- a signed-in facilitator reloads the workshop page of that survey over and over;
- `sensemaker export` writes the survey to a file again and again.

It prints the success rate (goal 100 %), p50/p99/max latency, the workshop page's and the
exports' own figures, and the server's memory (all its processes) over the run, with a
verdict on whether it stayed flat. Afterwards it checks that every acknowledged story is
stored once and that the database passes its integrity check.

    .venv/bin/python bench/soak.py [--rate 50] [--seconds 60] [--stories 5000] [--steady]

`--steady` deletes as many of the earlier stories as arrive, so the survey keeps its size:
memory that still grows then is not explained by the data.
"""

import argparse
import http.client
import json
import os
import queue
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path

import numpy as np
import psutil
from scipy import stats

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SURVEY = "trygg-omsorg"
PASSWORD = "ett-långt-lösenord-för-mätning"
FACILITATOR = "soak@region.se"
# Memory is judged after this: by then every worker has served the workshop page, loaded
# the analysis and chart libraries, built the survey's arrays and worked out its patterns
# once (they are refreshed at most every 30 s).
WARM_UP_S = 30
FLOOR_WINDOW_S = 10
FLAT_MB_PER_MIN = 5.0  # all processes together
# Without any trend the sum of the workers' lows moves by a few MB from one window to the
# next (page caches, thread stacks); a rise within this is not told from none in a minute.
NOISE_MB = 10.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(db_path, *args, **options):
    command = [sys.executable, "-m", "sensemaker", "--db", db_path, *args]
    return subprocess.run(command, check=True, capture_output=True, cwd=ROOT, **options)


def prepare(db_path, stories):
    cli(db_path, "survey", "load", str(ROOT / "surveys" / f"{SURVEY}.yaml"))
    cli(db_path, "generate", SURVEY, "--n", str(stories), "--seed", "3")
    cli(db_path, "user", "add", FACILITATOR, "--role", "facilitator", "--password-stdin",
        input=PASSWORD.encode())  # fmt: skip
    cli(db_path, "user", "assign", FACILITATOR, SURVEY)


def bodies(count):
    from sensemaker import survey as surveys
    from sensemaker.generate import generate_fragments

    survey = surveys.load(ROOT / "surveys" / f"{SURVEY}.yaml")
    made = []
    for fragment in generate_fragments(survey, count, seed=11).fragments:
        body = {**fragment.as_body(), "id": str(uuid.uuid4())}
        made.append((body["id"], json.dumps(body, ensure_ascii=False).encode()))
    return made


class Fragments:
    """Open-loop sender: one story every 1/rate s, handed to a pool of sending threads."""

    def __init__(self, port, rate, seconds, threads=16):
        self.port, self.rate, self.seconds = port, rate, seconds
        self.work = queue.Queue()
        self.results = []  # (fragment id, status or None, latency from when it was due)
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.sender, daemon=True) for _ in range(threads)]

    def post(self, connection, raw):
        headers = {"Content-Type": "application/json"}
        connection.request("POST", f"/api/v1/surveys/{SURVEY}/fragments", raw, headers)
        response = connection.getresponse()
        response.read()
        return response.status

    def sender(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        while (item := self.work.get()) is not None:
            fragment_id, raw, due = item
            status = None
            for _ in range(2):  # one retry on a dropped connection, as the outbox would
                try:
                    status = self.post(connection, raw)
                    break
                except (OSError, http.client.HTTPException):
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            with self.lock:
                self.results.append((fragment_id, status, time.perf_counter() - due))
        connection.close()

    def run(self, stories):
        for thread in self.threads:
            thread.start()
        start = time.perf_counter()
        for n, (fragment_id, raw) in enumerate(stories[: int(self.rate * self.seconds)]):
            due = start + n / self.rate
            time.sleep(max(0.0, due - time.perf_counter()))
            self.work.put((fragment_id, raw, due))
        for _ in self.threads:
            self.work.put(None)
        for thread in self.threads:
            thread.join()
        return time.perf_counter() - start


class Facilitator(threading.Thread):
    """Signs in through the real form, then reloads the workshop page until told to stop."""

    def __init__(self, base, stop):
        super().__init__(daemon=True)
        self.base, self.stop = base, stop
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.loads = []  # (status, seconds)

    def sign_in(self):
        page = self.opener.open(f"{self.base}/login", timeout=30).read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        form = {"email": FACILITATOR, "password": PASSWORD, "csrf_token": token}
        self.opener.open(f"{self.base}/login", urllib.parse.urlencode(form).encode(), timeout=30)

    def run(self):
        self.sign_in()
        while not self.stop.is_set():
            started = time.perf_counter()
            try:
                response = self.opener.open(f"{self.base}/workshop/{SURVEY}", timeout=60)
                response.read()
                status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError:
                status = None
            self.loads.append((status, time.perf_counter() - started))
            self.stop.wait(0.5)


class Exports(threading.Thread):
    """`sensemaker export` of the whole survey, again and again, as a separate process."""

    def __init__(self, db_path, out_dir, stop):
        super().__init__(daemon=True)
        self.db_path, self.out_dir, self.stop = db_path, out_dir, stop
        self.runs = []  # (exit code, seconds)

    def run(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            out = Path(self.out_dir) / f"export-{n}.csv"
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "sensemaker", "--db", self.db_path, "export", SURVEY,
                 "--format", "csv", "--out", str(out)],
                capture_output=True, cwd=ROOT,
            )  # fmt: skip
            self.runs.append((done.returncode, time.perf_counter() - started))
            out.unlink(missing_ok=True)


class Steady(threading.Thread):
    """Keeps the number of stories constant: once a second, as many of the stories stored
    beforehand are deleted as new ones were acknowledged, as a retention purge would.

    With the data growing by the sending rate, a worker's memory grows with the survey's
    arrays; with it constant, whatever still grows is not explained by the data.
    """

    def __init__(self, db_path, fragments, stop):
        super().__init__(daemon=True)
        self.db_path, self.fragments, self.stop = db_path, fragments, stop
        self.deleted = 0

    def run(self):
        conn = sqlite3.connect(self.db_path, timeout=30, isolation_level=None)
        try:
            while not self.stop.wait(1.0):
                arrived = sum(status == 201 for _, status, _ in list(self.fragments.results))
                if arrived > self.deleted:
                    cursor = conn.execute(
                        "DELETE FROM fragment WHERE seq IN (SELECT seq FROM fragment "
                        "WHERE source = 'generated' ORDER BY seq LIMIT ?)",
                        [arrived - self.deleted],
                    )
                    self.deleted += cursor.rowcount
        finally:
            conn.close()


class Memory(threading.Thread):
    """The server's memory, all its processes together and each apart, once a second.

    The total is the sum of resident sets (what the machine must hold, counting shared
    library pages once per process); each process's unique set (USS, pages no other
    process shares) tells a worker whose own heap grows from one that merely touches
    more of the shared code.
    """

    def __init__(self, pid, stop):
        super().__init__(daemon=True)
        self.process, self.stop = psutil.Process(pid), stop
        self.samples = []  # (seconds since start, MB)
        self.threads = []  # threads in all server processes, once a second
        self.each = {}  # pid -> [(seconds since start, RSS MB, USS MB)]

    def run(self):
        started = time.perf_counter()
        while not self.stop.is_set():
            at = time.perf_counter() - started
            try:
                tree = [self.process, *self.process.children(recursive=True)]
                rss = 0.0
                for p in tree:
                    info = p.memory_full_info()
                    rss += info.rss / 2**20
                    self.each.setdefault(p.pid, []).append((at, info.rss / 2**20,
                                                            info.uss / 2**20))  # fmt: skip
                self.threads.append(sum(p.num_threads() for p in tree))
            except psutil.Error:
                rss = float("nan")
            self.samples.append((at, rss))
            self.stop.wait(1.0)


def start_server(db_path, port):
    process = subprocess.Popen(
        [sys.executable, "-m", "sensemaker", "--db", db_path, "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).read()
            return process
        except OSError:
            time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)
    raise RuntimeError("the server did not start")


def verify(db_path, acknowledged):
    conn = sqlite3.connect(db_path)
    try:
        placeholders = ",".join("?" * len(acknowledged))
        stored = conn.execute(
            f"SELECT count(*) FROM fragment WHERE id IN ({placeholders})", list(acknowledged)
        ).fetchone()[0]
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
    return stored, integrity


def percentile(values, q):
    return float(np.percentile(values, q)) if values else float("nan")


def report(args, elapsed, fragments, facilitator, exports, memory, steady, stored, integrity):
    statuses = [status for _, status, _ in fragments.results]
    ok = [status in (200, 201) for status in statuses]
    latencies = [latency * 1000 for _, status, latency in fragments.results if status]
    print(f"Soak: {args.rate} fragments/s for {args.seconds} s on {os.cpu_count()} cores, "
          f"{args.stories} stories stored beforehand")  # fmt: skip
    print(f"  fragments sent        {len(statuses)} in {elapsed:.1f} s "
          f"({len(statuses) / elapsed:.1f}/s)")  # fmt: skip
    print(
        f"  success rate          {100 * sum(ok) / len(ok):.2f} % "
        f"(statuses: {dict(sorted((str(s), statuses.count(s)) for s in set(statuses)))})"
    )
    print(
        f"  latency ms            p50 {percentile(latencies, 50):.1f}  "
        f"p99 {percentile(latencies, 99):.1f}  max {max(latencies):.1f}"
    )
    loads = [seconds * 1000 for status, seconds in facilitator.loads if status == 200]
    failed = sorted({str(status) for status, _ in facilitator.loads if status != 200})
    print(
        f"  workshop page         {len(loads)}/{len(facilitator.loads)} loads OK, "
        f"p50 {percentile(loads, 50):.0f} ms, p99 {percentile(loads, 99):.0f} ms"
        + (f" (failed: {', '.join(failed)})" if failed else "")
    )
    runs = [seconds for code, seconds in exports.runs if code == 0]
    print(
        f"  export (csv)          {len(runs)}/{len(exports.runs)} runs OK, "
        f"mean {np.mean(runs) if runs else float('nan'):.1f} s each"
    )
    print(f"  stories               {args.stories} before, {steady_note(args, steady)}")
    trend, floors, peak = memory_trend(memory.samples)
    judged_min = max(0.0, elapsed - WARM_UP_S) / 60
    rise, allowed = trend * judged_min, max(NOISE_MB, FLAT_MB_PER_MIN * judged_min)
    print(
        f"  server memory MB      start {memory.samples[0][1]:.0f}; after warm-up, lowest of "
        f"each {FLOOR_WINDOW_S} s: {' '.join(f'{mb:.0f}' for mb in floors)} (highest {peak:.0f}); "
        f"trend {trend:+.1f} MB/min, {rise:+.0f} MB over {judged_min:.1f} min "
        f"(flat below {allowed:.0f}): {'flat' if abs(rise) < allowed else 'GROWING'}"
    )
    for pid, samples in sorted(memory.each.items()):
        later = [(rss, uss) for t, rss, uss in samples if t >= WARM_UP_S] or [(0, 0)]
        print(f"    process {pid:<8}    RSS {samples[0][1]:.0f} → {later[0][0]:.0f} → "
              f"{later[-1][0]:.0f} MB, own (USS) {samples[0][2]:.0f} → {later[0][1]:.0f} → "
              f"{later[-1][1]:.0f} MB (start → after warm-up → end)")  # fmt: skip
    print(f"  server threads        {min(memory.threads)}–{max(memory.threads)} (all processes)")
    print(
        f"  afterwards            {stored}/{sum(ok)} acknowledged stories stored once; "
        f"integrity_check {integrity}"
    )


def memory_trend(samples) -> tuple[float, list[float], float]:
    """The trend of the server's memory floor after warm-up, in MB per minute.

    A pattern run or a rebuild of the survey's arrays lifts a worker by tens of MB for a
    few seconds and gives it back; what a worker keeps shows in the lowest sample of each
    window. The trend is the Theil-Sen slope through those lows.
    """
    after = np.array([(t, mb) for t, mb in samples if t >= WARM_UP_S])
    if len(after) == 0:
        return float("nan"), [], float("nan")
    starts = np.arange(after[0, 0], after[-1, 0], FLOOR_WINDOW_S)
    windows = [after[(after[:, 0] >= t) & (after[:, 0] < t + FLOOR_WINDOW_S)] for t in starts]
    lows = np.array([(w[:, 0].mean(), w[:, 1].min()) for w in windows if len(w)])
    slope = stats.theilslopes(lows[:, 1], lows[:, 0])[0] * 60 if len(lows) > 2 else float("nan")
    return float(slope), lows[:, 1].tolist(), float(after[:, 1].max())


def steady_note(args, steady) -> str:
    if steady is None:
        return f"growing by {args.rate:g}/s"
    return f"kept constant ({steady.deleted} of the earlier ones deleted as new ones came)"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--stories", type=int, default=5000, help="stored before the soak")
    parser.add_argument("--no-workshop", action="store_true", help="without the facilitator")
    parser.add_argument("--no-export", action="store_true", help="without the exports")
    parser.add_argument("--memory-json", help="write every memory sample to this file")
    parser.add_argument(
        "--steady",
        action="store_true",
        help="keep the number of stories constant (tells a leak from data)",
    )
    args = parser.parse_args()
    if args.steady and args.stories < args.rate * args.seconds:
        parser.error(
            "--steady deletes stories stored beforehand: --stories must be at "
            "least --rate × --seconds"
        )
    with tempfile.TemporaryDirectory() as tmp:
        db_path = str(Path(tmp) / "soak.db")
        prepare(db_path, args.stories)
        stories = bodies(int(args.rate * args.seconds))
        port = free_port()
        server = start_server(db_path, port)
        stop = threading.Event()
        memory = Memory(server.pid, stop)
        facilitator = Facilitator(f"http://127.0.0.1:{port}", stop)
        exports = Exports(db_path, tmp, stop)
        fragments = Fragments(port, args.rate, args.seconds)
        steady = Steady(db_path, fragments, stop) if args.steady else None
        background = [memory] + ([steady] if steady else [])
        background += [] if args.no_workshop else [facilitator]
        background += [] if args.no_export else [exports]
        try:
            for thread in background:
                thread.start()
            elapsed = fragments.run(stories)
            stop.set()
            for thread in background:
                thread.join(timeout=120)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        acknowledged = {i for i, status, _ in fragments.results if status in (200, 201)}
        stored, integrity = verify(db_path, acknowledged)
        report(args, elapsed, fragments, facilitator, exports, memory, steady, stored,
               integrity)  # fmt: skip
        if args.memory_json:
            samples = {"total": memory.samples, "processes": memory.each}
            Path(args.memory_json).write_text(json.dumps(samples))


if __name__ == "__main__":
    main()
