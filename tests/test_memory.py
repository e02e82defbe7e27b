"""Giving freed heap memory back to the system after large, short-lived work."""

import os
import subprocess
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


SCENARIO = """
import sys
from sensemaker import memory
def resident():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096
if sys.argv[1] == "fixed":
    memory.keep_large_blocks_apart()
big = bytearray(8 * 2**20)  # freed: glibc would now raise its limit to 8 MB
del big
arrays = [bytearray(2 * 2**20) for _ in range(20)]
for array in arrays:
    array[::4096] = b"x" * len(array[::4096])
before = resident()
del arrays
print((before - resident()) // 2**20)
"""


def released_mb(mode: str) -> int:
    # A fresh process: in a heap with free room already, glibc serves even large blocks
    # from that room, whatever the limit.
    done = subprocess.run([sys.executable, "-c", SCENARIO, mode], capture_output=True,
                          text=True, check=True)  # fmt: skip
    return int(done.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_large_arrays_go_back_to_the_system_once_the_limit_is_fixed():
    assert released_mb("glibc-default") < 10  # 40 MB freed into the heap, kept resident
    assert released_mb("fixed") > 30  # each array in its own map, returned as freed
