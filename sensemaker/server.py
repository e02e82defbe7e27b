"""Running the app under gunicorn, the production WSGI server, from `sensemaker serve`."""

import os

from gunicorn.app.base import BaseApplication

from . import memory


class _Server(BaseApplication):
    def __init__(self, options: dict, database: str):
        self.options = options
        self.database = database
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from . import create_app

        # With several worker processes, one of them stores the stories of all.
        shared = self.options["workers"] > 1
        return create_app({"DATABASE": self.database, "SHARED_WRITER": shared})


def run(database: str, host: str, port: int, workers: int | None = None, threads: int = 4):
    """Serve until interrupted; threads per worker let slow clients not block others."""
    options = {
        "bind": f"{host}:{port}",
        "workers": workers or 2 * (os.cpu_count() or 1),
        "threads": threads,
        "worker_class": "gthread",
        "keepalive": 5,
        "accesslog": None,  # request lines carry no story text, but keep logs quiet
        "errorlog": "-",
        "loglevel": "warning",
        "timeout": 30,
    }
    memory.keep_large_blocks_apart()  # workers are long-lived and numpy-heavy
    _Server(options, database).run()
