"""One writer for all the server's processes (Linux), so stories are stored in one place.

Under gunicorn every worker process had its own group commit (`committer`). Four
processes taking turns at SQLite's write lock committed about two stories at a time,
and each commit found its page cache emptied by another process's: storing cost 0.4 to
0.8 ms of CPU per story, against 0.1 to 0.2 ms in one process. Here the first process
that has a story to store binds a Unix socket named after the database and runs the
writer in a thread; every process, that one included, sends its stories there over one
connection per thread and waits for the answer, which comes only after the commit. The
writer stores whatever has arrived in one transaction with `committer.commit`, so the
rules are the group commit's: an acknowledged story is committed, a refused one does
not take the others with it.

If no writer can be reached, or the connection breaks while a story is out, the process
stores the story itself through its own group commit. Storing is idempotent by id and
body hash, so a story the writer committed just before it went away is found there and
answered as already stored (200 rather than 201). The next story finds the name free
and its process becomes the writer.

`sensemaker serve` does not leave the writer to the first worker: it binds the name
itself before the workers start and hands it to a process of its own (`start_process`),
so the writer never waits for the interpreter lock behind a worker's request threads
(inside a worker it waited about a third of its time, and every story waited with it;
docs/performance.md has the figures). If that process dies, the workers fall back as
above and one of them becomes the writer.

The socket's name is in Linux's abstract namespace: it disappears with the process that
holds it, so a killed writer leaves nothing to clean up, and binding it is the election.
Both ends check that the other runs as the same user (SO_PEERCRED), and messages are
plain values in `marshal` form. Elsewhere than Linux every process writes for itself.
"""

import hashlib
import logging
import marshal
import os
import selectors
import signal
import socket
import struct
import sys
import threading

from ..fragments import Fragment
from .committer import Committer, commit
from .connection import BUSY_SECONDS, connect
from .fragments import Stored, pending

AVAILABLE = sys.platform == "linux"
REPLY_SECONDS = BUSY_SECONDS + 30  # the writer may wait that long for SQLite's write lock
_LENGTH = struct.Struct("!I")  # each message: its length, then its marshalled value
_CREDENTIALS = struct.Struct("3i")  # SO_PEERCRED: pid, uid, gid
_TIMEVAL = struct.Struct("ll")  # SO_RCVTIMEO, SO_SNDTIMEO: seconds, microseconds
_REPLY_BYTES = 4096

log = logging.getLogger(__name__)


class WriterFailed(Exception):
    """The shared writer could not store a story (the database refused the transaction)."""


def store_fragment(path: str, fragment: Fragment, stored: Stored, *, shared: bool = False) -> str:
    """Store a fragment and return its outcome once committed: through the writer shared by
    the server's processes when `shared` and one can be reached, else through this
    process's group commit for the database at `path`."""
    item = pending(fragment, stored)
    if shared and AVAILABLE:
        outcome = _through_writer(path, item)
        if outcome is not None:
            return outcome
    return Committer.for_path(path).store(item)


def address(path: str) -> bytes:
    """The abstract socket name of the writer for the database file at `path`."""
    digest = hashlib.sha256(os.path.realpath(path).encode()).hexdigest()[:32]
    return b"\0sensemaker-writer-" + digest.encode()


def hosting(path: str) -> bool:
    """Whether this process runs the shared writer for the database at `path`."""
    return address(path) in _Writer.running


# -- the sending side: one connection per thread ------------------------------------------


class _Links(dict):
    """A thread's connections to writers, by database path; closed when the thread ends."""

    def __del__(self):
        for sock in self.values():
            sock.close()


_links = threading.local()


def _through_writer(path: str, item: tuple) -> str | None:
    """The outcome from the shared writer, or None when the story must be stored here."""
    link = _link(path)
    if link is None:
        return None
    try:
        _send(link, marshal.dumps(item))
        reply = _receive(link)
    except OSError:  # a timeout too: the story is stored here, once, whatever the writer did
        reply = None
    if reply is None:
        log.warning("The shared writer went away; this process stores the story itself.")
        _links.by_path.pop(path, None)
        link.close()
        return None
    kind, value = marshal.loads(reply)
    if kind != "ok":
        raise WriterFailed(value)
    return value


def _link(path: str) -> socket.socket | None:
    links = getattr(_links, "by_path", None)
    if links is None:
        links = _links.by_path = _Links()
    link = links.get(path)
    if link is None:
        name = address(path)
        link = _connect(name)
        if link is None and _Writer.start(name, path):
            link = _connect(name)
        if link is not None:
            links[path] = link
    return link


def _connect(name: bytes) -> socket.socket | None:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(1.0)
    try:
        sock.connect(name)
        if not _same_user(sock):  # someone else holds the name: never hand them a story
            raise PermissionError("the writer's socket belongs to another user")
    except OSError:
        sock.close()
        return None
    _kernel_timeout(sock, REPLY_SECONDS)
    return sock


def _kernel_timeout(sock: socket.socket, seconds: float) -> None:
    """Make `sock` blocking, with its timeout kept by the kernel (SO_RCVTIMEO, SO_SNDTIMEO):
    a send or receive that waits longer fails with an OSError, as with Python's own timeout.

    Python's timeout polls the socket before every send and receive, and each of those
    system calls lets go of the interpreter lock and takes it back; in a server process
    whose threads take turns at that lock, every extra turn costs.
    """
    sock.settimeout(None)
    whole = int(seconds)
    interval = _TIMEVAL.pack(whole, int((seconds - whole) * 1_000_000))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, interval)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, interval)


def _same_user(sock: socket.socket) -> bool:
    credentials = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _CREDENTIALS.size)
    _pid, uid, _gid = _CREDENTIALS.unpack(credentials)
    return uid == os.getuid()


def _send(sock: socket.socket, message: bytes) -> None:
    sock.sendall(_LENGTH.pack(len(message)) + message)


def _receive(sock: socket.socket) -> bytes | None:
    """The one reply to the one message sent, or None when the other end has closed the
    connection. A reply is a few dozen bytes, so it usually arrives in one receive."""
    buffer = bytearray()
    while True:
        data = sock.recv(_REPLY_BYTES)
        if not data:
            return None
        buffer += data
        messages = _whole_messages(buffer)
        if messages:
            return messages[0]


def _whole_messages(buffer: bytearray) -> list[bytes]:
    """Take every whole message off the front of `buffer`; a part message stays there."""
    messages = []
    while len(buffer) >= _LENGTH.size:
        end = _LENGTH.size + _LENGTH.unpack_from(buffer)[0]
        if len(buffer) < end:
            break
        messages.append(bytes(buffer[_LENGTH.size : end]))
        del buffer[:end]
    return messages


# -- the writer ----------------------------------------------------------------------------


class _Writer:
    """Answers every connection's stories, storing all that have arrived in one transaction."""

    running: set[bytes] = set()  # the names this process serves

    def __init__(self, listener: socket.socket, name: bytes, path: str):
        self.listener, self.name, self.path = listener, name, path
        self.selector = selectors.DefaultSelector()
        self.received: dict[socket.socket, bytearray] = {}

    @classmethod
    def start(cls, name: bytes, path: str) -> bool:
        """Become the writer for `path` unless another process already is."""
        listener = _listen(name)
        if listener is None:
            return False
        cls.running.add(name)
        writer = cls(listener, name, path)
        threading.Thread(target=writer.run, name="shared-writer", daemon=True).start()
        return True

    def run(self, go_on=lambda: True, check_every: float | None = None) -> None:
        """Store and answer until the process ends or, checked at least every
        `check_every` seconds, `go_on()` turns false."""
        try:
            database = connect(self.path, migrate=False, stepwise=True)
        except Exception:
            log.exception("The shared writer could not open the database.")
            self.close()
            return
        try:
            self.selector.register(self.listener, selectors.EVENT_READ)
            while go_on():
                arrived = []
                for key, _events in self.selector.select(check_every):
                    if key.fileobj is self.listener:
                        self.accept()
                    else:
                        arrived += self.read(key.fileobj)
                if arrived:
                    self.answer(database, arrived)
        except Exception:  # the others store for themselves and elect a new writer
            log.exception("The shared writer stopped.")
        finally:
            database.close()
            self.close()

    def accept(self) -> None:
        sock, _ = self.listener.accept()
        if not _same_user(sock):
            sock.close()
            return
        _kernel_timeout(sock, 5.0)  # answers are small and their reader is waiting for them
        self.received[sock] = bytearray()
        self.selector.register(sock, selectors.EVENT_READ)

    def read(self, sock: socket.socket) -> list[tuple[socket.socket, bytes]]:
        """The whole messages that have arrived on `sock`; a closed connection is dropped."""
        try:
            data = sock.recv(1 << 16)
        except OSError:
            data = b""
        if not data:
            self.drop(sock)
            return []
        buffer = self.received[sock]
        buffer += data
        return [(sock, message) for message in _whole_messages(buffer)]

    def answer(self, database, arrived: list[tuple[socket.socket, bytes]]) -> None:
        items, results = [], []
        for _sock, message in arrived:
            try:
                items.append(_pending(marshal.loads(message)))
                results.append(None)
            except (ValueError, EOFError, TypeError) as error:
                results.append(error)
        stored = iter(commit(database, items))
        for (sock, _message), result in zip(arrived, results, strict=True):
            result = next(stored) if result is None else result
            if isinstance(result, BaseException):
                reply = ("error", f"{type(result).__name__}: {result}")
            else:
                reply = ("ok", result)
            try:
                _send(sock, marshal.dumps(reply))
            except OSError:
                self.drop(sock)

    def drop(self, sock: socket.socket) -> None:
        if self.received.pop(sock, None) is not None:
            self.selector.unregister(sock)
            sock.close()

    def close(self) -> None:
        _Writer.running.discard(self.name)
        for sock in list(self.received):
            self.drop(sock)
        self.selector.close()
        self.listener.close()


def _listen(name: bytes) -> socket.socket | None:
    """A socket listening on `name`, or None when another process holds the name."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind(name)
    except OSError:  # taken: another process is the writer, or is becoming it
        listener.close()
        return None
    listener.listen(128)
    return listener


# -- the writer in a process of its own ----------------------------------------------------


def start_process(path: str) -> int | None:
    """Fork the writer for the database at `path` into a process of its own; its pid, or
    None when another process already holds the writer's name.

    The name is bound before the fork, before anything else can store a story, so no
    worker can become the writer in between. Forked rather than started afresh, the
    child shares the modules this process has loaded instead of loading its own. Call it
    while this process has no other threads. The child stops on SIGTERM once it has
    answered the stories it holds, and by itself within a second when this process is
    gone; `stop_process` does the first.
    """
    listener = _listen(address(path))
    if listener is None:
        return None
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            _serve(path, listener)
            status = 0
        finally:
            os._exit(status)
    listener.close()
    return pid


def stop_process(pid: int) -> None:
    """Stop the writer `start_process` started, and wait for it to end."""
    try:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass  # already ended, and perhaps reaped by whoever watches this process's children


def _serve(path: str, listener: socket.socket) -> None:
    """The child's work: be the writer on `listener` until told to stop or orphaned."""
    parent = os.getppid()
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a terminal's Ctrl-C is for the server
    name = address(path)
    _Writer.running.add(name)
    writer = _Writer(listener, name, path)
    writer.run(go_on=lambda: not stopping.is_set() and os.getppid() == parent, check_every=1.0)


def _pending(value) -> tuple:
    """A received `fragments.pending` value, checked for shape before it reaches SQL."""
    row, vector, while_open = value
    if (type(row) is not tuple or not (vector is None or type(vector) is bytes)
            or type(while_open) is not bool):  # fmt: skip
        raise TypeError("not a pending fragment")
    return row, vector, while_open
