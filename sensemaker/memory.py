"""Handing memory back to the system after large, short-lived work in a server worker.

Working out a survey's patterns or rebuilding its arrays for the workshop allocates tens
of megabytes for a moment. Python and numpy free them, but glibc's allocator keeps freed
pages inside its heaps, so a long-running worker's resident memory ratchets up to its
largest moment and stays there. Two things keep it honest:

- `keep_large_blocks_apart()`: glibc serves big blocks from their own memory maps, which
  go back to the system when freed, but after freeing one it raises that size limit to
  the block's size, so later arrays of up to tens of MB land in the shared heap and
  fragment it. Fixing the limit keeps large arrays in maps of their own whenever the
  heap has no free room for them, so the heap no longer grows with them.
- `release()` asks glibc to return the heap's free pages now (`malloc_trim`).

On other C libraries both do nothing.
"""

import ctypes
import ctypes.util
import threading

_lock = threading.Lock()
_trim = None
_M_MMAP_THRESHOLD = -3  # mallopt's parameter number (malloc.h)
LARGE_BLOCK = 256 * 1024  # bytes; glibc's own starting limit is 128 KiB


def _libc():
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")


def keep_large_blocks_apart(limit: int = LARGE_BLOCK) -> bool:
    """Serve every block of `limit` bytes or more from its own memory map, for good.

    Call it in the server process before it starts its workers (they inherit it).
    """
    try:
        mallopt = _libc().mallopt
    except (OSError, AttributeError):  # not glibc
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return mallopt(_M_MMAP_THRESHOLD, limit) == 1


def _malloc_trim():
    global _trim
    if _trim is None:
        try:
            _trim = _libc().malloc_trim
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
