"""Giving freed heap memory back to the system after large, short-lived work."""

import os
import sys

import pytest

from sensemaker import memory


def resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_release_returns_freed_heap_pages_to_the_system():
    # Many mid-sized blocks: too small for their own mmap, so they live in malloc's heap
    # and stay resident after being freed until the heap is trimmed.
    blocks = [bytearray(2000) for _ in range(40_000)]
    for block in blocks:
        block[::512] = b"x" * len(block[::512])  # touch every page
    del blocks[1:]  # one block left near the start: the heap cannot simply shrink
    before = resident_bytes()
    assert memory.release() is True
    after = resident_bytes()
    assert before - after > 40 * 2**20  # of the ~80 MB freed, most went back
