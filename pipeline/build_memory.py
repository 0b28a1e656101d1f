"""What the main process of `parley build` holds between steps: only what the next step needs.

Two things kept memory the steps had finished with (a 10k-article re-run peaked at 1,668 MB, bench/RESULTS.md):
- Dagster's `execute_in_process` keeps every value a step returns (the articles with their text, every table a
  step returns as a DataFrame) in a dict for its result's `output_for_node()`, until the run ends. `parley build`
  reads only the result's events (the tables go between steps through the IO manager's Parquet files), so its run
  is executed with that capture switched off (`outputs_not_kept`).
- glibc's malloc keeps the memory a step frees (to reuse it), in holes the next step's allocations often do not
  fit: each step's peak came on top of the last one's leftovers. `return_free_memory` hands the free pages back to
  the system (malloc_trim; ~5 ms, no garbage collection, which cost ~0.5 s a call on a 10k build's heap); the IO
  manager calls it as a step loads its inputs (pipeline/defs/resources.py).
"""
from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools


@contextlib.contextmanager
def outputs_not_kept():
    """Inside the block, Dagster's in-process execution keeps no step output in memory. The switch is an argument
    of Dagster's own execute function (its `execute_in_process` passes True); only this call sees the change."""
    from dagster._core.execution import execute_in_process as module
    original = getattr(module, "core_execute_in_process", None)
    if original is None:  # another Dagster layout: the run keeps its outputs, as before (memory, not rows)
        yield
        return

    def without_capture(*args, **kwargs):
        return original(*args, **{**kwargs, "output_capturing_enabled": False})

    module.core_execute_in_process = without_capture
    try:
        yield
    finally:
        module.core_execute_in_process = original


@functools.lru_cache(maxsize=1)
def _malloc_trim():
    """glibc's malloc_trim, or None on a C library without it (musl, macOS): nothing to hand back there."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def return_free_memory() -> None:
    """Hand the pages malloc holds free back to the system. Changes no object: only the process's size."""
    if (trim := _malloc_trim()) is not None:
        trim(0)
