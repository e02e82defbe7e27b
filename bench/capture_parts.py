"""Where a stored fragment's CPU time goes, measured in one process without a network.

Complements `bench/capture.py`: calls the WSGI app directly (no server, no sockets) for
the trivial health endpoint and for fragment submissions (through the fragment door, as
served, and through the Flask view it stands in front of), then times each step of a
submission on its own: reading the JSON body, validating it, the personal-data scan,
the receipt code, the numeric answers, and storing in transactions of 1 and of 32.

    .venv/bin/python bench/capture_parts.py [--n 3000] [--checkpoint-pages 1000]

`--checkpoint-pages` sets the storing connection's WAL checkpoint threshold (the
server's is `db.connection.CHECKPOINT_PAGES`); the threshold shows with `--n 20000` or
more, when the stored stories fill the log many times over.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from capture import SURVEY_FILE, bodies  # noqa: E402


def per_call_ms(function, items) -> float:
    started = time.process_time()
    for item in items:
        function(item)
    return 1000 * (time.process_time() - started) / len(items)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--checkpoint-pages", type=int, default=None)
    args = parser.parse_args()
    from werkzeug.test import EnvironBuilder

    from sensemaker import create_app, db, fragments, intake, signification, withdrawal
    from sensemaker.db.connection import connect, now, writing
    from sensemaker.db.fragments import pending, store_pending

    tmp = tempfile.mkdtemp(prefix="sensemaker-parts-")
    database = os.path.join(tmp, "parts.db")
    command = [sys.executable, "-m", "sensemaker", "--db", database]
    subprocess.run([*command, "survey", "load", str(SURVEY_FILE)], check=True,
                   capture_output=True)  # fmt: skip
    app = create_app({"DATABASE": database})
    survey_id = SURVEY_FILE.name.removesuffix(".yaml")
    path = f"/api/v1/surveys/{survey_id}/fragments"

    def call(environ, wsgi=app):
        statuses = []
        response = wsgi(environ, lambda status, headers, exc=None: statuses.append(status))
        b"".join(response)
        if hasattr(response, "close"):  # as a WSGI server does
            response.close()
        return statuses[0]

    def post(body):
        return EnvironBuilder(path=path, method="POST", data=body,
                              content_type="application/json").get_environ()  # fmt: skip

    warm, sent = bodies(200, 1), bodies(args.n, 2)
    for body in warm:
        call(post(body))
    health = [EnvironBuilder(path="/api/v1/health").get_environ() for _ in range(args.n)]
    posts = [post(body) for body in sent]
    flask_view = [post(body) for body in bodies(args.n, 4)]
    rows = [
        ("GET health, whole request", per_call_ms(call, health)),
        ("POST fragment, whole request", per_call_ms(call, posts)),
        ("  the same through the Flask view", per_call_ms(
            lambda environ: call(environ, app.wsgi_app.inner), flask_view)),
    ]  # fmt: skip
    with app.app_context():
        from sensemaker.web import get_db

        connection = get_db()
        survey = db.get_survey(connection, survey_id)
        more = bodies(args.n, 3)
        read = [fragments.read_body(body) for body in more]
        parsed = [fragments.parse(body, survey) for body, _ in read]
        codes = [withdrawal.receipt_for(f.id) for f in parsed]
        rows += [
            ("  read JSON body and its hash", per_call_ms(fragments.read_body, more)),
            ("  validate against the survey", per_call_ms(lambda r: fragments.parse(r[0], survey),
                                                           read)),  # fmt: skip
            ("  scan texts for personal data",
             per_call_ms(lambda f: intake.personal_data(f, survey), parsed)),
            ("  receipt code and its hash", per_call_ms(
                lambda f: withdrawal.receipt_hash(withdrawal.receipt_for(f.id)), parsed)),
            ("  numeric answers", per_call_ms(lambda f: signification.encode(survey, f.answers),
                                              parsed)),
        ]  # fmt: skip
        stored = [intake.prepare(f, survey, sha, receipt=code)
                  for f, (_, sha), code in zip(parsed, read, codes, strict=True)]  # fmt: skip
    items = list(zip(parsed, stored, strict=True))
    writer = connect(database, migrate=False)
    if args.checkpoint_pages is not None:
        writer.execute(f"PRAGMA wal_autocheckpoint = {args.checkpoint_pages:d}")

    def store_ms(batch, size):
        """CPU ms per fragment to store `batch` in transactions of `size`."""
        started = time.process_time()
        for start in range(0, len(batch), size):
            with writing(writer):
                stamp = now()
                for fragment, extra in batch[start : start + size]:
                    store_pending(writer, pending(fragment, extra), stamp)
        return 1000 * (time.process_time() - started) / len(batch)

    half = len(items) // 2
    rows.append(("  store, one per transaction", store_ms(items[:half], 1)))
    rows.append(("  store, 32 per transaction", store_ms(items[half:], 32)))
    writer.close()
    shutil.rmtree(tmp)
    print(f"in one process, {args.n} requests each, CPU ms per call:")
    for name, ms in rows:
        print(f"  {name:<36}{ms:8.3f}")


if __name__ == "__main__":
    main()
