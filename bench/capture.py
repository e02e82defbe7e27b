"""Capture throughput: 32 concurrent clients posting valid fragments to `sensemaker serve`.

Starts the production server on a fresh database, sends fragments for a fixed time from
32 keep-alive connections (spread over client processes so the load generator is not the
bottleneck), alternating in rounds with the same load on the trivial health endpoint of
the same server, and prints fragments/s, p50 and p99 latency and the ratio of the two
throughputs, overall and per round. A second of fragments before the first round is not
counted: each worker's first requests load code and open its connections.

    .venv/bin/python bench/capture.py [--seconds 10] [--rounds 3] [--clients 32] [--workers N]

Goals on a 2-core machine: >= 1,000 fragments/s, p99 < 100 ms, ratio >= 0.5.
"""

import argparse
import json
import multiprocessing
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SURVEY_FILE = ROOT / "surveys" / "trygg-omsorg.yaml"
if not SURVEY_FILE.exists():
    SURVEY_FILE = ROOT / "tests" / "data" / "all_kinds.yaml"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bodies(count: int, seed: int) -> list[bytes]:
    """Valid, varied fragments from the synthetic generator, each with a fresh id."""
    from sensemaker import survey as surveys
    from sensemaker.generate import generate_fragments

    survey = surveys.load(SURVEY_FILE)
    batch = generate_fragments(survey, count, seed)
    out = []
    for fragment in batch.fragments:
        body = fragment.as_body()
        body["id"] = str(uuid.uuid4())
        out.append(json.dumps(body, ensure_ascii=False).encode())
    return out


_STORY_ID = re.compile(rb'"id": "[0-9a-f-]{36}"')


def with_fresh_id(request: bytes) -> bytes:
    """The same request with a new story id of the same length (Content-Length holds);
    a request without one, as the health check's, unchanged."""
    return _STORY_ID.sub(f'"id": "{uuid.uuid4()}"'.encode(), request, count=1)


def request_bytes(method: str, path: str, body: bytes = b"") -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n"
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


def read_response(sock: socket.socket, buffer: bytearray) -> int:
    """Read one HTTP/1.1 response from `sock`; returns its status code."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        buffer += chunk
    end = buffer.index(b"\r\n\r\n") + 4
    head = bytes(buffer[:end]).decode("latin-1")
    length = 0
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value)
    while len(buffer) < end + length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        buffer += chunk
    del buffer[: end + length]
    return int(head.split(" ", 2)[1])


def client_process(port, requests, seconds, connections, results):
    """One load process: `connections` keep-alive sockets served round-robin with select."""
    import selectors

    selector = selectors.DefaultSelector()
    deadline = time.perf_counter() + seconds
    latencies, statuses, index = [], {}, 0
    state = {}
    for _ in range(connections):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        state[sock] = [bytearray(), time.perf_counter()]
        sock.sendall(requests[index % len(requests)])
        index += 1
        selector.register(sock, selectors.EVENT_READ)
    while state:
        for key, _ in selector.select(timeout=5):
            sock = key.fileobj
            buffer, started = state[sock]
            status = read_response(sock, buffer)
            now = time.perf_counter()
            latencies.append(now - started)
            statuses[status] = statuses.get(status, 0) + 1
            if now >= deadline:
                selector.unregister(sock)
                sock.close()
                del state[sock]
                continue
            state[sock][1] = now
            request = requests[index % len(requests)]
            if index >= len(requests):  # a fast run: a repeated id would be answered 200 unwritten
                request = with_fresh_id(request)
            sock.sendall(request)
            index += 1
    results.put((latencies, statuses))


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU time of the server and its workers so far."""
    import psutil

    root = psutil.Process(pid)
    total = 0.0
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def load(port, requests, seconds, clients, processes, server_pid=None):
    """One timed burst: latencies, statuses, wall seconds and server CPU seconds."""
    results = multiprocessing.Queue()
    share = [clients // processes + (i < clients % processes) for i in range(processes)]
    chunks = [requests[i::processes] or requests for i in range(processes)]
    workers = [
        multiprocessing.Process(
            target=client_process, args=(port, chunks[i], seconds, share[i], results)
        )
        for i in range(processes)
    ]
    cpu_before = server_cpu_seconds(server_pid) if server_pid else 0.0
    started = time.perf_counter()
    for w in workers:
        w.start()
    collected = [results.get() for _ in workers]
    elapsed = time.perf_counter() - started
    cpu = server_cpu_seconds(server_pid) - cpu_before if server_pid else float("nan")
    for w in workers:
        w.join()
    statuses: dict = {}
    for _, s in collected:
        for code, n in s.items():
            statuses[code] = statuses.get(code, 0) + n
    return {
        "latencies": [x for lat, _ in collected for x in lat],
        "statuses": statuses,
        "elapsed": elapsed,
        "cpu": cpu,
    }


def summary(bursts: list[dict]) -> dict:
    latencies = sorted(x for b in bursts for x in b["latencies"])
    statuses: dict = {}
    for b in bursts:
        for code, n in b["statuses"].items():
            statuses[code] = statuses.get(code, 0) + n
    n = len(latencies)
    return {
        "requests": n,
        "per_second": n / sum(b["elapsed"] for b in bursts),
        "p50_ms": 1000 * latencies[n // 2],
        "p99_ms": 1000 * latencies[min(n - 1, int(n * 0.99))],
        "statuses": statuses,
        # server CPU per request: steadier than req/s on a busy box
        "cpu_ms": 1000 * sum(b["cpu"] for b in bursts) / n,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--rounds", type=int, default=3,
        help="alternate fragments and health this many times, splitting the seconds, so a "
        "machine whose speed drifts during the run weighs on both alike",
    )  # fmt: skip
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="sensemaker-bench-")
    database = os.path.join(tmp, "bench.db")
    cli = [sys.executable, "-m", "sensemaker", "--db", database]
    # The server runs this checkout's code wherever the benchmark is started from:
    # `python -m` looks first in the working directory, so comparing two checkouts from
    # inside one of them would otherwise run the same code twice.
    checkout = {"cwd": ROOT, "env": {**os.environ, "PYTHONPATH": str(ROOT)}}
    subprocess.run([*cli, "survey", "load", str(SURVEY_FILE)], check=True, capture_output=True,
                   **checkout)  # fmt: skip
    port = free_port()
    serve = [*cli, "serve", "--port", str(port), "--threads", str(args.threads)]
    if args.workers:
        serve += ["--workers", str(args.workers)]
    log_path = os.path.join(tmp, "server.log")  # the server logs warnings and errors only
    with open(log_path, "w") as log:
        server = subprocess.Popen(serve, stdout=subprocess.DEVNULL, stderr=log, **checkout)
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        survey_id = SURVEY_FILE.name.removesuffix(".yaml")
        path = f"/api/v1/surveys/{survey_id}/fragments"
        # Room for 5,000 distinct fragments a second; a client that runs through its share
        # sends them again under new ids (`with_fresh_id`), never a repeat.
        per_second = 5000
        posts = [request_bytes("POST", path, b)
                 for b in bodies(int(args.seconds * per_second) + per_second, 7)]  # fmt: skip
        trivial_request = [request_bytes("GET", "/api/v1/health")]
        burst = args.seconds / args.rounds
        # Not counted: each worker's first requests load code and open its connections.
        load(port, posts[-per_second:], 1.0, args.clients, args.client_processes)
        posts = posts[:-per_second]
        posted, checked, ratios = [], [], []
        for round_ in range(args.rounds):
            share = posts[round_ :: args.rounds]
            posted.append(load(port, share, burst, args.clients, args.client_processes,
                               server.pid))  # fmt: skip
            checked.append(load(port, trivial_request, burst, args.clients,
                                args.client_processes, server.pid))  # fmt: skip
            ratios.append(
                (len(posted[-1]["latencies"]) / posted[-1]["elapsed"])
                / (len(checked[-1]["latencies"]) / checked[-1]["elapsed"])
            )
        fragments, trivial = summary(posted), summary(checked)
    finally:
        server.terminate()
        server.wait(timeout=10)

    ratio = fragments["per_second"] / trivial["per_second"]
    print(
        f"survey: {survey_id}, {args.clients} clients, {args.seconds:.0f} s each in "
        f"{args.rounds} alternating rounds, "
        f"server: gunicorn gthread, workers={args.workers or 2 * os.cpu_count()}, "
        f"threads={args.threads}, cores={os.cpu_count()}, code: {ROOT}"
    )
    print(
        f"{'endpoint':<22}{'requests':>10}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'server CPU ms':>15}  statuses"
    )
    for name, r in (("POST fragments", fragments), ("GET health (trivial)", trivial)):
        print(
            f"{name:<22}{r['requests']:>10}{r['per_second']:>10.0f}{r['p50_ms']:>9.1f}"
            f"{r['p99_ms']:>9.1f}{r['cpu_ms']:>15.2f}  {r['statuses']}"
        )
    print(f"ratio fragments/trivial: {ratio:.2f} (rounds: {', '.join(f'{r:.2f}' for r in ratios)})")
    print(
        "server CPU per request, fragments/trivial: "
        f"{fragments['cpu_ms'] / trivial['cpu_ms']:.2f} (the load generator shares the cores)"
    )
    with open(log_path) as log:
        logged = log.read().splitlines()
    print(f"server log: {len(logged)} lines of warnings or errors"
          + (f", the first: {logged[0][:160]}; log and database kept in {tmp}" if logged
             else ""))  # fmt: skip
    if not logged:  # a run's database is about 50 MB: keep it only when something went wrong
        shutil.rmtree(tmp)
    goals = fragments["per_second"] >= 1000 and fragments["p99_ms"] < 100 and ratio >= 0.5
    print("goals (>= 1000 fragments/s, p99 < 100 ms, ratio >= 0.5):", "met" if goals else "NOT met")


if __name__ == "__main__":
    main()
