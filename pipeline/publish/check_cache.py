"""Schema-check results kept between runs: the last file that passed, and per chunk. A re-run validates only the
rows that changed since that file, or else the chunks whose rows changed.

A table is validated in chunks of whole articles (integrity.schema_failures). What pandera finds in one chunk is a
function of that chunk's rows alone (its checks are per row, or per article, and an article never spans two
chunks) and of the code: the schema, the conversion of the rows to pandas, pandera and the libraries. So a chunk's
failure cases (None when it passes) are kept under a SHA-256 of the chunk's Arrow IPC bytes (schema and every
buffer: equal bytes decode to equal rows, so a hit is only ever an identical chunk; equal rows written otherwise
only miss). Failure cases name rows by number in the file: they are kept relative to the chunk's first row and
moved to where the chunk is now. What depends on the whole table (unique columns) is kept only with the whole
table's result, under a SHA-256 of its Parquet file's bytes: a re-run with nothing new reads each file once, decodes
nothing, and gives back what the same file gave before.

The last file of the table whose every chunk passed is kept too, `<table>.parquet` beside the results (a hard link:
the IO manager replaces a work file by renaming another in, so the kept inode is never written again; a copy where
links cannot be made), named in the results with its size and mtime, so a file changed since is not used.
A re-run compares the new file with it and validates only the rows that differ (pipeline/publish/kept_check.py):
when they pass, every chunk would, and the chunk entries are left as they were (not computed, they only serve a
failing file); when they fail, or anything is unsure, the chunks are validated as above.

One results file per table and check version, `<data>/cache/checks/<version>/<table>.pkl` (each table is checked by
one step, so concurrent steps never write the same file), and at most one kept Parquet file; the version hashes the
schemas, the check and conversion code and the libraries' versions (schemas read no user reference data). Each run
rewrites a table's results with the chunks it saw, so they never grow past the table; a damaged results file is an
empty cache (pipeline/pickle_file.py), and a kept file that is missing or no longer the one named is not used.
"""
from __future__ import annotations

import functools
import hashlib
import math
import os
import pickle
import shutil
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
import pandera
import pyarrow as pa

from pipeline import pickle_file
from pipeline.code_version import tree_hash
from pipeline.publish.card import sha256

TABLE = b"table:"  # the prefix of a whole table's entry (a chunk's key is a bare 32-byte digest)
KEPT = b"kept"  # the kept file's identity: (size, mtime in ns)
CODE = ("schemas", "pipeline/publish/integrity.py", "pipeline/publish/arrow.py", "pipeline/publish/check_cache.py",
        "pipeline/publish/kept_check.py")


@functools.lru_cache(maxsize=1)
def check_version() -> str:
    h = tree_hash(*CODE)
    h.update(repr((pandera.__version__, pd.__version__, pa.__version__, np.__version__)).encode())
    # pandera's settings (PANDERA_VALIDATION_DEPTH, ...) change what it checks
    h.update(repr(sorted((k, v) for k, v in os.environ.items() if k.startswith("PANDERA_"))).encode())
    return h.hexdigest()[:16]


def chunk_key(table: pa.Table) -> bytes:
    """SHA-256 of the chunk as an Arrow IPC stream (its schema, then its buffers)."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return hashlib.sha256(sink.getvalue()).digest()


def file_key(path: Path) -> bytes:
    """SHA-256 of a Parquet file's bytes: an unchanged table (a re-run with nothing new) is told by its compressed
    file (~70 MB at 10k articles), without decoding it."""
    return bytes.fromhex(sha256(path))


def _identity(path: Path) -> tuple[int, int]:
    """A file's size and mtime (not its inode: a data folder copied with its mtimes keeps its kept files)."""
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns


def _row_number(value) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (int, np.integer)):
        return True
    return isinstance(value, (float, np.floating)) and math.isfinite(value) and float(value).is_integer()


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, (float, np.floating)) and math.isnan(value))


def shifted(cases: pd.DataFrame, delta: int) -> pd.DataFrame | None:
    """`cases` with the row numbers in its "index" column moved by `delta`, its dtype kept (so str() of each is what
    pandera's own would give); None when some index is not a row number (such cases are not kept)."""
    index = cases["index"]
    if index.dtype.kind in "iu":
        moved = index + delta
    elif index.dtype.kind == "f" and all(_missing(v) or _row_number(v) for v in index):
        moved = index + delta
    elif index.dtype == object and all(_missing(v) or _row_number(v) for v in index):
        moved = pd.Series([v if _missing(v) else v + delta for v in index], index=index.index, dtype=object)
    else:
        return None
    out = cases.copy()
    out["index"] = moved
    return out


class ChunkCache:
    """{chunk key: pickled failure cases (row numbers from 0) or None}, for one table."""

    def __init__(self, root: Path, table: str):
        self.root = Path(root)
        self.path = self.root / check_version() / f"{table}.pkl"
        self.kept = self.path.with_suffix(".parquet")
        self.known: dict[bytes, bytes | None] = pickle_file.load_dict(self.path)
        self.now: dict[bytes, bytes | None] = {}

    def get(self, key: bytes, offset: int) -> tuple[bool, pd.DataFrame | None]:
        """(found, the chunk's failure cases numbered from `offset`)."""
        if key not in self.known:
            return False, None
        blob = self.now[key] = self.known[key]
        if blob is None:
            return True, None
        try:
            cases = shifted(pickle.loads(blob), offset)
        except Exception:  # noqa: BLE001 - an entry that cannot be read is recomputed
            cases = None
        if cases is None:
            del self.now[key]
            return False, None
        return True, cases

    def put(self, key: bytes, offset: int, cases: pd.DataFrame | None) -> None:
        if cases is None:
            self.now[key] = None
        elif (relative := shifted(cases, -offset)) is not None:
            self.now[key] = pickle.dumps(relative, protocol=pickle.HIGHEST_PROTOCOL)

    def table(self, key: bytes) -> pd.DataFrame | None:
        """The whole table's failure cases kept under `key` (a file_key), or None; on a hit nothing is rewritten."""
        blob = self.known.get(TABLE + key)
        try:
            return None if blob is None else pickle.loads(blob)
        except Exception:  # noqa: BLE001 - an entry that cannot be read is recomputed
            return None

    def put_table(self, key: bytes, cases: pd.DataFrame) -> None:
        self.now[TABLE + key] = pickle.dumps(cases, protocol=pickle.HIGHEST_PROTOCOL)

    def kept_file(self) -> Path | None:
        """The last file of the table whose every chunk passed, when it is still the very file named."""
        try:
            return self.kept if self.known.get(KEPT) == _identity(self.kept) else None
        except OSError:
            return None

    def keep(self, path: Path) -> None:
        """Keep `path` (whose every chunk passes) as the table's kept file, in place of the one before."""
        tmp = self.kept.with_name(f".tmp-{uuid.uuid4().hex}-{self.kept.name}")
        try:
            self.kept.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, tmp)
            except OSError:  # a file system without hard links (or another device): a copy
                shutil.copyfile(path, tmp)
            os.replace(tmp, self.kept)
            self.now[KEPT] = _identity(self.kept)
        except OSError:  # nothing kept: the next run validates in chunks
            tmp.unlink(missing_ok=True)
            self.now.pop(KEPT, None)

    def keep_chunks(self) -> None:
        """This run's chunks are those of the run before (the chunks were not looked at)."""
        self.now.update((k, v) for k, v in self.known.items() if not k.startswith(TABLE) and k != KEPT)

    def save(self) -> None:
        """Keep exactly this run's chunks and the kept file; written only when they changed. Other versions'
        folders are removed."""
        for old in self.root.glob("*"):
            if old.is_dir() and old.name != self.path.parent.name:
                shutil.rmtree(old, ignore_errors=True)
        if KEPT not in self.now and self.kept_file() is not None:
            self.now[KEPT] = self.known[KEPT]  # not replaced this run: still the last file that passed
        if KEPT not in self.now:
            self.kept.unlink(missing_ok=True)
        if self.now == self.known and self.path.is_file():
            return
        try:
            pickle_file.write(self.path, self.now)
        except OSError:  # a data folder that cannot take the cache: the next run validates again, nothing is lost
            pass
