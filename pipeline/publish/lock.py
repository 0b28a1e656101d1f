"""One writer per data folder: an exclusive lock file (fcntl), re-entrant within a process."""
from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

LOCK_FILE = ".parley.lock"
_held: dict[str, int] = {}


class Busy(RuntimeError):
    pass


@contextlib.contextmanager
def data_lock(data_dir: Path, wait: bool = False):
    """Hold the data folder's write lock; raise Busy at once when another process holds it (unless wait)."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    key = str(data_dir.resolve())
    if key in _held:
        yield
        return
    fd = os.open(data_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError as exc:
            raise Busy(f"another parley build is writing to {data_dir}; try again when it has finished") from exc
        _held[key] = fd
        try:
            yield
        finally:
            del _held[key]
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
