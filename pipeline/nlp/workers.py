"""Extraction worker processes: forked warm from a server that loaded everything once, and dying with their owner.

Starting a worker used to cost a fresh interpreter, the imports of every extractor, the spaCy model and the first
article's lazy tables (gazetteers, matchers, reference YAML): ~6 s of CPU per worker, paid by every worker of every
pool (bench/RESULTS.md, "Fixed costs of a small build"). Workers are now forked by multiprocessing's forkserver,
a process started by spawn (so it is safe to start from the threaded Dagster process) that first imports
`pipeline.nlp.warm`, which loads the model and runs the extractors once over a made-up text. Each worker is a fork
of that warm process: the work is done once, and `start_workers()` can start it early (`parley build` does, before
Dagster starts) so that it overlaps start-up and ingest on another core.

A build killed with SIGKILL cannot stop its pool, and workers are not in its process group's way of dying: they
would finish their task and write to cache/ after the data folder's lock is released, then wait forever. The
forkserver exits when its owner dies (multiprocessing closes a pipe it watches). Each worker asks Linux for SIGKILL
when its parent (the forkserver, or the owner when started by spawn) dies (prctl PR_SET_PDEATHSIG) and, on any
system, watches from a thread that its parent is still its parent and that the owner lives, and exits when not
(the fallback, within WATCH_SECONDS).
"""
from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from multiprocessing import forkserver

PR_SET_PDEATHSIG = 1  # linux/prctl.h
WATCH_SECONDS = 0.5
#: Imported by the forkserver before it forks any worker: the model and every extractor's tables, built once.
PRELOAD = ["pipeline.nlp.warm"]


def worker_context():
    """The multiprocessing context of extraction workers (and of anything passed to them, like queues)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def start_workers() -> None:
    """Start the warm forkserver now, without waiting for it: it loads in its own process while this one goes on.
    Until stop_workers(), `started()` says so, and the extraction uses its workers for any number of articles."""
    global _started
    worker_context()
    forkserver.ensure_running()
    _started = True


_started = False


def started() -> bool:
    """Whether start_workers() started the server (it may still be warming) and stop_workers() has not stopped it
    since: a pool then costs forks, not a server's start."""
    return _started


def stop_workers() -> None:
    """Stop the forkserver and free its memory (the model and tables it holds); the next pool starts a new one.
    multiprocessing has no public way to stop it: it is killed (it may still be warming, when nothing was left to
    parse) and multiprocessing's own tests' method forgets it; skipped if those names are gone."""
    global _started
    _started = False
    server = getattr(forkserver, "_forkserver", None)
    with contextlib.suppress(AttributeError, OSError):
        if getattr(server, "_forkserver_pid", None) is not None:
            os.kill(server._forkserver_pid, signal.SIGKILL)
        server._stop()


def _parent_death_signal() -> bool:
    """Ask the kernel to SIGKILL this process when its parent dies; False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _watch(parent: int, owner: int, seconds: float) -> None:
    while os.getppid() == parent and _alive(owner):
        time.sleep(seconds)
    os._exit(1)  # the parent or the owner is gone: stop at once, whatever the main thread is doing


def die_with_parent(owner_pid: int, use_prctl: bool = True, seconds: float = WATCH_SECONDS) -> None:
    """A pool initializer: from now on this process ends when `owner_pid` (the process that made the pool) or
    this process's parent (the owner itself, or the forkserver, which ends with the owner) does."""
    parent = os.getppid()
    if use_prctl:
        _parent_death_signal()
    if os.getppid() != parent or not _alive(owner_pid):  # gone before the signal was asked for
        os._exit(1)
    threading.Thread(target=_watch, args=(parent, owner_pid, seconds), name="parent-watchdog", daemon=True).start()


def _start(owner_pid: int, initializer, initargs: tuple) -> None:
    die_with_parent(owner_pid)
    if initializer is not None:
        initializer(*initargs)


def worker_pool(n_process: int, initializer=None, initargs: tuple = ()):
    """A pool of warm workers forked by the forkserver (never forked from this possibly threaded process) that die
    with this one; `initializer(*initargs)` runs in each worker after that is arranged."""
    return worker_context().Pool(n_process, initializer=_start, initargs=(os.getpid(), initializer, initargs))
