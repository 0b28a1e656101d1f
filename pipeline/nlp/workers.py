"""Extraction worker processes that die with the process that started them.

A build killed with SIGKILL cannot stop its pool, and spawned workers are not in its process group's way of
dying: they would finish their task and write to cache/ after the data folder's lock is released, then wait
forever. Each worker therefore asks Linux for SIGKILL when its parent dies (prctl PR_SET_PDEATHSIG) and, on any
system, watches its parent pid from a thread and exits when it changes (the fallback, within WATCH_SECONDS).
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # linux/prctl.h
WATCH_SECONDS = 0.5


def _parent_death_signal() -> bool:
    """Ask the kernel to SIGKILL this process when its parent dies; False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent_pid: int, seconds: float) -> None:
    while os.getppid() == parent_pid:
        time.sleep(seconds)
    os._exit(1)  # the parent is gone: stop at once, whatever the main thread is doing


def die_with_parent(parent_pid: int, use_prctl: bool = True, seconds: float = WATCH_SECONDS) -> None:
    """A pool initializer: from now on this process ends when `parent_pid` does."""
    if use_prctl:
        _parent_death_signal()
    if os.getppid() != parent_pid:  # the parent died before the signal was asked for
        os._exit(1)
    threading.Thread(target=_watch, args=(parent_pid, seconds), name="parent-watchdog", daemon=True).start()


def _start(parent_pid: int, initializer, initargs: tuple) -> None:
    die_with_parent(parent_pid)
    if initializer is not None:
        initializer(*initargs)


def worker_pool(n_process: int, initializer=None, initargs: tuple = ()):
    """A pool of spawned processes (not forked: the caller may be a threaded Dagster process) that die with this
    one; `initializer(*initargs)` runs in each worker after that is arranged."""
    return multiprocessing.get_context("spawn").Pool(n_process, initializer=_start,
                                                     initargs=(os.getpid(), initializer, initargs))
