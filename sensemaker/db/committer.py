"""Storing fragments from many request threads in shared transactions (group commit).

Each committed transaction costs a turn at SQLite's single write lock. With dozens of
tablets sending at once, threads queueing for that lock one story at a time spent more
time waiting than writing. Here one writer thread per process and database takes every
fragment that has arrived, stores them in one transaction (each behind its own
savepoint) and only then answers each waiting request, so an acknowledged story is
always committed. The thread ends when it has been idle for a while.
"""

import os
import queue
import threading
from dataclasses import dataclass, field

from .connection import connect, now, writing
from .fragments import store_pending

MAX_BATCH = 256
IDLE_SECONDS = 2.0


@dataclass
class _Waiting:
    item: tuple  # `fragments.pending`
    done: threading.Event = field(default_factory=threading.Event)
    outcome: str | None = None
    error: BaseException | None = None


class Committer:
    _by_path: dict[tuple[int, str], "Committer"] = {}
    _guard = threading.Lock()

    def __init__(self, path: str):
        self.path = path
        self.queue: queue.SimpleQueue[_Waiting] = queue.SimpleQueue()
        self.lock = threading.Lock()
        self.running = False

    @classmethod
    def for_path(cls, path: str) -> "Committer":
        key = (os.getpid(), os.path.abspath(path))  # a forked worker gets its own thread
        with cls._guard:
            if key not in cls._by_path:
                cls._by_path[key] = cls(path)
            return cls._by_path[key]

    def store(self, item: tuple) -> str:
        """Store one `pending` fragment; its outcome once its transaction has committed."""
        waiting = _Waiting(item)
        with self.lock:
            self.queue.put(waiting)
            if not self.running:
                self.running = True
                threading.Thread(target=self._run, name="fragment-committer", daemon=True).start()
        waiting.done.wait()
        if waiting.error is not None:
            raise waiting.error
        return waiting.outcome

    def _run(self) -> None:
        try:
            database = connect(self.path, migrate=False, stepwise=True)
        except BaseException as error:  # answer everyone waiting; the next story tries again
            with self.lock:
                self.running = False
                while not self.queue.empty():
                    waiting = self.queue.get_nowait()
                    waiting.error = error
                    waiting.done.set()
            return
        try:
            while True:
                batch = self._next_batch()
                if batch is None:
                    return
                self._commit(database, batch)
        finally:
            database.close()

    def _next_batch(self) -> list[_Waiting] | None:
        try:
            batch = [self.queue.get(timeout=IDLE_SECONDS)]
        except queue.Empty:
            with self.lock:
                if self.queue.empty():
                    self.running = False
                    return None
            return []
        while len(batch) < MAX_BATCH:
            try:
                batch.append(self.queue.get_nowait())
            except queue.Empty:
                break
        return batch

    @staticmethod
    def _commit(database, batch: list[_Waiting]) -> None:
        try:
            results = commit(database, [waiting.item for waiting in batch])
            for waiting, result in zip(batch, results, strict=True):
                if isinstance(result, BaseException):
                    waiting.error = result
                else:
                    waiting.outcome = result
        finally:
            for waiting in batch:
                waiting.done.set()


def commit(database, items: list[tuple]) -> list:
    """Store `pending` fragments in one transaction. One result each: its outcome, or the
    exception that refused it (the others go on) or failed the commit (nobody is stored)."""
    results: list = []
    try:
        with writing(database):
            stamp = now()
            for item in items:
                try:
                    results.append(store_pending(database, item, stamp))
                except Exception as error:  # this fragment only: its savepoint is undone
                    results.append(error)
    except BaseException as error:  # the commit itself failed: nobody is acknowledged
        refused = [r if isinstance(r, BaseException) else error for r in results]
        return refused + [error] * (len(items) - len(results))
    return results
