"""A cheap guess, before Dagster starts, of whether a build will parse anything: the input files the last
successful build into this data folder saw, by (path, size, modification time), and the code it ran.

`parley build` starts the extraction workers' server early (nlp/workers.py) when the guess says something is new,
so that its ~6 s of warm-up overlap Dagster's start-up and ingest instead of delaying the extraction step. It is
only a guess, never a decision about rows: the extraction cache still decides what is parsed. A wrong "new" (a file
touched but unchanged) costs CPU on the idle core and a server stopped unused; a wrong "nothing new" (an article
whose date changed in manifest.csv only) costs the server's start when the pool is asked for, as before.
The list is one pickle file next to the ingest cache, 8 bytes a file.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from pipeline import pickle_file

NAME = "seen_files.pkl"


def _path(data_dir: Path) -> Path:
    return Path(data_dir) / "cache" / "ingest" / NAME


def _code() -> str:
    # any change to the code (the extractors' included) makes every article parsed again
    from pipeline.code_version import code_version
    return code_version()


def snapshot(input_dir: Path) -> frozenset[bytes]:
    """A short digest of (path below the folder, size, modification time) of every file under `input_dir`."""
    digests = set()
    for folder, _, names in os.walk(input_dir):
        for name in names:
            path = os.path.join(folder, name)
            try:
                st = os.stat(path)
            except OSError:  # gone or unreadable: ingest will say so
                continue
            key = f"{os.path.relpath(path, input_dir)}\0{st.st_size}\0{st.st_mtime_ns}".encode()
            digests.add(hashlib.blake2b(key, digest_size=8).digest())
    return frozenset(digests)


def anything_new(files: frozenset[bytes], data_dir: Path) -> bool:
    """True when a file, or the code, was not seen by the last successful build into `data_dir` (or none was
    recorded)."""
    seen = pickle_file.load_dict(_path(data_dir))
    return seen.get("code") != _code() or not files <= seen.get("files", frozenset())


def remember(files: frozenset[bytes], data_dir: Path) -> None:
    """After a successful build: these files (as they were when it started) and this code were seen."""
    seen = {"code": _code(), "files": files}
    if pickle_file.load_dict(_path(data_dir)) != seen:
        pickle_file.write(_path(data_dir), seen)
