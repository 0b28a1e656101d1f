"""Finding and reading input files safely: regular files inside the folder only, nothing followed outside it."""
from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from pipeline.settings import DEFAULT_MAX_FILE_BYTES

MANIFEST = "manifest.csv"
DEFAULT_MAX_BYTES = DEFAULT_MAX_FILE_BYTES
# The names an article file may end in (formats.read_records reads each); a folder so named gets a row.
ARTICLE_SUFFIXES = (".txt", ".text", ".html", ".htm", ".json", ".jsonl", ".ndjson")
# What `parley build` writes in a data folder (pipeline/settings.py, publish/release.py, publish/lock.py): any of
# these marks a folder as a Parley data folder, never input.
DATA_MARKERS = ("parley.duckdb", ".parley.lock", "releases/LATEST")
DATA_PARTS = ("releases", "cache", "work", "batches", "parley.duckdb", ".parley.lock")


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
    """One listed name -> a file to read, or the reason it will not be read (a symlink is never followed out).

    A regular file is told by one lstat: discover() walks real folders only (from the resolved root, symlinked
    folders not entered), so its path is already resolved, as resolve() would give it."""
    rel = display_name(path.relative_to(root).as_posix())
    try:
        st = os.lstat(path)
    except OSError:  # vanished since it was listed: said as below
        st = None
    if st is not None and stat.S_ISREG(st.st_mode):
        return InputFile(path, rel, st.st_size, st.st_mtime_ns)
    try:
        if path.is_symlink():
            loop = _symlink_loop(path)
            if loop:
                return Rejection(rel, "symlink_loop", None, f"symlink loop: {loop}")
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


def _symlink_loop(path: Path) -> str | None:
    """Why a symlink never reaches a file (it leads back to itself), or None."""
    try:
        os.stat(path)
        return None
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            return None
        return "it leads back to itself (too many levels of symbolic links)"


def is_data_folder(path: Path, data_dir: Path | None = None) -> bool:
    """A Parley data folder: the --data folder of this build, or any folder holding what a build writes there."""
    if data_dir is not None and os.path.realpath(path) == os.path.realpath(data_dir):
        return True
    return any(os.path.lexists(os.path.join(path, marker)) for marker in DATA_MARKERS)


def _named_like_a_file(root: Path, dirpath: str, name: str) -> Rejection | None:
    """A folder named like an article file (x.txt) is no article: said, while its files (if any) are read."""
    if not name.lower().endswith(ARTICLE_SUFFIXES):
        return None
    folder = os.path.join(dirpath, name)
    rel = display_name(Path(folder).relative_to(root).as_posix())
    try:
        empty = not any(not entry.name.startswith(".") for entry in os.scandir(folder))
    except OSError:
        return None  # os.walk reports a folder it cannot list
    detail = "a folder, not a file" + (" (empty)" if empty else "; the files inside it are read as input")
    return Rejection(rel, "not_a_file", None, detail)


def discover(folder: Path, data_dir: Path | None = None) -> tuple[list[InputFile], list[Rejection]]:
    """Every regular file under `folder` except the manifest and hidden files (.git, .DS_Store, ...), sorted by
    relative path; every other name found becomes a Rejection, so nothing is skipped silently.

    A symlink whose target leaves the folder is rejected without being read; a folder that cannot be listed
    is a rejection, not a silent gap. A Parley data folder inside the input (`data_dir`, or any folder a build
    wrote) is not read, with a `data_folder` row: its releases would otherwise come back as input on every run.
    """
    if not folder.is_dir():
        raise InputFolderError(f"input folder not found: {folder}")
    root = folder.resolve()
    files, rejected = [], []

    def unlistable(exc: OSError) -> None:
        name = display_name(Path(exc.filename).relative_to(root).as_posix()) if exc.filename else "."
        rejected.append(Rejection(name, "unreadable", None, f"folder cannot be listed: {exc.strerror or exc}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unlistable, followlinks=False):
        here = Path(dirpath)
        if is_data_folder(here, data_dir):  # the input is itself a data folder: its build outputs are left out
            parts = sorted(n for n in dirnames + filenames if n in DATA_PARTS and not n.startswith("."))
            rejected += [_data_folder(root, here / n) for n in parts]
            dirnames[:] = [d for d in dirnames if d not in DATA_PARTS]
            filenames = [f for f in filenames if f not in DATA_PARTS]
        inner = [d for d in dirnames if not d.startswith(".") and not os.path.islink(os.path.join(dirpath, d))
                 and is_data_folder(here / d, data_dir)]
        rejected += [_data_folder(root, here / d) for d in inner]
        links = [d for d in dirnames if not d.startswith(".") and os.path.islink(os.path.join(dirpath, d))]
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in links and d not in inner)
        rejected += [r for d in dirnames if (r := _named_like_a_file(root, dirpath, d))]
        for name in sorted(filenames + links):
            if name.startswith(".") or (dirpath == str(root) and name == MANIFEST):
                continue
            entry = _entry(root, here / name)
            (files if isinstance(entry, InputFile) else rejected).append(entry)
    return sorted(files, key=lambda f: f.source_file), rejected


def _data_folder(root: Path, path: Path) -> Rejection:
    rel = display_name(path.relative_to(root).as_posix())
    return Rejection(rel, "data_folder", None, "a Parley data folder (releases, cache, work) inside the input "
                                               "folder: not read as input")


def fingerprint(files: list[InputFile]) -> str:
    """A cheap fingerprint of the folder's state (names, sizes, mtimes) for sensors and caching."""
    h = hashlib.sha256()
    for f in files:
        h.update(f"{f.source_file}\x1f{f.size}\x1f{f.mtime_ns}\n".encode())
    return h.hexdigest()
