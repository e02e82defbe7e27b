"""Running the app under gunicorn, the production WSGI server, from `sensemaker serve`."""

import os

from gunicorn.app.base import BaseApplication

from . import memory
from .db import shared_writer


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
    """Serve until interrupted; threads per worker let slow clients not block others.

    With several workers, their stories go to one writer in a process of its own
    (`db.shared_writer`), started before them and stopped after them.
    """
    workers = workers or 2 * (os.cpu_count() or 1)
    writer = None
    if workers > 1 and shared_writer.AVAILABLE:
        writer = shared_writer.start_process(database)

    def stop_writer(_arbiter):  # gunicorn's on_exit: every worker has finished
        if writer is not None:
            shared_writer.stop_process(writer)

    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "keepalive": 5,
        "accesslog": None,  # request lines carry no story text, but keep logs quiet
        "errorlog": "-",
        "loglevel": "warning",
        "timeout": 30,
        "on_exit": stop_writer,
    }
    memory.keep_large_blocks_apart()  # workers are long-lived and numpy-heavy
    _Server(options, database).run()
