"""The Vega, Vega-Lite and vega-embed JavaScript, served by this app from `static/`.

The bundle comes from `vl-convert-python` (the same library that renders the report's
pictures), so the browser and the report draw with the same Vega. It is written once
under `static/vendor/`, named by its versions, and served like any static file; nothing
is ever fetched from the internet.
"""

import os
import tempfile
import threading

from .. import STATIC

_lock = threading.Lock()


def bundle_name() -> str:
    import vl_convert

    versions = (vl_convert.get_vega_version(), vl_convert.get_vegalite_versions()[-1],
                vl_convert.get_vega_embed_version())  # fmt: skip
    return "vendor/vega-{}-vl{}-embed{}.js".format(*versions)


def vega_bundle() -> str:
    """The bundle's path under `static/`, written first if it is not there yet."""
    name = bundle_name()
    path = STATIC / name
    if path.exists():
        return name
    with _lock:
        if not path.exists():
            import vl_convert

            path.parent.mkdir(parents=True, exist_ok=True)
            text = vl_convert.javascript_bundle()
            # Written beside and renamed, so another process never serves half a file.
            fd, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(text)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
    return name


if __name__ == "__main__":  # `python -m sensemaker.workshop.assets`, e.g. from the Makefile
    print(vega_bundle())
