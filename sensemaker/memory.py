"""Handing memory back to the system after large, short-lived work in a server worker.

Working out a survey's patterns or rebuilding its arrays for the workshop allocates tens
of megabytes for a moment. Python and numpy free them, but glibc's allocator keeps freed
pages inside its heaps, so a long-running worker's resident memory ratchets up to its
largest moment and stays there. `release()` asks glibc to return free pages now
(`malloc_trim`); on other C libraries it does nothing.
"""

import ctypes
import ctypes.util
import threading

_lock = threading.Lock()
_trim = None


def _malloc_trim():
    global _trim
    if _trim is None:
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            _trim = libc.malloc_trim
            _trim.argtypes, _trim.restype = [ctypes.c_size_t], ctypes.c_int
        except (OSError, AttributeError):  # not glibc: nothing to trim
            _trim = False
    return _trim


def release() -> bool:
    """Return the allocator's free pages to the system; True if any were returned."""
    trim = _malloc_trim()
    if not trim:
        return False
    with _lock:  # one trim at a time: each walks every heap
        return bool(trim(0))
