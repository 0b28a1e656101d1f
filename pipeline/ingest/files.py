"""Finding input files safely: regular files inside the folder only, nothing followed outside it."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

MANIFEST = "manifest.csv"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # 20 MiB: well above any news article, below memory trouble


@dataclass(frozen=True)
class InputFile:
    path: Path           # absolute, resolved
    source_file: str     # relative to the input folder, POSIX separators: what the release records
    size: int


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


def inside(folder: Path, path: Path) -> bool:
    """True when `path`, symlinks resolved, lies inside `folder` (itself resolved)."""
    try:
        path.resolve(strict=True).relative_to(folder)
        return True
    except (ValueError, OSError):
        return False


def discover(folder: Path) -> tuple[list[InputFile], list[Rejection]]:
    """Every regular file under `folder` except the manifest and hidden files, sorted by relative path.

    A symlink whose target leaves the folder is rejected without being read.
    """
    if not folder.is_dir():
        raise InputFolderError(f"input folder not found: {folder}")
    root = folder.resolve()
    files, rejected = [], []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if rel == MANIFEST:
                continue
            if path.is_symlink() and not inside(root, path):
                rejected.append(Rejection(rel, "outside_folder", None, "symlink points outside the input folder"))
                continue
            if not path.is_file():
                rejected.append(Rejection(rel, "unreadable", None, "not a regular file"))
                continue
            files.append(InputFile(path.resolve(), rel, path.stat().st_size))
    return sorted(files, key=lambda f: f.source_file), rejected


def fingerprint(files: list[InputFile]) -> str:
    """A cheap fingerprint of the folder's state (names, sizes, mtimes) for sensors and caching."""
    import hashlib
    h = hashlib.sha256()
    for f in files:
        h.update(f"{f.source_file}\x1f{f.size}\x1f{f.path.stat().st_mtime_ns}\n".encode())
    return h.hexdigest()
