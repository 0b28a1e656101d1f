"""Progress of the article parse: a tqdm bar on the terminal and the same counts in the Dagster run's log.

The step that parses installs a Tracker (`with tracking(Tracker(...))`); the parse loop calls `advance()` after
each article, in whichever process parses it: directly in this process, or through a queue that worker
processes are given when the pool starts (`pool()`), drained by a thread here. Without a tracker, advance()
does nothing, so the extractors run the same in tests, notebooks and workers.
"""
from __future__ import annotations

import contextlib
import os
import sys
import threading
import time

from tqdm import tqdm

from pipeline.nlp.workers import worker_context, worker_pool

LOG_EVERY_SECONDS = 10.0  # a run-log line at most this often (and at the end); the bar itself updates live

_tracker: "Tracker | None" = None
_queue = None  # in a worker process: where its advance() counts go
_terminal = None  # the terminal the command was started from, kept before Dagster captures stderr


def keep_terminal() -> None:
    """Keep a handle on this process's terminal (stderr) for the bar: Dagster redirects a step's stderr into its
    compute log, where a bar's carriage returns are noise. Called by `parley build` before the run starts."""
    global _terminal
    if _terminal is None and sys.stderr.isatty():
        _terminal = open(os.dup(sys.stderr.fileno()), "w", encoding="utf-8", closefd=True)


class Tracker:
    """Counts parsed articles of `total`; shows a bar (only on a terminal) and logs rate and time left."""

    def __init__(self, label: str, log=None, file=None):
        self.label, self.log, self.file = label, log, file or _terminal or sys.stderr
        self.total = self.done = 0
        self.bar = None
        self._lock = threading.Lock()
        self._started = self._logged = 0.0

    def start(self, total: int) -> None:
        self.total, self.done, self._started = total, 0, time.monotonic()
        self._logged = self._started
        # disable=None: no bar when the output is not a terminal (tests, a piped log), the log lines remain
        self.bar = tqdm(total=total, desc=self.label, unit="article", file=self.file, disable=None,
                        smoothing=0.1) if total else None

    def update(self, n: int = 1) -> None:
        with self._lock:
            self.done += n
            if self.bar is not None:
                self.bar.update(n)
                if self.done >= self.total:  # finish the bar's line before the log's last line
                    self.close()
            now = time.monotonic()
            if self.log is not None and (self.done >= self.total or now - self._logged >= LOG_EVERY_SECONDS):
                self._logged = now
                self.log.info(self.line(now))

    def line(self, now: float | None = None) -> str:
        elapsed = max(1e-9, (now or time.monotonic()) - self._started)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate else float("nan")
        tail = "done" if self.done >= self.total else f"about {left:.0f} s left"
        return f"{self.label}: {self.done}/{self.total} articles parsed ({rate:.1f}/s, {elapsed:.0f} s, {tail})"

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


@contextlib.contextmanager
def tracking(tracker: Tracker):
    """Install `tracker` for the parse run inside this block (one at a time per process)."""
    global _tracker
    previous, _tracker = _tracker, tracker
    try:
        yield tracker
    finally:
        tracker.close()
        _tracker = previous


def start(total: int) -> None:
    """The parse is about to handle `total` articles (called where the articles to parse are known)."""
    if _tracker is not None:
        _tracker.start(total)


def advance(n: int = 1) -> None:
    """`n` more articles parsed, in this process or a worker."""
    if _queue is not None:
        _queue.put(n)
    elif _tracker is not None:
        _tracker.update(n)


def _worker_init(queue) -> None:
    global _queue
    _queue = queue


@contextlib.contextmanager
def pool(processes: int):
    """A pool of extraction workers (nlp/workers.py: forked warm, dying with this process) whose advance() reaches
    this process's tracker."""
    if _tracker is None:
        with worker_pool(processes) as p:
            yield p
        return
    queue = worker_context().SimpleQueue()
    tracker = _tracker

    def drain():
        while (n := queue.get()) is not None:
            tracker.update(n)

    thread = threading.Thread(target=drain, name="parse-progress", daemon=True)
    thread.start()
    try:
        with worker_pool(processes, initializer=_worker_init, initargs=(queue,)) as p:
            yield p
    finally:
        queue.put(None)
        thread.join(timeout=5)
