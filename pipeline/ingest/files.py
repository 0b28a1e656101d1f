"""Finding and reading input files safely: regular files inside the folder only, nothing followed outside it."""
from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from pipeline.settings import DEFAULT_MAX_FILE_BYTES

MANIFEST = "manifest.csv"
DEFAULT_MAX_BYTES = DEFAULT_MAX_FILE_BYTES


@dataclass(frozen=True)
class InputFile:
    path: Path           # absolute, resolved
    source_file: str     # relative to the input folder, POSIX separators: what the release records
    size: int
    mtime_ns: int = 0


@dataclass(frozen=True)
class Rejection:
    source_file: str
    reason: str
    bytes: int | None
    detail: str

    def row(self) -> dict:
        return {"source_file": self.source_file, "reason": self.reason, "bytes": self.bytes, "detail": self.detail}


class InputFolderError(RuntimeError):
    pass


class TooLarge(OSError):
    def __init__(self, size: int):
        super().__init__(f"file grew past the limit while being read ({size}+ bytes)")
        self.size = size


def display_name(rel: str) -> str:
    """A file name as valid UTF-8: Linux names may hold bytes that are not, and Parquet strings must be."""
    try:
        rel.encode("utf-8")
        return rel
    except UnicodeEncodeError:
        return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def inside(folder: Path, path: Path) -> bool:
    """True when `path`, symlinks resolved, lies inside `folder` (itself resolved)."""
    try:
        path.resolve(strict=True).relative_to(folder)
        return True
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop on older Pythons
        return False


def read_limited(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file, refusing to follow a symlink swapped in since discovery, to block on a
    FIFO, or to read more than `max_bytes` (a file may grow after it was listed)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"not a regular file: {path.name}")
        chunks, total = [], 0
        while chunk := os.read(fd, min(1 << 20, max_bytes + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise TooLarge(total)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _entry(root: Path, path: Path) -> InputFile | Rejection:
    """One listed name -> a file to read, or the reason it will not be read (a symlink is never followed out)."""
    rel = display_name(path.relative_to(root).as_posix())
    try:
        if path.is_symlink():
            if not os.path.exists(path):
                return Rejection(rel, "unreadable", None, "broken symlink")
            if not inside(root, path):
                return Rejection(rel, "outside_folder", None, "symlink points outside the input folder")
        if path.is_dir():
            return Rejection(rel, "unreadable", None, "symlinked folder not followed (its target is read in place)")
        if not path.is_file():
            return Rejection(rel, "unreadable", None, "not a regular file")
        st = path.stat()
        return InputFile(path.resolve(), rel, st.st_size, st.st_mtime_ns)
    except OSError as exc:  # vanished or unreadable since it was listed
        return Rejection(rel, "unreadable", None, exc.strerror or str(exc))


def discover(folder: Path) -> tuple[list[InputFile], list[Rejection]]:
    """Every regular file under `folder` except the manifest and hidden files (.git, .DS_Store, ...), sorted by
    relative path; every other name found becomes a Rejection, so nothing is skipped silently.

    A symlink whose target leaves the folder is rejected without being read; a folder that cannot be listed
    is a rejection, not a silent gap.
    """
    if not folder.is_dir():
        raise InputFolderError(f"input folder not found: {folder}")
    root = folder.resolve()
    files, rejected = [], []

    def unlistable(exc: OSError) -> None:
        name = display_name(Path(exc.filename).relative_to(root).as_posix()) if exc.filename else "."
        rejected.append(Rejection(name, "unreadable", None, f"folder cannot be listed: {exc.strerror or exc}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unlistable, followlinks=False):
        links = [d for d in dirnames if not d.startswith(".") and os.path.islink(os.path.join(dirpath, d))]
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in links)
        for name in sorted(filenames + links):
            if name.startswith(".") or (dirpath == str(root) and name == MANIFEST):
                continue
            entry = _entry(root, Path(dirpath) / name)
            (files if isinstance(entry, InputFile) else rejected).append(entry)
    return sorted(files, key=lambda f: f.source_file), rejected


def fingerprint(files: list[InputFile]) -> str:
    """A cheap fingerprint of the folder's state (names, sizes, mtimes) for sensors and caching."""
    h = hashlib.sha256()
    for f in files:
        h.update(f"{f.source_file}\x1f{f.size}\x1f{f.mtime_ns}\n".encode())
    return h.hexdigest()
