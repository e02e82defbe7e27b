"""The service worker that keeps the capture form working with no network.

`/sw.js` is `static/js/capture/sw.js` with the list of files to keep and a version filled
in. The version is a hash of those files, so every release that changes one of them brings
a new worker, which fetches the new files and drops the old cache.
"""

import hashlib
import json
import re

from flask import Blueprint, current_app, request, url_for

from . import STATIC

bp = Blueprint("offline", __name__)

WORKER = STATIC / "js" / "capture" / "sw.js"
# Everything the form needs to open and run: its styles, its modules, the A+ control.
ASSET_GLOBS = ("css/base.css", "css/capture.css", "js/textsize.js", "js/capture/*.js")


def assets() -> list[str]:
    """The static files the worker keeps, relative to the static folder."""
    found = []
    for pattern in ASSET_GLOBS:
        for path in sorted(STATIC.glob(pattern)):
            if path != WORKER:
                found.append(path.relative_to(STATIC).as_posix())
    return found


def page_patterns(root: str) -> list[str]:
    """Pages a teller may open offline: forms, kiosks, definitions, the statement."""
    root = re.escape(root)
    return [
        rf"^{root}/s/[^/]+$",
        rf"^{root}/k/[^/]+$",
        rf"^{root}/s/[^/]+/definition\.json$",
        rf"^{root}/tillganglighet$",
    ]


@bp.get("/sw.js")
def service_worker():
    files = assets()
    digest = hashlib.sha256(WORKER.read_bytes())
    for name in files:
        digest.update(name.encode() + b"\0" + (STATIC / name).read_bytes())
    script = (
        WORKER.read_text(encoding="utf-8")
        .replace("__VERSION__", digest.hexdigest()[:16])
        .replace("__ASSETS__", json.dumps([url_for("static", filename=n) for n in files]))
        .replace("__PAGES__", json.dumps(page_patterns(request.script_root)))
    )
    return current_app.response_class(script, mimetype="text/javascript")
